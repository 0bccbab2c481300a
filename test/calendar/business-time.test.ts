import { describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  businessDateOf,
  dayOfWeek,
  endOfBusinessDay,
  isValidDate,
  isValidTimeZone,
  zonedDateTimeToUtc,
} from '../../src/calendar/business-time.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('isValidTimeZone', () => {
  it.each([
    ['Asia/Shanghai', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Europe/London', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['   ', false],
    ['Asia/Shanghai ', false],
  ])('%j → %s', (tz, expected) => {
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});

describe('isValidDate', () => {
  it.each([
    ['2022-10-08', true],
    ['2022-02-28', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2022-12-31', true],
    ['2022-02-29', false],
    ['2022-02-30', false],
    ['1900-02-29', false],
    ['2022-04-31', false],
    ['2022-13-01', false],
    ['2022-00-10', false],
    ['2022-01-00', false],
    ['2022-2-3', false],
    ['20220203', false],
    ['2022-02-03T00:00', false],
    [' 2022-02-03', false],
    ['', false],
  ])('%j → %s', (s, expected) => {
    expect(isValidDate(s)).toBe(expected);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2022-12-31', 1, '2023-01-01'],
    ['2023-01-01', -1, '2022-12-31'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2022-02-28', 1, '2022-03-01'],
    ['2022-03-01', -1, '2022-02-28'],
    ['2022-10-10', 0, '2022-10-10'],
    ['2022-01-01', 365, '2023-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2022-10-10', -14, '2022-09-26'],
  ])('%s %+d → %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
  });

  it('agrees with Date.UTC over a long span', () => {
    for (let n = -40000; n <= 40000; n += 997) {
      const expected = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      expect(addCalendarDays('2000-01-01', n)).toBe(expected);
    }
  });

  it('rejects invalid dates and non-integer counts', () => {
    expect(() => addCalendarDays('2022-02-30', 1)).toThrow('日期“2022-02-30”无效');
    expect(() => addCalendarDays('2022-02-01', 1.5)).toThrow('天数“1.5”须为整数');
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['2022-10-08', 6],
    ['2022-10-09', 0],
    ['2022-10-10', 1],
    ['1970-01-01', 4],
    ['2027-02-06', 6],
  ])('%s → %d', (date, expected) => {
    expect(dayOfWeek(date)).toBe(expected);
  });
});

describe('businessDateOf', () => {
  it.each([
    ['2022-10-09T16:00:00.000Z', SH, '2022-10-10'],
    ['2022-10-09T15:59:59.999Z', SH, '2022-10-09'],
    ['2022-12-31T16:30:00.000Z', SH, '2023-01-01'],
    ['2022-07-05T03:59:59.000Z', NY, '2022-07-04'],
    ['2022-07-05T04:00:00.000Z', NY, '2022-07-05'],
    ['2022-01-05T04:59:59.000Z', NY, '2022-01-04'],
    ['2022-01-05T05:00:00.000Z', NY, '2022-01-05'],
    ['2022-10-09T23:00:00.000Z', 'UTC', '2022-10-09'],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(businessDateOf(new Date(iso), tz)).toBe(expected);
  });

  it('rejects an unknown time zone and an invalid instant', () => {
    expect(() => businessDateOf(new Date('2022-10-10T00:00:00Z'), 'Nowhere/City')).toThrow(
      '时区“Nowhere/City”无效',
    );
    expect(() => businessDateOf(new Date(Number.NaN), SH)).toThrow('时间无效');
  });
});

describe('zonedDateTimeToUtc', () => {
  it.each([
    // Asia/Shanghai: UTC+8 all year, no DST.
    ['2022-10-10', '09:00', SH, '2022-10-10T01:00:00.000Z'],
    ['2022-10-10', '00:00:00', SH, '2022-10-09T16:00:00.000Z'],
    ['2022-01-01', '07:59:59', SH, '2021-12-31T23:59:59.000Z'],
    // America/New_York: EST (UTC-5) in winter, EDT (UTC-4) in summer.
    ['2022-01-10', '09:00', NY, '2022-01-10T14:00:00.000Z'],
    ['2022-07-01', '09:00', NY, '2022-07-01T13:00:00.000Z'],
    ['2022-03-13', '01:59:59', NY, '2022-03-13T06:59:59.000Z'],
    ['2022-03-13', '03:00', NY, '2022-03-13T07:00:00.000Z'],
    // Skipped by the spring-forward jump: moved forward by the gap (02:30 EST = 03:30 EDT).
    ['2022-03-13', '02:30', NY, '2022-03-13T07:30:00.000Z'],
    // Repeated on the fall-back day: the earlier (EDT) instant.
    ['2022-11-06', '01:30', NY, '2022-11-06T05:30:00.000Z'],
    ['2022-11-06', '02:00', NY, '2022-11-06T07:00:00.000Z'],
    // Europe/London: the 01:00–02:00 gap in spring.
    ['2022-03-27', '01:30', 'Europe/London', '2022-03-27T01:30:00.000Z'],
    ['2022-06-01', '09:00', 'Europe/London', '2022-06-01T08:00:00.000Z'],
    // Non-whole-hour offset.
    ['2022-01-01', '00:00', 'Asia/Kathmandu', '2021-12-31T18:15:00.000Z'],
    ['2022-10-10', '09:00', 'UTC', '2022-10-10T09:00:00.000Z'],
  ])('%s %s %s → %s', (date, time, tz, expected) => {
    expect(zonedDateTimeToUtc(date, time, tz).toISOString()).toBe(expected);
  });

  it('round-trips noon of every day of 2022 in New York', () => {
    for (let d = '2022-01-01'; d <= '2022-12-31'; d = addCalendarDays(d, 1)) {
      const instant = zonedDateTimeToUtc(d, '12:00', NY);
      expect(businessDateOf(instant, NY)).toBe(d);
      const summer = d >= '2022-03-13' && d < '2022-11-06';
      expect(instant.getUTCHours()).toBe(summer ? 16 : 17);
    }
  });

  it.each([
    ['2022-02-30', '09:00', SH, '日期“2022-02-30”无效'],
    ['2022-10-10', '24:00', SH, '时刻“24:00”无效'],
    ['2022-10-10', '9:00', SH, '时刻“9:00”无效'],
    ['2022-10-10', '09:60', SH, '时刻“09:60”无效'],
    ['2022-10-10', '09:00', 'Asia/Nowhere', '时区“Asia/Nowhere”无效'],
  ])('rejects %s %s %s', (date, time, tz, message) => {
    expect(() => zonedDateTimeToUtc(date, time, tz)).toThrow(message);
  });
});

describe('endOfBusinessDay', () => {
  it.each([
    ['2022-12-30', SH, '2022-12-30T15:59:59.000Z'],
    ['2022-10-10', SH, '2022-10-10T15:59:59.000Z'],
    ['2022-07-04', NY, '2022-07-05T03:59:59.000Z'],
    ['2022-12-30', NY, '2022-12-31T04:59:59.000Z'],
  ])('%s in %s → %s', (date, tz, expected) => {
    expect(endOfBusinessDay(date, tz).toISOString()).toBe(expected);
  });
});
