/**
 * What a revised plan document (调整稿) changes, as pure functions: which items of the stored
 * version the new document's items are, and per item what moved — wording, number, responsible
 * units and roles, deadline. No Nest, TypeORM or database.
 *
 * Matching rule (deterministic, in this order; an item is matched at most once):
 *  1. identical text: same title and body after removing spaces and punctuation (an unchanged item
 *     that was only renumbered or moved to another section);
 *  2. same section and number, when the texts are still at least `NUMBER_MATCH_MIN` similar (a
 *     reworded item in its place);
 *  3. anywhere else, the most similar remaining pairs first, when at least `TEXT_MATCH_MIN`
 *     similar (a reworded item that was also renumbered); ties go to the earlier old item, then
 *     the earlier new item.
 * Similarity is the Dice coefficient of the character bigrams of title and body (spaces and
 * punctuation removed). Whatever stays unmatched was removed (old) or added (new).
 *
 * A matched item is "reworded" when its text differs other than in its deadline wording ("年内" →
 * "2027年6月底前" only moves the deadline).
 */
import type { DeadlineHint } from '../plan-document/index.js';
import type { Assignment } from './plan-import.js';

export const NUMBER_MATCH_MIN = 0.3;
export const TEXT_MATCH_MIN = 0.6;

/** One item of a stored plan version (or of a new document: no `itemId` yet). */
export interface VersionItem {
  itemId: string | null;
  /** Ordinal of its section. */
  section: number;
  number: number;
  title: string;
  body: string;
  allUnits: boolean;
  deadlineHints: DeadlineHint[];
  /** 'YYYY-MM-DD': the deadline the document gives the item (its tasks' deadline on import). */
  dueDate: string;
  /** Units in document order, the lead first. */
  assignments: Assignment[];
}

/** The content of one plan version: what the document said, as imported. */
export interface VersionDocument {
  plan: {
    title: string;
    docNumber: string | null;
    issuer: string | null;
    issuedOn: string | null;
    year: number;
  };
  sections: { ordinal: number; title: string | null }[];
  items: VersionItem[];
}

export interface ItemRef {
  section: number;
  number: number;
  title: string;
}

export interface AddedItem extends ItemRef {
  units: Assignment[];
  dueDate: string;
}

export interface RemovedItem extends ItemRef {
  itemId: string | null;
  units: Assignment[];
  dueDate: string;
}

export interface ChangedItem {
  itemId: string | null;
  /** How the item was recognised: identical text, same section and number, or similar text. */
  matchedBy: 'text' | 'number' | 'similarity';
  /** Rounded to two decimals. */
  similarity: number;
  from: ItemRef;
  to: ItemRef;
  renumbered: boolean;
  reworded: boolean;
  unitsAdded: Assignment[];
  unitsRemoved: Assignment[];
  rolesChanged: { unit: string; from: Assignment['role']; to: Assignment['role'] }[];
  deadline: { from: string; to: string } | null;
}

export interface DiffSummary {
  added: number;
  removed: number;
  reworded: number;
  renumbered: number;
  unitsAdded: number;
  unitsRemoved: number;
  deadlinesMoved: number;
  unchanged: number;
}

export interface PlanDiff {
  summary: DiffSummary;
  added: AddedItem[];
  removed: RemovedItem[];
  /** Matched items with at least one change, in the new document's order. */
  changed: ChangedItem[];
  /** Old item index → new item index for every matched item (unchanged ones too). */
  matches: { old: number; new: number }[];
  /** More than half of the items (or all of them) would be removed: needs an explicit confirmation. */
  requiresConfirmation: boolean;
}

/** Text of an item without spaces and punctuation: rewrapped lines or 、/, do not count as change. */
export function normalizeText(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, '');
}

/** A text's character bigrams as sorted ids with their counts, for fast comparison. */
interface Grams {
  ids: Int32Array;
  counts: Int32Array;
  total: number;
}

function gramsOf(text: string, dictionary: Map<string, number>): Grams {
  const counts = new Map<number, number>();
  const chars = [...text];
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i] + chars[i + 1];
    let id = dictionary.get(g);
    if (id === undefined) {
      id = dictionary.size;
      dictionary.set(g, id);
    }
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  return {
    ids,
    counts: Int32Array.from(ids, (id) => counts.get(id)!),
    total: Math.max(0, chars.length - 1),
  };
}

/** Dice coefficient of two bigram multisets (a merge of the sorted ids). */
function dice(a: Grams, b: Grams): number {
  const total = a.total + b.total;
  if (total === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    if (a.ids[i] === b.ids[j]) {
      shared += Math.min(a.counts[i], b.counts[j]);
      i++;
      j++;
    } else if (a.ids[i] < b.ids[j]) i++;
    else j++;
  }
  return (2 * shared) / total;
}

