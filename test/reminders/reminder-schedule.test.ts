import { describe, expect, it } from '@jest/globals';
import { endOfBusinessDay } from '../../src/calendar/business-time.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import {
  DEFAULT_REMINDER_POLICY,
  PolicyValidationError,
  type ReminderPolicy,
} from '../../src/reminders/reminder-policy.js';
import { computeReminders, type ScheduledReminder } from '../../src/reminders/reminder-schedule.js';

const SH = 'Asia/Shanghai';
const calendar = new WorkingCalendar();

function plain(reminders: ScheduledReminder[]): [string, string][] {
  return reminders.map((r) => [r.offset, r.fireAt.toISOString()]);
}

function due(date: string, tz = SH): { dueAt: Date } {
  return { dueAt: endOfBusinessDay(date, tz) };
}

describe('computeReminders with the default policy', () => {
  it('deadline 2022-10-10 (Monday after National Day): counts the make-up weekend, skips the holiday', () => {
    expect(
      plain(computeReminders(due('2022-10-10'), DEFAULT_REMINDER_POLICY, calendar, SH)),
    ).toEqual([
      // 7 working days back: 10-09, 10-08 (make-up), 09-30, 09-29, 09-28, 09-27, 09-26.
      ['-P7D', '2022-09-26T01:00:00.000Z'],
      // 1 working day back is the make-up Sunday 2022-10-09.
      ['-P1D', '2022-10-09T01:00:00.000Z'],
      ['P0D', '2022-10-10T01:00:00.000Z'],
    ]);
  });

  it('deadline on a Saturday: P0D fires on Friday 09:00', () => {
    expect(
      plain(computeReminders(due('2022-10-15'), DEFAULT_REMINDER_POLICY, calendar, SH)),
    ).toEqual([
      ['-P7D', '2022-09-30T01:00:00.000Z'], // 10-14 anchor; 13,12,11,10,09,08, 09-30
      ['-P1D', '2022-10-13T01:00:00.000Z'],
      ['P0D', '2022-10-14T01:00:00.000Z'],
    ]);
  });

  it('deadline inside the holiday week: anchored on the last working day before it', () => {
    expect(
      plain(computeReminders(due('2022-10-05'), DEFAULT_REMINDER_POLICY, calendar, SH)),
    ).toEqual([
      ['-P7D', '2022-09-21T01:00:00.000Z'],
      ['-P1D', '2022-09-29T01:00:00.000Z'],
      ['P0D', '2022-09-30T01:00:00.000Z'],
    ]);
  });

  it('uses the business date, not the UTC date, of dueAt', () => {
    // 2022-10-10 00:30 in Shanghai is still 2022-10-09 in UTC.
    const dueAt = new Date('2022-10-09T16:30:00.000Z');
    expect(
      plain(computeReminders({ dueAt }, { offsets: ['P0D'], sendAt: '09:00' }, calendar, SH)),
    ).toEqual([['P0D', '2022-10-10T01:00:00.000Z']]);
  });
});

describe('exact offsets', () => {
  const dueAt = new Date('2022-10-10T07:00:00.000Z');

  it('-PT5S fires exactly 5 s before dueAt', () => {
    const [reminder] = computeReminders(
      { dueAt },
      { offsets: ['-PT5S'], sendAt: '09:00' },
      calendar,
      SH,
    );
    expect(reminder?.fireAt.toISOString()).toBe('2022-10-10T06:59:55.000Z');
    expect(dueAt.getTime() - (reminder?.fireAt.getTime() ?? 0)).toBe(5000);
  });

  it('supports fractions of a second, zero and positive offsets, and ignores the working calendar', () => {
    const holidayDue = new Date('2022-10-03T02:00:00.000Z'); // National Day holiday
    const policy: ReminderPolicy = {
      offsets: ['PT1M', '-PT0.5S', 'PT0S', '-PT2H30M'],
      sendAt: '09:00',
    };
    expect(plain(computeReminders({ dueAt: holidayDue }, policy, calendar, SH))).toEqual([
      ['-PT2H30M', '2022-10-02T23:30:00.000Z'],
      ['-PT0.5S', '2022-10-03T01:59:59.500Z'],
      ['PT0S', '2022-10-03T02:00:00.000Z'],
      ['PT1M', '2022-10-03T02:01:00.000Z'],
    ]);
  });
});

