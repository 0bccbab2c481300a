import { businessDateOf, isValidTimeZone, zonedDateTimeToUtc } from '../calendar/business-time.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { normalizePolicy, type ReminderPolicy } from './reminder-policy.js';

export interface ScheduledReminder {
  /** The normalised policy offset this reminder comes from, e.g. '-P1D'. */
  offset: string;
  fireAt: Date;
}

/**
 * The reminders of one deadline under a policy.
 *
 * Day offsets count working days from the anchor day: the deadline's business date if it is a
 * working day, else the working day before it (so `P0D` for a Saturday deadline fires on Friday).
 * `-PnD` is n working days before the anchor, `PnD` n working days after it (overdue reminders);
 * they fire at `policy.sendAt` business time. Time offsets fire exactly that long before/after
 * `dueAt`. The result is sorted by fireAt, ties by offset; repeated offsets appear once.
 */
export function computeReminders(
  deadline: { dueAt: Date },
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
  tz: string,
): ScheduledReminder[] {
  const dueMs = deadline.dueAt instanceof Date ? deadline.dueAt.getTime() : NaN;
  if (Number.isNaN(dueMs)) throw new RangeError('截止时间无效，无法计算提醒时间');
  if (!isValidTimeZone(tz))
    throw new RangeError(`时区“${String(tz)}”无效，须为 IANA 时区名，例如 Asia/Shanghai`);
  const { offsets, sendAt } = normalizePolicy(policy);
  let anchor: string | undefined;
  const reminders = offsets.map(({ offset, parsed }): ScheduledReminder => {
    if (parsed.kind === 'exact') return { offset, fireAt: new Date(dueMs + parsed.milliseconds) };
    anchor ??= calendar.previousOrSameWorkday(businessDateOf(deadline.dueAt, tz));
    const day = calendar.addWorkdays(anchor, parsed.workdays);
    return { offset, fireAt: zonedDateTimeToUtc(day, sendAt, tz) };
  });
  return reminders.sort(
    (a, b) =>
      a.fireAt.getTime() - b.fireAt.getTime() ||
      (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0),
  );
}

/**
 * A deadline's reminders as planned occurrences of a reminder source: keyed by offset and
 * deadline (the same reminder of the same deadline keeps its key), with what firing checks.
 */
export function deadlineOccurrences(
  dueAt: Date,
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
  tz: string,
): { key: string; fireAt: Date; detail: { offset: string; dueAt: string } }[] {
  const due = dueAt.toISOString();
  return computeReminders({ dueAt }, policy, calendar, tz).map((r) => ({
    key: `${r.offset}@${due}`,
    fireAt: r.fireAt,
    detail: { offset: r.offset, dueAt: due },
  }));
}
