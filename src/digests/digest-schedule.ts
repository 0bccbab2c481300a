/**
 * When the weekly digest goes out: ISO weeks, a five-field cron expression read in the business
 * time zone, and the working-day shift (a Monday holiday moves the digest to the next working
 * day, same time). Pure: no Nest, no database.
 */
import {
  addCalendarDays,
  businessDateOf,
  dayOfWeek,
  epochDayOf,
  formatDate,
  parseDate,
  zonedDateTimeToUtc,
} from '../calendar/business-time.js';

/** An ISO 8601 week, written `2026-W41`. */
export interface IsoWeek {
  year: number;
  week: number;
}

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

export function formatWeek({ year, week }: IsoWeek): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week a business date belongs to. */
export function isoWeekOf(date: string): IsoWeek {
  const weekday = dayOfWeek(date) || 7; // Monday 1 … Sunday 7
  // The week belongs to the year of its Thursday.
  const thursday = addCalendarDays(date, 4 - weekday);
  const { year } = parseDate(thursday);
  const dayOfYear = epochDayOf(parseDate(thursday)) - epochDayOf({ year, month: 1, day: 1 });
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** Monday of an ISO week. */
export function mondayOf({ year, week }: IsoWeek): string {
  // 4 January is always in week 1.
  const jan4 = formatDate({ year, month: 1, day: 4 });
  const monday1 = addCalendarDays(jan4, 1 - (dayOfWeek(jan4) || 7));
  return addCalendarDays(monday1, (week - 1) * 7);
}

/** `2026-W41` → the week; null when malformed or the year has no such week. */
export function parseWeek(text: string): IsoWeek | null {
  const m = WEEK_PATTERN.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1001 || year > 9998 || week < 1 || week > 53) return null;
  const parsed = isoWeekOf(mondayOf({ year, week }));
  return parsed.year === year && parsed.week === week ? parsed : null;
}

/** The ISO week an instant falls in, in the business time zone. */
export function weekAt(instant: Date, tz: string): IsoWeek {
  return isoWeekOf(businessDateOf(instant, tz));
}

export function previousWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(addCalendarDays(mondayOf(week), -7));
}

/** "2026年第41周（10月5日—10月11日）". */
export function describeWeek(week: IsoWeek): string {
  const monday = parseDate(mondayOf(week));
  const sunday = parseDate(addCalendarDays(mondayOf(week), 6));
  return `${week.year}年第${week.week}周（${monday.month}月${monday.day}日—${sunday.month}月${sunday.day}日）`;
}

// ---------------------------------------------------------------------------------------------
// Cron

/** A parsed five-field cron expression: minute hour day-of-month month day-of-week. */
export interface CronSpec {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: ReadonlySet<number>;
  /** Both day fields restricted: a day matches either (classic cron). */
  dayOr: boolean;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

function field(
  text: string,
  label: string,
  min: number,
  max: number,
  names: readonly string[] = [],
  nameBase = 0,
): Set<number> {
  const value = (s: string): number => {
    const named = names.indexOf(s.toUpperCase());
    if (named >= 0) return named + nameBase;
    if (!/^\d+$/.test(s)) throw new CronError(`${label}“${s}”不是数字`);
    const n = Number(s);
    if (n < min || n > max) throw new CronError(`${label}“${s}”须在 ${min}–${max} 之间`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new CronError(`${label}“${part}”写法不对`);
    const step = stepText === undefined ? 1 : value(stepText);
    if (step < 1) throw new CronError(`${label}步长须大于 0`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
      if (from > to) throw new CronError(`${label}范围“${range}”前大后小`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Parses `30 8 * * 1` (minute hour day-of-month month day-of-week); throws CronError. */
export function parseCron(source: string): CronSpec {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(`须为 5 段（分 时 日 月 周），例如 “30 8 * * 1”，实为 ${parts.length} 段`);
  }
  const [mi, h, dom, mon, dow] = parts;
  const daysOfWeek = field(dow, '星期', 0, 7, DAY_NAMES);
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    source: parts.join(' '),
    minutes: field(mi, '分钟', 0, 59),
    hours: field(h, '小时', 0, 23),
    daysOfMonth: field(dom, '日', 1, 31),
    months: field(mon, '月', 1, 12, MONTH_NAMES, 1),
    daysOfWeek,
    dayOr: dom !== '*' && dow !== '*',
  };
}

function dayMatches(spec: CronSpec, date: string): boolean {
  const { month, day } = parseDate(date);
  if (!spec.months.has(month)) return false;
  const domOk = spec.daysOfMonth.has(day);
  const dowOk = spec.daysOfWeek.has(dayOfWeek(date));
  return spec.dayOr ? domOk || dowOk : domOk && dowOk;
}

/** What the digest of a week is scheduled by. */
export interface DigestTiming {
  cron: CronSpec;
  tz: string;
  isWorkday(date: string): boolean;
  nextOrSameWorkday(date: string): string;
}

export interface DigestSlot {
  week: IsoWeek;
  /** The day and time the cron names (the first in the week). */
  nominalDate: string;
  time: string;
  /** The working day it goes out on (the nominal day, or the next working day after it). */
  date: string;
  at: Date;
}

/**
 * When a week's digest goes out: the first day of the week the cron names, at its first time of
 * that day; on a day off, the next working day at the same time. Null when the cron names no day
 * of this week (e.g. the 31st of a month).
 */
export function digestSlot(week: IsoWeek, timing: DigestTiming): DigestSlot | null {
  const monday = mondayOf(week);
  const { cron } = timing;
  const hour = Math.min(...cron.hours);
  const minute = Math.min(...cron.minutes);
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  for (let i = 0; i < 7; i++) {
    const nominal = addCalendarDays(monday, i);
    if (!dayMatches(cron, nominal)) continue;
    const date = timing.nextOrSameWorkday(nominal);
    return {
      week,
      nominalDate: nominal,
      time,
      date,
      at: zonedDateTimeToUtc(date, time, timing.tz),
    };
  }
  return null;
}

/**
 * The weeks whose digest is due at `now`, oldest first: their time has come, and it is still the
 * week they go out in — a digest missed while nothing ran is sent late within its week, never in
 * a later one. Last week's counts when a long holiday pushed it into this week. Whether it was
 * already sent is the caller's to check.
 */
export function dueWeeks(now: Date, timing: DigestTiming): DigestSlot[] {
  const current = weekAt(now, timing.tz);
  const out: DigestSlot[] = [];
  for (const week of [previousWeek(current), current]) {
    const slot = digestSlot(week, timing);
    if (!slot || slot.at.getTime() > now.getTime()) continue;
    const sendWeek = isoWeekOf(slot.date);
    if (sendWeek.year === current.year && sendWeek.week === current.week) out.push(slot);
  }
  return out;
}
