import { createHash } from 'node:crypto';
import type { ParsedItem, ParsedPlan, ParseWarning } from '../plan-document/index.js';
import { checkDeadlineInRange } from '../tasks/deadline-range.js';

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

/** An item as it would be imported: its deadline and its tasks. */
export interface ItemToImport {
  number: number;
  title: string;
  body: string;
  units: string[];
  allUnits: boolean;
  deadlineHints: ParsedItem['deadlineHints'];
  /** 'YYYY-MM-DD': the latest date the item states, else the plan year's last working day. */
  dueDate: string;
  assignments: Assignment[];
}

export interface ImportPlan {
  sections: { ordinal: number; title: string | null; items: ItemToImport[] }[];
  /** Units the document names that the installation does not know yet (in document order). */
  newUnits: string[];
  tasks: number;
  /** Distinct units that get tasks. */
  units: number;
  /** The parser's warnings and what importing adds (a stated date out of range …). */
  warnings: ParseWarning[];
}

/**
 * What importing a parsed plan creates, decided once for the dry run and the import alike. A date
 * an item states outside the plan's sensible range is not used (the item falls due at the end of
 * the year) and is named in a warning.
 */
export function planImport(
  parsed: ParsedPlan,
  knownUnits: readonly string[],
  year: number,
  defaultDeadline: string,
  today: string,
): ImportPlan {
  const known = new Set(knownUnits);
  const newUnits = parsed.units.filter((u) => !known.has(u));
  const allUnits = [...knownUnits, ...newUnits];
  const warnings: ParseWarning[] = [...parsed.warnings];
  const withTasks = new Set<string>();
  let tasks = 0;
  const sections = parsed.sections.map((section) => ({
    ordinal: section.ordinal,
    title: section.title,
    items: section.items.map((item): ItemToImport => {
      let dueDate = statedDeadline(item) ?? defaultDeadline;
      const refusal = checkDeadlineInRange(dueDate, year, today);
      if (refusal) {
        warnings.push({
          line: 0,
          message: `第${item.number}项写明的期限 ${dueDate} 不在合理范围内，已按 ${defaultDeadline} 截止处理`,
        });
        dueDate = defaultDeadline;
      }
      const assignments = assignmentsOf(item, allUnits);
      tasks += assignments.length;
      for (const a of assignments) withTasks.add(a.unit);
      return {
        number: item.number,
        title: item.title,
        body: item.body,
        units: item.units,
        allUnits: item.allUnits,
        deadlineHints: item.deadlineHints,
        dueDate,
        assignments,
      };
    }),
  }));
  return { sections, newUnits, tasks, units: withTasks.size, warnings };
}