describe('ordering, normalisation and duplicates', () => {
  it('sorts by fireAt and breaks ties by offset', () => {
    // dueAt is Friday 2022-10-14 09:00 Shanghai: P0D and PT0S fire at the same instant.
    const dueAt = new Date('2022-10-14T01:00:00.000Z');
    const policy = { offsets: ['PT0S', 'P1D', 'P0D', '-PT1S', '-P1W'], sendAt: '09:00' };
    expect(plain(computeReminders({ dueAt }, policy, calendar, SH))).toEqual([
      ['-P1W', '2022-10-09T01:00:00.000Z'], // 5 working days: 13, 12, 11, 10, 09 (make-up Sunday)
      ['-PT1S', '2022-10-14T00:59:59.000Z'],
      ['P0D', '2022-10-14T01:00:00.000Z'],
      ['PT0S', '2022-10-14T01:00:00.000Z'],
      ['P1D', '2022-10-17T01:00:00.000Z'], // overdue reminder on the next working day (Monday)
    ]);
  });

  it('returns normalised offsets once each', () => {
    const policy = { offsets: ['-P1D', '-p01d', '-P1D', '-PT0.50S', '-P0D'], sendAt: '9:30' };
    expect(plain(computeReminders(due('2022-10-10'), policy, calendar, SH))).toEqual([
      ['-P1D', '2022-10-09T01:30:00.000Z'],
      ['P0D', '2022-10-10T01:30:00.000Z'],
      ['-PT0.5S', '2022-10-10T15:59:58.500Z'],
    ]);
  });

  it('rejects a stored policy with an invalid offset or sendAt', () => {
    const badOffset = (): unknown =>
      computeReminders(
        due('2022-10-10'),
        { offsets: ['-P1D', 'P1M'], sendAt: '09:00' },
        calendar,
        SH,
      );
    expect(badOffset).toThrow(PolicyValidationError);
    expect(badOffset).toThrow('offsets[1]：“P1M”含年（Y）或月（M）');
    const badSendAt = (): unknown =>
      computeReminders(due('2022-10-10'), { offsets: ['-P1D'], sendAt: '25:00' }, calendar, SH);
    expect(badSendAt).toThrow('sendAt：“25:00”不是合法的发送时刻');
  });

  it('rejects an invalid deadline or time zone', () => {
    expect(() =>
      computeReminders({ dueAt: new Date(Number.NaN) }, DEFAULT_REMINDER_POLICY, calendar, SH),
    ).toThrow('截止时间无效，无法计算提醒时间');
    expect(() =>
      computeReminders(due('2022-10-10'), DEFAULT_REMINDER_POLICY, calendar, 'Asia/Nowhere'),
    ).toThrow('时区“Asia/Nowhere”无效');
  });
});

describe('years without official data', () => {
  const policy = { offsets: ['-P1D', 'P0D'], sendAt: '09:00' };

  it('2027 without overrides: Monday–Friday guess', () => {
    // 2027-02-08 is a Monday.
    expect(plain(computeReminders(due('2027-02-08'), policy, calendar, SH))).toEqual([
      ['-P1D', '2027-02-05T01:00:00.000Z'],
      ['P0D', '2027-02-08T01:00:00.000Z'],
    ]);
  });

  it('2027 with admin overrides follows the official schedule', () => {
    const adjusted = new WorkingCalendar([
      { date: '2027-02-06', kind: 'workday', note: '调休上班' },
      { date: '2027-02-08', kind: 'holiday', note: '春节' },
    ]);
    expect(plain(computeReminders(due('2027-02-08'), policy, adjusted, SH))).toEqual([
      ['-P1D', '2027-02-05T01:00:00.000Z'],
      ['P0D', '2027-02-06T01:00:00.000Z'],
    ]);
  });
});

describe('a daylight-saving time zone', () => {
  it('fires at sendAt local time on both sides of the New York spring-forward', () => {
    const tz = 'America/New_York';
    // Deadline Monday 2022-03-14 (EDT since 03-13); the working day before is Friday 03-11 (EST).
    const reminders = computeReminders(
      { dueAt: endOfBusinessDay('2022-03-14', tz) },
      { offsets: ['-P1D', 'P0D', '-PT5S'], sendAt: '09:00' },
      calendar,
      tz,
    );
    expect(plain(reminders)).toEqual([
      ['-P1D', '2022-03-11T14:00:00.000Z'],
      ['P0D', '2022-03-14T13:00:00.000Z'],
      ['-PT5S', '2022-03-15T03:59:54.000Z'],
    ]);
  });
});
