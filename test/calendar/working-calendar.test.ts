import { describe, expect, it } from '@jest/globals';
import cd from 'chinese-days';
import {
  CalendarOverrideError,
  WorkingCalendar,
  type CalendarOverride,
} from '../../src/calendar/working-calendar.js';

const calendar = new WorkingCalendar();

describe('WorkingCalendar.OFFICIAL_DATA_YEARS', () => {
  it('is derived from chinese-days 1.5.7 as 2004–2026', () => {
    expect(WorkingCalendar.OFFICIAL_DATA_YEARS).toEqual({ from: 2004, to: 2026 });
  });

  it('matches the package: 2027 is answered Monday–Friday without any holiday', () => {
    // 2027-10-01 is a Friday: the package calls National Day a working day — it has no data.
    expect(cd.isWorkday(new Date(2027, 9, 1))).toBe(true);
    expect(cd.isWorkday(new Date(2026, 9, 1))).toBe(false);
  });
});

describe('isWorkday (package data)', () => {
  it.each([
    ['2022-10-01', false], // Saturday, National Day
    ['2022-10-03', false], // Monday, National Day holiday
    ['2022-10-07', false], // Friday, holiday in lieu
    ['2022-10-08', true], // Saturday, make-up working day (调休)
    ['2022-10-09', true], // Sunday, make-up working day
    ['2022-10-10', true], // Monday
    ['2022-10-15', false], // ordinary Saturday
    ['2022-09-12', false], // Monday, Mid-Autumn holiday
    ['2022-12-30', true], // Friday
    ['2022-12-31', false], // Saturday
    ['2023-01-02', false], // Monday, New Year holiday
    ['2023-01-28', true], // Saturday, Spring Festival make-up day
    ['2026-02-14', true], // Saturday, make-up day
    ['2026-02-16', false], // Monday, Spring Festival
    ['2004-01-01', false], // first year with data
  ])('%s → %s', (date, expected) => {
    expect(calendar.isWorkday(date)).toBe(expected);
  });

  it('rejects an invalid date', () => {
    expect(() => calendar.isWorkday('2022-02-30')).toThrow('日期“2022-02-30”无效');
  });
});

describe('addWorkdays', () => {
  it.each([
    // Across the 2022 National Day week (10-01…10-07 off, 10-08/10-09 worked).
    ['2022-09-30', 1, '2022-10-08'],
    ['2022-09-30', 2, '2022-10-09'],
    ['2022-09-30', 3, '2022-10-10'],
    ['2022-10-10', -1, '2022-10-09'],
    ['2022-10-10', -2, '2022-10-08'],
    ['2022-10-10', -3, '2022-09-30'],
    ['2022-10-10', -7, '2022-09-26'],
    ['2022-10-08', -1, '2022-09-30'],
    ['2022-10-04', 1, '2022-10-08'], // from inside the holiday
    ['2022-10-04', -1, '2022-09-30'],
    ['2022-10-04', 0, '2022-10-04'], // zero steps: the date itself, even on a holiday
    ['2022-10-10', 0, '2022-10-10'],
    ['2022-12-30', 1, '2023-01-03'], // over the 2023 New Year holiday
    ['2022-10-14', 5, '2022-10-21'], // an ordinary week
  ])('%s %+d → %s', (date, n, expected) => {
    expect(calendar.addWorkdays(date, n)).toBe(expected);
  });

  it('counts 30 working days from 2022-09-20 over National Day', () => {
    // Sep 21–23, 26–30 (8), Oct 8–9 (10), Oct 10–14 (15), 17–21 (20), 24–28 (25), Oct 31–Nov 4 (30).
    expect(calendar.addWorkdays('2022-09-20', 30)).toBe('2022-11-04');
    expect(calendar.addWorkdays('2022-11-04', -30)).toBe('2022-09-20');
  });

  it('rejects a non-integer count', () => {
    expect(() => calendar.addWorkdays('2022-10-10', 1.5)).toThrow('工作日数“1.5”须为整数');
  });
});

describe('previousOrSameWorkday / nextOrSameWorkday', () => {
  it.each([
    ['2022-10-05', '2022-09-30', '2022-10-08'],
    ['2022-10-08', '2022-10-08', '2022-10-08'],
    ['2022-10-15', '2022-10-14', '2022-10-17'],
    ['2022-10-10', '2022-10-10', '2022-10-10'],
  ])('%s → previous %s, next %s', (date, previous, next) => {
    expect(calendar.previousOrSameWorkday(date)).toBe(previous);
    expect(calendar.nextOrSameWorkday(date)).toBe(next);
  });
});

describe('lastWorkdayOfYear', () => {
  it.each([
    [2022, '2022-12-30'], // 12-31 is a Saturday
    [2023, '2023-12-29'], // 12-30/31 weekend
    [2024, '2024-12-31'],
    [2018, '2018-12-29'], // 12-29 is a make-up Saturday, 12-30/31 New Year holiday
    [2027, '2027-12-31'], // no data: Friday by the Monday–Friday fallback
  ])('%d → %s', (year, expected) => {
    expect(calendar.lastWorkdayOfYear(year)).toBe(expected);
  });
});