/** Dice coefficient of character bigrams, 0…1 (1 = same text). */
export function similarity(a: string, b: string): number {
  const x = normalizeText(a);
  const y = normalizeText(b);
  if (x === y) return 1;
  const dictionary = new Map<string, number>();
  return dice(gramsOf(x, dictionary), gramsOf(y, dictionary));
}

const itemText = (i: VersionItem) => `${i.title}\n${i.body}`;

/** The text without its deadline wording: a moved deadline alone is not a rewording. */
function wordingOf(i: VersionItem): string {
  let text = itemText(i);
  for (const h of i.deadlineHints) text = text.split(h.text).join('');
  return normalizeText(text);
}

/** Pairs old items with new ones by the rule at the top of this file. */
export function matchItems(
  oldItems: readonly VersionItem[],
  newItems: readonly VersionItem[],
): { old: number; new: number; matchedBy: ChangedItem['matchedBy']; similarity: number }[] {
  const pairs: {
    old: number;
    new: number;
    matchedBy: ChangedItem['matchedBy'];
    similarity: number;
  }[] = [];
  const oldTaken = new Set<number>();
  const newTaken = new Set<number>();
  const take = (o: number, n: number, matchedBy: ChangedItem['matchedBy'], sim: number) => {
    oldTaken.add(o);
    newTaken.add(n);
    pairs.push({ old: o, new: n, matchedBy, similarity: sim });
  };

  // 1. Identical text, in document order.
  const byText = new Map<string, number[]>();
  newItems.forEach((item, n) => {
    const key = normalizeText(itemText(item));
    byText.set(key, [...(byText.get(key) ?? []), n]);
  });
  oldItems.forEach((item, o) => {
    const candidates = byText.get(normalizeText(itemText(item)));
    const n = candidates?.find((c) => !newTaken.has(c));
    if (n !== undefined) take(o, n, 'text', 1);
  });

  // 2. Same section and number, still similar enough.
  const byPlace = new Map<string, number>();
  newItems.forEach((item, n) => {
    const key = `${item.section}:${item.number}`;
    if (!byPlace.has(key)) byPlace.set(key, n);
  });
  // Each text's bigrams are counted once; a pair's similarity is a merge of two sorted arrays.
  const dictionary = new Map<string, number>();
  const oldGrams = oldItems.map((i) => gramsOf(normalizeText(itemText(i)), dictionary));
  const newGrams = newItems.map((i) => gramsOf(normalizeText(itemText(i)), dictionary));
  const sim = (o: number, n: number) => dice(oldGrams[o], newGrams[n]);
  oldItems.forEach((item, o) => {
    if (oldTaken.has(o)) return;
    const n = byPlace.get(`${item.section}:${item.number}`);
    if (n === undefined || newTaken.has(n)) return;
    const s = sim(o, n);
    if (s >= NUMBER_MATCH_MIN) take(o, n, 'number', s);
  });

  // 3. The most similar remaining pairs, anywhere.
  const candidates: { o: number; n: number; s: number }[] = [];
  const restNew = newItems.flatMap((_, n) => (newTaken.has(n) ? [] : [n]));
  oldItems.forEach((_, o) => {
    if (oldTaken.has(o)) return;
    const a = oldGrams[o].total;
    for (const n of restNew) {
      // Texts of very different lengths cannot reach the threshold: skip the comparison.
      const b = newGrams[n].total;
      if ((2 * Math.min(a, b)) / (a + b || 1) < TEXT_MATCH_MIN) continue;
      const s = sim(o, n);
      if (s >= TEXT_MATCH_MIN) candidates.push({ o, n, s });
    }
  });
  candidates.sort((a, b) => b.s - a.s || a.o - b.o || a.n - b.n);
  for (const c of candidates) {
    if (!oldTaken.has(c.o) && !newTaken.has(c.n)) take(c.o, c.n, 'similarity', c.s);
  }
  return pairs.sort((a, b) => a.new - b.new);
}

const ref = (i: VersionItem): ItemRef => ({ section: i.section, number: i.number, title: i.title });

/** A revision that removes every item, or more than half of them, must be confirmed. */
export function needsRemovalConfirmation(removed: number, oldCount: number): boolean {
  return removed > 0 && (removed === oldCount || removed * 2 > oldCount);
}

