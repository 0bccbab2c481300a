/**
 * Reads the answer of `POST /plans/import?dryRun=true` into what the import preview shows. The
 * parse has the shape of `duban plan:parse --json` (docs/DESIGN.md); it may come alone or inside
 * an envelope (`parse`/`parsed`/`preview`) beside counts of what an import would create.
 */
export interface PreviewItem {
  number: number;
  title: string;
  units: string[];
  allUnits: boolean;
  deadline: string | null;
}

export interface PreviewSection {
  ordinal: number;
  title: string | null;
  items: PreviewItem[];
}

export interface ParsePreview {
  title: string | null;
  docNumber: string | null;
  year: number | null;
  sections: PreviewSection[];
  units: string[];
  warnings: { line: number; message: string }[];
  itemCount: number;
  /** What an import would create, when the server says. */
  wouldCreate: Record<string, number> | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readParsePreview(answer: unknown): ParsePreview | null {
  if (!isObject(answer)) return null;
  const parse = [answer, answer.parse, answer.parsed, answer.preview, answer.result].find(
    (c): c is Json => isObject(c) && Array.isArray(c.sections),
  );
  if (!parse) return null;
  const plan = isObject(parse.plan) ? parse.plan : {};
  const sections: PreviewSection[] = (parse.sections as unknown[]).filter(isObject).map((s, i) => ({
    ordinal: num(s.ordinal) ?? i + 1,
    title: str(s.title),
    items: (Array.isArray(s.items) ? s.items : []).filter(isObject).map((item, j) => {
      const hints = (Array.isArray(item.deadlineHints) ? item.deadlineHints : [])
        .filter(isObject)
        .map((h) => str(h.date))
        .filter((d): d is string => d !== null)
        .sort();
      return {
        number: num(item.number) ?? j + 1,
        title: str(item.title) ?? '',
        units: (Array.isArray(item.units) ? item.units : []).filter(
          (u): u is string => typeof u === 'string',
        ),
        allUnits: item.allUnits === true,
        deadline: hints.at(-1) ?? null,
      };
    }),
  }));
  const counts = [answer.wouldCreate, answer.counts, answer.create, parse.counts].find(isObject);
  return {
    title: str(plan.title),
    docNumber: str(plan.docNumber),
    year: num(plan.year),
    sections,
    units: (Array.isArray(parse.units) ? parse.units : []).filter(
      (u): u is string => typeof u === 'string',
    ),
    warnings: (Array.isArray(parse.warnings) ? parse.warnings : [])
      .filter(isObject)
      .map((w) => ({ line: num(w.line) ?? 0, message: str(w.message) ?? '' })),
    itemCount: sections.reduce((n, s) => n + s.items.length, 0),
    wouldCreate: counts
      ? Object.fromEntries(
          Object.entries(counts).filter((e): e is [string, number] => typeof e[1] === 'number'),
        )
      : null,
  };
}