describe('years without data', () => {
  it('2027 has no official data without overrides', () => {
    expect(calendar.hasOfficialData(2022)).toBe(true);
    expect(calendar.hasOfficialData(2026)).toBe(true);
    expect(calendar.hasOfficialData(2027)).toBe(false);
    expect(calendar.hasOfficialData(2003)).toBe(false);
  });

  it('yearsWithoutData lists the guessed years once, ascending', () => {
    expect(
      calendar.yearsWithoutData([
        '2030-01-01',
        '2026-12-31',
        '2027-01-01',
        '2027-06-01',
        '2022-10-10',
      ]),
    ).toEqual([2027, 2030]);
    expect(calendar.yearsWithoutData(['2022-12-31', '2023-01-01'])).toEqual([]);
    expect(calendar.yearsWithoutData([])).toEqual([]);
  });

  it('falls back to Monday–Friday for 2027', () => {
    expect(calendar.isWorkday('2027-02-05')).toBe(true); // Friday
    expect(calendar.isWorkday('2027-02-06')).toBe(false); // Saturday
    expect(calendar.isWorkday('2027-02-08')).toBe(true); // Monday
    expect(calendar.isWorkday('2027-10-01')).toBe(true); // Friday (National Day, unknown here)
  });
});

describe('admin overrides', () => {
  const overrides: CalendarOverride[] = [
    { date: '2027-02-06', kind: 'workday', note: '春节调休上班' },
    { date: '2027-02-08', kind: 'holiday', note: '春节' },
    { date: '2027-02-09', kind: 'holiday', note: '春节' },
    { date: '2022-10-10', kind: 'holiday', note: '管理员更正（测试用）' },
  ];
  const adjusted = new WorkingCalendar(overrides);

  it('makes 2027 a year with official data', () => {
    expect(adjusted.hasOfficialData(2027)).toBe(true);
    expect(adjusted.hasOfficialData(2028)).toBe(false);
    expect(adjusted.yearsWithoutData(['2027-03-01', '2028-03-01'])).toEqual([2028]);
  });

  it.each([
    ['2027-02-06', true], // Saturday made a working day
    ['2027-02-07', false], // Sunday, no override
    ['2027-02-08', false], // Monday made a holiday
    ['2027-02-10', true], // Wednesday, no override
    ['2022-10-10', false], // override wins over package data
    ['2022-10-08', true], // package data still applies elsewhere
  ])('isWorkday %s → %s', (date, expected) => {
    expect(adjusted.isWorkday(date)).toBe(expected);
  });

  it('counts working days through the overrides', () => {
    expect(adjusted.addWorkdays('2027-02-05', 1)).toBe('2027-02-06');
    expect(adjusted.addWorkdays('2027-02-06', 1)).toBe('2027-02-10');
    expect(adjusted.addWorkdays('2027-02-10', -1)).toBe('2027-02-06');
    expect(adjusted.previousOrSameWorkday('2027-02-09')).toBe('2027-02-06');
    expect(adjusted.addWorkdays('2022-10-11', -1)).toBe('2022-10-09');
  });

  it('does not change the calendar without overrides', () => {
    expect(calendar.isWorkday('2022-10-10')).toBe(true);
    expect(calendar.isWorkday('2027-02-06')).toBe(false);
  });

  it('lists overrides sorted by date', () => {
    expect(adjusted.overrideList.map((o) => o.date)).toEqual([
      '2022-10-10',
      '2027-02-06',
      '2027-02-08',
      '2027-02-09',
    ]);
  });

  it.each([
    [
      [{ date: '2027-02-30', kind: 'workday' }],
      0,
      '第 1 条日历调整的日期“2027-02-30”无效，须为 YYYY-MM-DD',
    ],
    [
      [
        { date: '2027-02-06', kind: 'workday' },
        { date: '2027-02-07', kind: 'weekend' },
      ],
      1,
      '第 2 条日历调整（2027-02-07）的类型“weekend”无效，须为 workday 或 holiday',
    ],
    [
      [
        { date: '2027-02-06', kind: 'workday' },
        { date: '2027-02-06', kind: 'holiday' },
      ],
      1,
      '日历调整中 2027-02-06 同时被设为工作日和休息日',
    ],
  ])('rejects bad overrides %#', (list, index, message) => {
    let error: unknown;
    try {
      new WorkingCalendar(list as CalendarOverride[]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarOverrideError);
    expect((error as CalendarOverrideError).index).toBe(index);
    expect((error as CalendarOverrideError).message).toBe(message);
  });

  it('accepts the same override twice with the same kind', () => {
    const twice = new WorkingCalendar([
      { date: '2027-02-06', kind: 'workday' },
      { date: '2027-02-06', kind: 'workday' },
    ]);
    expect(twice.isWorkday('2027-02-06')).toBe(true);
    expect(twice.overrideList).toEqual([{ date: '2027-02-06', kind: 'workday' }]);
  });
});
