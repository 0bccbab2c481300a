import { describe, expect, it } from '@jest/globals';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import {
  CronError,
  type DigestTiming,
  digestSlot,
  dueWeeks,
  formatWeek,
  isoWeekOf,
  mondayOf,
  parseCron,
  parseWeek,
} from '../../src/digests/digest-schedule.js';

const calendar = new WorkingCalendar();
const timing = (cron = '30 8 * * 1'): DigestTiming => ({
  cron: parseCron(cron),
  tz: 'Asia/Shanghai',
  isWorkday: (d) => calendar.isWorkday(d),
  nextOrSameWorkday: (d) => calendar.nextOrSameWorkday(d),
});
const at = (local: string) => new Date(`${local}+08:00`);

describe('when the weekly digest goes out', () => {
  it('numbers weeks the ISO way, across year ends', () => {
    expect(formatWeek(isoWeekOf('2026-10-05'))).toBe('2026-W41');
    expect(formatWeek(isoWeekOf('2027-01-01'))).toBe('2026-W53');
    expect(formatWeek(isoWeekOf('2024-12-30'))).toBe('2025-W01');
    expect(mondayOf({ year: 2026, week: 41 })).toBe('2026-10-05');
    expect(mondayOf({ year: 2025, week: 1 })).toBe('2024-12-30');
    expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseWeek('2025-W53')).toBeNull(); // 2025 has 52 weeks
    expect(parseWeek('2026-41')).toBeNull();
  });

  it('is Monday 08:30 business time on a working Monday', () => {
    const slot = digestSlot({ year: 2026, week: 24 }, timing())!;
    expect(slot.date).toBe('2026-06-08');
    expect(slot.at.toISOString()).toBe(at('2026-06-08T08:30:00').toISOString());
  });

  it('moves to the next working day when Monday is a holiday (National Day 2026)', () => {
    expect(calendar.isWorkday('2026-10-05')).toBe(false);
    const slot = digestSlot({ year: 2026, week: 41 }, timing())!;
    expect(slot.nominalDate).toBe('2026-10-05');
    expect(slot.date).toBe('2026-10-08');
    expect(slot.at.toISOString()).toBe(at('2026-10-08T08:30:00').toISOString());
  });

  it('sends a week pushed into the next one by Spring Festival late, in that week, once each', () => {
    // 2026-02-16 and 2026-02-23 are both holiday Mondays; the 24th is the first working day.
    const w08 = digestSlot({ year: 2026, week: 8 }, timing())!;
    const w09 = digestSlot({ year: 2026, week: 9 }, timing())!;
    expect(w08.date).toBe('2026-02-24');
    expect(w09.date).toBe('2026-02-24');
    expect(dueWeeks(at('2026-02-24T08:29:00'), timing())).toEqual([]);
    expect(dueWeeks(at('2026-02-24T08:31:00'), timing()).map((s) => formatWeek(s.week))).toEqual([
      '2026-W08',
      '2026-W09',
    ]);
  });

  it('never sends a week late in a later week', () => {
    // Tuesday of W42: W41 (sent on Thursday the 8th) is not due any more; W42 (Monday) is.
    expect(dueWeeks(at('2026-10-13T09:00:00'), timing()).map((s) => formatWeek(s.week))).toEqual([
      '2026-W42',
    ]);
    // Before Monday 08:30 nothing is due, not even last week's.
    expect(dueWeeks(at('2026-10-12T08:00:00'), timing())).toEqual([]);
  });

  it('follows a configured cron (Friday 17:00), still on working days', () => {
    const slot = digestSlot({ year: 2026, week: 40 }, timing('0 17 * * FRI'))!;
    // Friday 2026-10-02 is National Day: the next working day is Thursday the 8th, next week.
    expect(slot.nominalDate).toBe('2026-10-02');
    expect(slot.date).toBe('2026-10-08');
    expect(digestSlot({ year: 2026, week: 24 }, timing('0 17 * * 5'))!.date).toBe('2026-06-12');
  });

  it('refuses a malformed cron with a Chinese explanation', () => {
    expect(() => parseCron('30 8 * *')).toThrow(CronError);
    expect(() => parseCron('30 25 * * 1')).toThrow('小时“25”须在 0–23 之间');
    expect(() => parseCron('x 8 * * 1')).toThrow('分钟“x”不是数字');
    expect(parseCron('30 8 * * 7').daysOfWeek).toEqual(new Set([0]));
  });
});
