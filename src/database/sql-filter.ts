/**
 * The one list-filter builder: each entry is a condition with at most one `?` and its value; an
 * entry whose value is undefined is left out. Values always travel as bind parameters.
 */
export type SqlFilter = readonly (readonly [condition: string, value: unknown])[];

export function whereClause(
  filter: SqlFilter,
  params: unknown[] = [],
): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  for (const [condition, value] of filter) {
    if (value === undefined) continue;
    if (condition.includes('?')) {
      params.push(value);
      conditions.push(condition.replace('?', `$${params.length}`));
    } else {
      conditions.push(condition);
    }
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