/** What the new document changes in the stored version. */
export function diffPlans(oldDoc: VersionDocument, newDoc: VersionDocument): PlanDiff {
  const pairs = matchItems(oldDoc.items, newDoc.items);
  const matchedOld = new Set(pairs.map((p) => p.old));
  const matchedNew = new Set(pairs.map((p) => p.new));
  const changed: ChangedItem[] = [];
  let unchanged = 0;
  for (const p of pairs) {
    const before = oldDoc.items[p.old];
    const after = newDoc.items[p.new];
    const oldUnits = new Map(before.assignments.map((a) => [a.unit, a.role]));
    const newUnits = new Map(after.assignments.map((a) => [a.unit, a.role]));
    const unitsAdded = after.assignments.filter((a) => !oldUnits.has(a.unit));
    const unitsRemoved = before.assignments.filter((a) => !newUnits.has(a.unit));
    const rolesChanged = after.assignments
      .filter((a) => oldUnits.has(a.unit) && oldUnits.get(a.unit) !== a.role)
      .map((a) => ({ unit: a.unit, from: oldUnits.get(a.unit)!, to: a.role }));
    const reworded = wordingOf(before) !== wordingOf(after);
    const renumbered = before.section !== after.section || before.number !== after.number;
    const deadline =
      before.dueDate !== after.dueDate ? { from: before.dueDate, to: after.dueDate } : null;
    if (
      !reworded &&
      !renumbered &&
      !deadline &&
      unitsAdded.length + unitsRemoved.length + rolesChanged.length === 0
    ) {
      unchanged++;
      continue;
    }
    changed.push({
      itemId: before.itemId,
      matchedBy: p.matchedBy,
      similarity: Math.round(p.similarity * 100) / 100,
      from: ref(before),
      to: ref(after),
      renumbered,
      reworded,
      unitsAdded,
      unitsRemoved,
      rolesChanged,
      deadline,
    });
  }
  const added = newDoc.items
    .filter((_, n) => !matchedNew.has(n))
    .map((i) => ({ ...ref(i), units: i.assignments, dueDate: i.dueDate }));
  const removed = oldDoc.items
    .filter((_, o) => !matchedOld.has(o))
    .map((i) => ({ ...ref(i), itemId: i.itemId, units: i.assignments, dueDate: i.dueDate }));
  return {
    summary: {
      added: added.length,
      removed: removed.length,
      reworded: changed.filter((c) => c.reworded).length,
      renumbered: changed.filter((c) => c.renumbered).length,
      unitsAdded: changed.reduce((n, c) => n + c.unitsAdded.length, 0),
      unitsRemoved: changed.reduce((n, c) => n + c.unitsRemoved.length, 0),
      deadlinesMoved: changed.filter((c) => c.deadline).length,
      unchanged,
    },
    added,
    removed,
    changed,
    matches: pairs.map((p) => ({ old: p.old, new: p.new })),
    requiresConfirmation: needsRemovalConfirmation(removed.length, oldDoc.items.length),
  };
}

export function hasChanges(diff: PlanDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length > 0;
}

/** One line of what a revision means for one unit. */
export type UnitChange =
  | { kind: 'assigned'; item: ItemRef; role: Assignment['role']; dueDate: string }
  | { kind: 'withdrawn'; item: ItemRef; reason: 'item-removed' | 'unit-removed' }
  | { kind: 'deadline'; item: ItemRef; from: string; to: string }
  | { kind: 'role'; item: ItemRef; from: Assignment['role']; to: Assignment['role'] }
  | { kind: 'reworded'; item: ItemRef; renumberedFrom: ItemRef | null };

export interface UnitImpact {
  unit: string;
  changes: UnitChange[];
}

/**
 * The changes that concern each unit — new work, withdrawn work, moved deadlines, new roles, items
 * of theirs that were reworded or renumbered — in unit order of first appearance.
 */
export function impactByUnit(diff: PlanDiff, newDoc: VersionDocument): UnitImpact[] {
  const byUnit = new Map<string, UnitChange[]>();
  const add = (unit: string, change: UnitChange) =>
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), change]);
  for (const item of diff.added) {
    for (const a of item.units) {
      add(a.unit, { kind: 'assigned', item: ref0(item), role: a.role, dueDate: item.dueDate });
    }
  }
  for (const c of diff.changed) {
    const target = newDoc.items.find(
      (i) => i.section === c.to.section && i.number === c.to.number && i.title === c.to.title,
    );
    for (const a of c.unitsAdded) {
      add(a.unit, { kind: 'assigned', item: c.to, role: a.role, dueDate: target?.dueDate ?? '' });
    }
    for (const a of c.unitsRemoved) {
      add(a.unit, { kind: 'withdrawn', item: c.from, reason: 'unit-removed' });
    }
    const added = new Set(c.unitsAdded.map((a) => a.unit));
    const staying = (target?.assignments ?? []).filter((a) => !added.has(a.unit));
    for (const r of c.rolesChanged)
      add(r.unit, { kind: 'role', item: c.to, from: r.from, to: r.to });
    for (const a of staying) {
      if (c.deadline) add(a.unit, { kind: 'deadline', item: c.to, ...c.deadline });
      if (c.reworded || c.renumbered) {
        add(a.unit, { kind: 'reworded', item: c.to, renumberedFrom: c.renumbered ? c.from : null });
      }
    }
  }
  for (const item of diff.removed) {
    for (const a of item.units) {
      add(a.unit, { kind: 'withdrawn', item: ref0(item), reason: 'item-removed' });
    }
  }
  return [...byUnit].map(([unit, changes]) => ({ unit, changes }));
}

function ref0(i: ItemRef): ItemRef {
  return { section: i.section, number: i.number, title: i.title };
}
