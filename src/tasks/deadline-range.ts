/**
 * Which deadlines make sense for a plan. Pure: no Nest, no database.
 *
 * A deadline lies between the start of the year before the plan's year and the end of the fifth
 * year after the later of the plan's year and today's — wide enough for any real extension, narrow
 * enough that a typo ("9999-12-31", "2202-06-30") is refused instead of stored.
 */
export const YEARS_AHEAD = 5;

export interface DeadlineRange {
  first: string;
  last: string;
}

export function deadlineRange(planYear: number, today: string): DeadlineRange {
  const thisYear = Number(today.slice(0, 4));
  return {
    first: `${planYear - 1}-01-01`,
    last: `${Math.max(planYear, thisYear) + YEARS_AHEAD}-12-31`,
  };
}

/** A user-facing refusal, or null when `date` ('YYYY-MM-DD') is in range. */
export function checkDeadlineInRange(date: string, planYear: number, today: string): string | null {
  const { first, last } = deadlineRange(planYear, today);
  if (date < first || date > last) {
    return `日期 ${date} 超出合理范围（${planYear} 年工作要点的截止日期须在 ${first} 至 ${last} 之间）`;
  }
  return null;
}
