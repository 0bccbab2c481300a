import { createHash } from 'node:crypto';
import type { ParsedItem, ParsedPlan } from '../plan-document/index.js';

/**
 * Identity of a document's content: the same plan imported from .txt or .docx, or with different
 * line breaks, hashes the same. Warnings are not part of it.
 */
export function planContentHash(parsed: ParsedPlan): string {
  const canonical = JSON.stringify({ plan: parsed.plan, sections: parsed.sections });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The deadline an item states: the latest of its hints, since the item is done when all are. */
export function statedDeadline(item: ParsedItem): string | null {
  const dates = item.deadlineHints.map((h) => h.date).sort();
  return dates.at(-1) ?? null;
}

export interface Assignment {
  unit: string;
  role: 'lead' | 'co';
}

/**
 * Units an item is assigned to: the first named unit leads, the others assist. "各科室、各部门"
 * wording reaches every known unit; each of them answers for its own part, so without a named
 * lead they all lead their task.
 */
export function assignmentsOf(item: ParsedItem, allKnownUnits: readonly string[]): Assignment[] {
  const named: Assignment[] = item.units.map((unit, i) => ({
    unit,
    role: i === 0 ? 'lead' : 'co',
  }));
  if (!item.allUnits) return named;
  const seen = new Set(item.units);
  const role: Assignment['role'] = named.length > 0 ? 'co' : 'lead';
  return [...named, ...allKnownUnits.filter((u) => !seen.has(u)).map((unit) => ({ unit, role }))];
}
