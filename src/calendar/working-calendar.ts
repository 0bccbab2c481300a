import cd from 'chinese-days';
import {
  addCalendarDays,
  calendarDaysBetween,
  dayOfWeek,
  formatDate,
  isValidDate,
  parseDate,
} from './business-time.js';

/**
 * The Chinese statutory working calendar: weekends, public holidays and the adjusted working
 * weekends (调休), from the `chinese-days` package plus official schedules entered by an admin.
 *
 * `chinese-days` only knows the years it ships data for; for any other year it silently answers
 * Monday–Friday. This class knows which years it really has data for (`hasOfficialData`,
 * `yearsWithoutData`) so callers can warn, and lets admin overrides replace the guess.
 */

export type DayKind = 'workday' | 'holiday';

/** One day of an official schedule entered by an admin (e.g. 2027 before the package has it). */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
  note?: string;
}

/** Thrown by the WorkingCalendar constructor for an unusable override list. */
export class CalendarOverrideError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarOverrideError';
  }
}

const WEEKDAY_NAMES = new Set([
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
]);

/** Years scanned when deriving the package's data range. */
const SCAN_FROM = 1949;
const SCAN_TO = 2200;

/** Safety stop: no working day within this many calendar days means the overrides are absurd. */
const MAX_DAYS_WITHOUT_WORKDAY = 366;

/**
 * A local-midnight Date for the package. `chinese-days` reads strings such as '2022-10-08' as
 * UTC midnight but then works with local-time getters, so under a negative-offset process time
 * zone (TZ=America/New_York) it answers for the previous day. A local-midnight Date is read back
 * as the same calendar day whatever the process time zone.
 */
function packageDate(date: string): Date {
  const { year, month, day } = parseDate(date);
  return new Date(year, month - 1, day);
}

/** True when the package's tables hold an explicit entry (holiday or make-up day) for the date. */
function hasPackageEntry(date: string): boolean {
  return !WEEKDAY_NAMES.has(cd.getDayDetail(packageDate(date)).name);
}

/**
 * The years `chinese-days` ships official schedules for. Every year with data lists New Year's Day
 * (1 January) and National Day (1 October) in its holiday table; for a year without data the
 * package only reports the weekday name. Requiring both dates keeps a stray entry (such as the
 * 2023 New Year holiday on 2022-12-31 recorded in the 2022 data) from counting a year.
 */
function deriveOfficialYears(): Set<number> {
  const years = new Set<number>();
  for (let y = SCAN_FROM; y <= SCAN_TO; y++) {
    if (hasPackageEntry(`${y}-01-01`) && hasPackageEntry(`${y}-10-01`)) years.add(y);
  }
  return years;
}

const PACKAGE_YEARS = deriveOfficialYears();

function rangeOf(years: ReadonlySet<number>): { from: number; to: number } {
  const sorted = [...years].sort((a, b) => a - b);
  const from = sorted[0];
  const to = sorted[sorted.length - 1];
  if (from === undefined || to === undefined) {
    throw new Error('chinese-days reports no year with holiday data');
  }
  if (to - from + 1 !== sorted.length) {
    throw new Error(`chinese-days holiday data is not contiguous: ${sorted.join(',')}`);
  }
  return { from, to };
}

/** Workday flags of one package year, indexed by day of year (0-based). */
const packageYearCache = new Map<number, boolean[]>();

function packageIsWorkday(date: string): boolean {
  const { year } = parseDate(date);
  let flags = packageYearCache.get(year);
  if (!flags) {
    flags = [];
    for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) {
      flags.push(cd.isWorkday(packageDate(d)));
    }
    packageYearCache.set(year, flags);
  }
  const flag = flags[calendarDaysBetween(`${year}-01-01`, date)];
  if (flag === undefined) throw new Error(`no calendar entry for ${date}`);
  return flag;
}

export class WorkingCalendar {
  /**
   * The years `chinese-days` has official data for (2004–2026 in version 1.5.7), derived from the
   * package's own tables at load time rather than hard-coded.
   */
  static readonly OFFICIAL_DATA_YEARS: { from: number; to: number } = Object.freeze(
    rangeOf(PACKAGE_YEARS),
  );

