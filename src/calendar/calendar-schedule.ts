/**
 * An official year schedule (国务院办公厅关于某年部分节假日安排的通知) as an admin enters it:
 * holiday periods and the adjusted working days (调休). Pure: no Nest, no database.
 */
import { addCalendarDays, isValidDate, parseDate } from './business-time.js';
import type { CalendarOverride } from './working-calendar.js';

export interface YearScheduleInput {
  /** Holiday periods, e.g. {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}. */
  holidays: { name: string; from: string; to?: string }[];
  /** Weekend days that are working days, e.g. {"name": "春节调休", "date": "2027-02-14"}. */
  workdays: { name: string; date: string }[];
}

export class ScheduleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validates a year's schedule and turns it into calendar overrides (one per day). */
export function scheduleToOverrides(year: number, input: unknown): CalendarOverride[] {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new ScheduleError('year', `年份“${year}”无效，须为 2000–2100`);
  }
  const body = input as Partial<YearScheduleInput> | null;
  if (
    !body ||
    typeof body !== 'object' ||
    !Array.isArray(body.holidays) ||
    !Array.isArray(body.workdays)
  ) {
    throw new ScheduleError(
      'holidays',
      '须为 {"holidays": [{"name", "from", "to"}], "workdays": [{"name", "date"}]}',
    );
  }
  if (body.holidays.length === 0) throw new ScheduleError('holidays', '至少须有一个假期');
  const out = new Map<string, CalendarOverride>();
  const inYear = (date: unknown, field: string): string => {
    if (typeof date !== 'string' || !isValidDate(date)) {
      throw new ScheduleError(field, `“${String(date)}”不是有效日期（YYYY-MM-DD）`);
    }
    if (parseDate(date).year !== year) throw new ScheduleError(field, `${date} 不在 ${year} 年`);
    return date;
  };
  const nameOf = (name: unknown, field: string): string => {
    if (typeof name !== 'string' || !name.trim() || name.length > 50) {
      throw new ScheduleError(field, '须写明假期名称（不超过 50 字）');
    }
    return name.trim();
  };
  body.holidays.forEach((h, i) => {
    const name = nameOf(h?.name, `holidays[${i}].name`);
    const from = inYear(h?.from, `holidays[${i}].from`);
    const to = inYear(h?.to ?? from, `holidays[${i}].to`);
    if (to < from)
      throw new ScheduleError(`holidays[${i}].to`, `结束日期 ${to} 早于开始日期 ${from}`);
    for (let d = from, n = 0; d <= to; d = addCalendarDays(d, 1), n++) {
      if (n > 31) throw new ScheduleError(`holidays[${i}]`, '一个假期不超过 31 天');
      out.set(d, { date: d, kind: 'holiday', note: name });
    }
  });
  body.workdays.forEach((w, i) => {
    const date = inYear(w?.date, `workdays[${i}].date`);
    if (out.get(date)?.kind === 'holiday') {
      throw new ScheduleError(`workdays[${i}].date`, `${date} 已是假期，不能同时是调休工作日`);
    }
    out.set(date, { date, kind: 'workday', note: nameOf(w?.name, `workdays[${i}].name`) });
  });
  return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}
