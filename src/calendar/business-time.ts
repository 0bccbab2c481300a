/**
 * Business-time arithmetic: calendar dates ('YYYY-MM-DD') and wall-clock times in an IANA time
 * zone, converted to and from UTC instants with `Intl` only (no time-zone library).
 *
 * Calendar-date arithmetic never goes through `Date` local-time getters, so results do not depend
 * on the process time zone (`TZ`).
 */

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Smallest and largest year accepted for business dates (4-digit years only). */
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function epochDayOf({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link epochDayOf} (H. Hinnant's civil_from_days). */
export function civilOfEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDate({ year, month, day }: CivilDate): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function tryParseDate(s: unknown): CivilDate | null {
  if (typeof s !== 'string') return null;
  const m = DATE_PATTERN.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Strict 'YYYY-MM-DD' that exists in the Gregorian calendar (rejects 2022-02-30, 2022-2-3). */
export function isValidDate(s: string): boolean {
  return tryParseDate(s) !== null;
}

/** Parses a strict 'YYYY-MM-DD' date; throws a RangeError for anything else. */
export function parseDate(s: string): CivilDate {
  const d = tryParseDate(s);
  if (!d)
    throw new RangeError(`日期“${String(s)}”无效，须为存在的 YYYY-MM-DD 日期，例如 2022-10-08`);
  return d;
}

/** Day of week of a 'YYYY-MM-DD' date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((epochDayOf(parseDate(date)) + 4) % 7) + 7) % 7;
}

/** The date n calendar days after (n < 0: before) the given date. */
export function addCalendarDays(date: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`天数“${String(n)}”须为整数`);
  const result = civilOfEpochDay(epochDayOf(parseDate(date)) + n);
  if (result.year < MIN_YEAR || result.year > MAX_YEAR) {
    throw new RangeError(`日期 ${date} 加 ${n} 天超出支持的范围（${MIN_YEAR}–${MAX_YEAR} 年）`);
  }
  return formatDate(result);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function calendarDaysBetween(from: string, to: string): number {
  return epochDayOf(parseDate(to)) - epochDayOf(parseDate(from));
}

// ---------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is a time zone this runtime's Intl knows (e.g. 'Asia/Shanghai', 'UTC'). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) {
    throw new RangeError(`时区“${String(tz)}”无效，须为 IANA 时区名，例如 Asia/Shanghai`);
  }
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('时间无效：须为有效的 Date');
  }
}

interface WallClock extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields (second precision) of an instant in a time zone. */
function wallClockOf(epochMs: number, tz: string): WallClock {
  const parts = formatterFor(tz).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (!part) throw new Error(`Intl returned no ${type} for ${tz}`);
    return Number(part.value);
  };
  const era = parts.find((p) => p.type === 'era')?.value;
  const yearOfEra = get('year');
  return {
    year: era === 'BC' || era === 'B' ? 1 - yearOfEra : yearOfEra,
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Wall-clock fields read as if they were UTC, in epoch milliseconds. */
function wallClockMs(w: WallClock): number {
  return (
    epochDayOf(w) * MS_PER_DAY +
    w.hour * MS_PER_HOUR +
    w.minute * MS_PER_MINUTE +
    w.second * MS_PER_SECOND
  );
}

/** UTC offset (local minus UTC, in ms) of the time zone at an instant. */
export function offsetAt(epochMs: number, tz: string): number {
  const wholeSecond = Math.floor(epochMs / MS_PER_SECOND) * MS_PER_SECOND;
  return wallClockMs(wallClockOf(wholeSecond, tz)) - wholeSecond;
}

/** The business date ('YYYY-MM-DD') an instant falls on in the time zone. */
export function businessDateOf(instant: Date, tz: string): string {
  assertInstant(instant);
  assertTimeZone(tz);
  return formatDate(wallClockOf(instant.getTime(), tz));
}

/** Parses 'HH:mm' or 'HH:mm:ss' (00:00:00–23:59:59). */
export function parseTimeOfDay(time: string): { hour: number; minute: number; second: number } {
  const m = typeof time === 'string' ? TIME_PATTERN.exec(time) : null;
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  const second = m?.[3] !== undefined ? Number(m[3]) : 0;
  if (!m || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`时刻“${String(time)}”无效，须为 HH:mm 或 HH:mm:ss（00:00–23:59:59）`);
  }
  return { hour, minute, second };
}

/**
 * The UTC instant of a local date and time in a time zone.
 *
 * Around daylight-saving transitions this follows the "compatible" rule of Temporal / RFC 5545:
 * a repeated local time (autumn) resolves to the earlier instant; a skipped local time (spring)
 * is moved forward by the length of the gap (02:30 in New York on the spring-forward day becomes
 * 03:30 EDT).
 */
export function zonedDateTimeToUtc(date: string, time: string, tz: string): Date {
  const civil = parseDate(date);
  const clock = parseTimeOfDay(time);
  assertTimeZone(tz);
  const local = wallClockMs({ ...civil, ...clock });
  // Offsets in force well before and well after the wanted wall-clock time; with at most one
  // transition in that window, one of them is the right one.
  const before = offsetAt(local - MS_PER_DAY, tz);
  const after = offsetAt(local + MS_PER_DAY, tz);
  const candidates = [...new Set([before, after, offsetAt(local, tz)])]
    .map((offset) => local - offset)
    .filter((instant) => wallClockMs(wallClockOf(instant, tz)) === local)
    .sort((a, b) => a - b);
  const first = candidates[0];
  return new Date(first !== undefined ? first : local - before);
}

/** The last second of a business day (23:59:59.000 local time) as a UTC instant. */
export function endOfBusinessDay(date: string, tz: string): Date {
  return zonedDateTimeToUtc(date, '23:59:59', tz);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "2026-05-06 10:30" — an instant as people in the business time zone read it (minutes). */
export function describeDateTime(instant: Date, tz: string): string {
  assertInstant(instant);
  assertTimeZone(tz);
  const w = wallClockOf(instant.getTime(), tz);
  return `${formatDate(w)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

/**
 * A deadline as people read it: the date alone when it is the end of that business day,
 * otherwise the date and time ("2026-06-30 18:00", with seconds only when they are not zero).
 */
export function describeDeadline(dueAt: Date, tz: string): string {
  assertInstant(dueAt);
  assertTimeZone(tz);
  const w = wallClockOf(dueAt.getTime(), tz);
  const date = formatDate(w);
  if (w.hour === 23 && w.minute === 59 && w.second === 59) return date;
  const time = `${pad2(w.hour)}:${pad2(w.minute)}`;
  return w.second === 0 ? `${date} ${time}` : `${date} ${time}:${pad2(w.second)}`;
}