  private readonly overrides = new Map<string, CalendarOverride>();
  private readonly overrideYears = new Set<number>();

  /**
   * @param overrides official schedule days entered by an admin. They win over the package data;
   *   a year with at least one override counts as having official data. The same date may appear
   *   twice only with the same kind.
   */
  constructor(overrides: readonly CalendarOverride[] = []) {
    overrides.forEach((o, i) => {
      if (!o || !isValidDate(o.date)) {
        throw new CalendarOverrideError(
          i,
          `第 ${i + 1} 条日历调整的日期“${String(o?.date)}”无效，须为 YYYY-MM-DD`,
        );
      }
      if (o.kind !== 'workday' && o.kind !== 'holiday') {
        throw new CalendarOverrideError(
          i,
          `第 ${i + 1} 条日历调整（${o.date}）的类型“${String(o.kind)}”无效，须为 workday 或 holiday`,
        );
      }
      const existing = this.overrides.get(o.date);
      if (existing && existing.kind !== o.kind) {
        throw new CalendarOverrideError(i, `日历调整中 ${o.date} 同时被设为工作日和休息日`);
      }
      this.overrides.set(o.date, { ...o });
      this.overrideYears.add(parseDate(o.date).year);
    });
  }

  /** The admin overrides in effect, sorted by date. */
  get overrideList(): CalendarOverride[] {
    return [...this.overrides.values()]
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((o) => ({ ...o }));
  }

  /** True when the year's working days are known: package data or admin overrides exist for it. */
  hasOfficialData(year: number): boolean {
    return PACKAGE_YEARS.has(year) || this.overrideYears.has(year);
  }

  /** Whether the date is a working day. Overrides win; years without any data fall back to Mon–Fri. */
  isWorkday(date: string): boolean {
    const override = this.overrides.get(date);
    if (override) return override.kind === 'workday';
    const { year } = parseDate(date);
    if (PACKAGE_YEARS.has(year)) return packageIsWorkday(date);
    const weekday = dayOfWeek(date);
    return weekday >= 1 && weekday <= 5;
  }

  /**
   * Counts n working days from the date: n > 0 gives the n-th working day after it, n < 0 the
   * |n|-th working day before it (the date itself never counts). n = 0 returns the date unchanged,
   * working day or not; use previousOrSameWorkday / nextOrSameWorkday to snap to a working day.
   */
  addWorkdays(date: string, n: number): string {
    if (!Number.isSafeInteger(n)) throw new RangeError(`工作日数“${String(n)}”须为整数`);
    parseDate(date);
    const step = n > 0 ? 1 : -1;
    let remaining = Math.abs(n);
    let current = date;
    let sinceLastWorkday = 0;
    while (remaining > 0) {
      current = addCalendarDays(current, step);
      if (this.isWorkday(current)) {
        remaining--;
        sinceLastWorkday = 0;
      } else if (++sinceLastWorkday > MAX_DAYS_WITHOUT_WORKDAY) {
        throw new RangeError(
          `${date} 前后 ${MAX_DAYS_WITHOUT_WORKDAY} 天内没有工作日，请检查日历调整`,
        );
      }
    }
    return current;
  }

  /** The date itself if it is a working day, else the closest working day before it. */
  previousOrSameWorkday(date: string): string {
    return this.isWorkday(date) ? date : this.addWorkdays(date, -1);
  }

  /** The date itself if it is a working day, else the closest working day after it. */
  nextOrSameWorkday(date: string): string {
    return this.isWorkday(date) ? date : this.addWorkdays(date, 1);
  }

  /** The last working day of a year (2022 → '2022-12-30', since 2022-12-31 is a Saturday). */
  lastWorkdayOfYear(year: number): string {
    if (!Number.isSafeInteger(year)) throw new RangeError(`年份“${String(year)}”须为整数`);
    return this.previousOrSameWorkday(formatDate({ year, month: 12, day: 31 }));
  }

  /** The years among these dates the calendar only guesses for (no package data, no overrides), ascending. */
  yearsWithoutData(dates: readonly string[]): number[] {
    const years = new Set(dates.map((d) => parseDate(d).year));
    return [...years].filter((y) => !this.hasOfficialData(y)).sort((a, b) => a - b);
  }
}
