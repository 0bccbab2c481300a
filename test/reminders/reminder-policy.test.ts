import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_REMINDER_POLICY,
  normalizeOffset,
  parseOffset,
  parseReminderPolicy,
  PolicyValidationError,
  type ParsedOffset,
} from '../../src/reminders/reminder-policy.js';

function errorOf(fn: () => unknown): PolicyValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error('expected a PolicyValidationError');
}

describe('DEFAULT_REMINDER_POLICY', () => {
  it('is 7 and 1 working days before and on the day, at 09:00', () => {
    expect(DEFAULT_REMINDER_POLICY).toEqual({ offsets: ['-P7D', '-P1D', 'P0D'], sendAt: '09:00' });
  });

  it('cannot be modified by accident', () => {
    expect(Object.isFrozen(DEFAULT_REMINDER_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_REMINDER_POLICY.offsets)).toBe(true);
  });
});

describe('parseOffset', () => {
  it.each<[string, ParsedOffset]>([
    ['-P7D', { kind: 'workdays', workdays: -7 }],
    ['-P1D', { kind: 'workdays', workdays: -1 }],
    ['P0D', { kind: 'workdays', workdays: 0 }],
    ['-P0D', { kind: 'workdays', workdays: 0 }],
    ['P2D', { kind: 'workdays', workdays: 2 }],
    ['+P3D', { kind: 'workdays', workdays: 3 }],
    ['-P1W', { kind: 'workdays', workdays: -5 }], // a week = 5 working days
    ['P2W', { kind: 'workdays', workdays: 10 }],
    ['-PT5S', { kind: 'exact', milliseconds: -5000 }],
    ['-PT2H30M', { kind: 'exact', milliseconds: -9_000_000 }],
    ['PT0S', { kind: 'exact', milliseconds: 0 }],
    ['-PT0S', { kind: 'exact', milliseconds: 0 }],
    ['-PT0.5S', { kind: 'exact', milliseconds: -500 }],
    ['PT1,25S', { kind: 'exact', milliseconds: 1250 }],
    ['+PT1M', { kind: 'exact', milliseconds: 60_000 }],
    ['-PT1H0M0.001S', { kind: 'exact', milliseconds: -3_600_001 }],
    ['pt10s', { kind: 'exact', milliseconds: 10_000 }],
  ])('%s', (input, expected) => {
    expect(parseOffset(input)).toEqual(expected);
  });

  it('never returns a negative zero', () => {
    expect(Object.is((parseOffset('-P0D') as { workdays: number }).workdays, 0)).toBe(true);
    expect(Object.is((parseOffset('-PT0S') as { milliseconds: number }).milliseconds, 0)).toBe(
      true,
    );
  });

  it.each([
    ['-PX', 'offset：“-PX”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['', 'offset：“”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['P', 'offset：“P”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['PT', 'offset：“PT”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['P1DT', 'offset：“P1DT”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['7D', 'offset：“7D”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['-P-7D', 'offset：“-P-7D”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['P1.5D', 'offset：“P1.5D”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    ['PT1.5M', 'offset：“PT1.5M”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）'],
    [
      'P1M',
      'offset：“P1M”含年（Y）或月（M），年、月的长度不固定，不能用于提醒；请改用工作日（如 -P20D）或周（如 -P4W，1 周 = 5 个工作日）',
    ],
    [
      '-P1Y',
      'offset：“-P1Y”含年（Y）或月（M），年、月的长度不固定，不能用于提醒；请改用工作日（如 -P20D）或周（如 -P4W，1 周 = 5 个工作日）',
    ],
    [
      '-P1DT2H',
      'offset：“-P1DT2H”同时含天数和时分秒，不支持：天数按工作日计算并在发送时刻（sendAt）发出，时分秒是相对截止时间的精确偏移，请二选一（如 -P1D 或 -PT26H）',
    ],
    [
      '-P1W2D',
      'offset：“-P1W2D”同时含周和天，不支持；请只用其一（1 周 = 5 个工作日，如 -P1W 或 -P5D）',
    ],
    ['-PT0.0001S', 'offset：“-PT0.0001S”的秒数最多精确到毫秒（小数点后 3 位）'],
    ['-P1001D', 'offset：“-P1001D”超出范围：最多相差 1000 个工作日'],
    ['-P201W', 'offset：“-P201W”超出范围：最多相差 1000 个工作日'],
    ['PT9601H', 'offset：“PT9601H”超出范围：最多相差 400 天'],
    ['P1234567890D', 'offset：“P1234567890D”数值过大'],
  ])('rejects %j', (input, message) => {
    const error = errorOf(() => parseOffset(input));
    expect(error.field).toBe('offset');
    expect(error.message).toBe(message);
    expect(error.name).toBe('PolicyValidationError');
  });
});

describe('normalizeOffset', () => {
  it.each([
    ['-P7D', '-P7D'],
    [' -p07d ', '-P7D'],
    ['+P1D', 'P1D'],
    ['-P0D', 'P0D'],
    ['-P00W', 'P0W'],
    ['-P1W', '-P1W'],
    ['-PT0H0M5S', '-PT5S'],
    ['-PT90M', '-PT90M'],
    ['PT1,50S', 'PT1.5S'],
    ['-PT0.500S', '-PT0.5S'],
    ['PT2.000S', 'PT2S'],
    ['-PT0S', 'PT0S'],
    ['PT0H', 'PT0S'],
    ['-PT2H30M', '-PT2H30M'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeOffset(input)).toBe(expected);
  });
});

describe('parseReminderPolicy', () => {
  it('accepts and normalises a valid body, keeping the offsets in order', () => {
    expect(
      parseReminderPolicy({ offsets: [' -p7d ', '-P01D', '-PT0.50S', 'P2D'], sendAt: '9:05' }),
    ).toEqual({ offsets: ['-P7D', '-P1D', '-PT0.5S', 'P2D'], sendAt: '09:05' });
  });

  it.each([
    [{ offsets: ['P0D'] }, { offsets: ['P0D'], sendAt: '09:00' }],
    [
      { offsets: ['P0D'], sendAt: null },
      { offsets: ['P0D'], sendAt: '09:00' },
    ],
    [
      { offsets: ['-PT5S'], sendAt: '00:00' },
      { offsets: ['-PT5S'], sendAt: '00:00' },
    ],
    [
      { offsets: ['-P1D'], sendAt: '23:59' },
      { offsets: ['-P1D'], sendAt: '23:59' },
    ],
    [
      { offsets: ['-P7D', '-P1D', 'P0D'], sendAt: '09:00' },
      { offsets: ['-P7D', '-P1D', 'P0D'], sendAt: '09:00' },
    ],
  ])('%j → %j', (input, expected) => {
    expect(parseReminderPolicy(input)).toEqual(expected);
  });

  it('accepts 20 offsets', () => {
    const offsets = Array.from({ length: 20 }, (_, i) => `-P${i + 1}D`);
    expect(parseReminderPolicy({ offsets }).offsets).toHaveLength(20);
  });

  it('returns a new object that does not share the input array', () => {
    const offsets = ['-P1D'];
    const policy = parseReminderPolicy({ offsets });
    offsets.push('-P2D');
    expect(policy.offsets).toEqual(['-P1D']);
  });

  it.each<[string, unknown, string, string]>([
    [
      'null body',
      null,
      'policy',
      'policy：提醒策略须为 JSON 对象，例如 {"offsets": ["-P7D", "-P1D", "P0D"], "sendAt": "09:00"}',
    ],
    [
      'array body',
      ['-P1D'],
      'policy',
      'policy：提醒策略须为 JSON 对象，例如 {"offsets": ["-P7D", "-P1D", "P0D"], "sendAt": "09:00"}',
    ],
    [
      'string body',
      '-P1D',
      'policy',
      'policy：提醒策略须为 JSON 对象，例如 {"offsets": ["-P7D", "-P1D", "P0D"], "sendAt": "09:00"}',
    ],
    [
      'missing offsets',
      { sendAt: '09:00' },
      'offsets',
      'offsets：必填，须为 ISO-8601 时长数组，例如 ["-P7D", "-P1D", "P0D"]',
    ],
    [
      'offsets not an array',
      { offsets: '-P1D' },
      'offsets',
      'offsets：须为 ISO-8601 时长数组，例如 ["-P7D", "-P1D", "P0D"]',
    ],
    ['no offsets', { offsets: [] }, 'offsets', 'offsets：至少需要 1 个提醒时间'],
    [
      '21 offsets',
      { offsets: Array.from({ length: 21 }, (_, i) => `-P${i}D`) },
      'offsets',
      'offsets：最多 20 个提醒时间，当前 21 个',
    ],
    [
      'an invalid offset',
      { offsets: ['-P7D', '-PX'] },
      'offsets[1]',
      'offsets[1]：“-PX”不是合法的 ISO-8601 时长（例如 -P7D、-PT5S）',
    ],
    [
      'a number offset',
      { offsets: [7] },
      'offsets[0]',
      'offsets[0]：须为字符串形式的 ISO-8601 时长（例如 -P7D、-PT5S）',
    ],
    [
      'a month offset',
      { offsets: ['-P1D', '-P1M'] },
      'offsets[1]',
      'offsets[1]：“-P1M”含年（Y）或月（M），年、月的长度不固定，不能用于提醒；请改用工作日（如 -P20D）或周（如 -P4W，1 周 = 5 个工作日）',
    ],
    [
      'a mixed offset',
      { offsets: ['-P1DT2H'] },
      'offsets[0]',
      'offsets[0]：“-P1DT2H”同时含天数和时分秒，不支持：天数按工作日计算并在发送时刻（sendAt）发出，时分秒是相对截止时间的精确偏移，请二选一（如 -P1D 或 -PT26H）',
    ],
    [
      'duplicate offsets after normalisation',
      { offsets: ['-P1D', '-P7D', '-p01d'] },
      'offsets[2]',
      'offsets[2]：“-p01d”与 offsets[0] 重复（均为 -P1D）',
    ],
    [
      'P0D and -P0D',
      { offsets: ['P0D', '-P0D'] },
      'offsets[1]',
      'offsets[1]：“-P0D”与 offsets[0] 重复（均为 P0D）',
    ],
    [
      'sendAt 24:00',
      { offsets: ['P0D'], sendAt: '24:00' },
      'sendAt',
      'sendAt：“24:00”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00',
    ],
    [
      'sendAt 09:60',
      { offsets: ['P0D'], sendAt: '09:60' },
      'sendAt',
      'sendAt：“09:60”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00',
    ],
    [
      'sendAt 9am',
      { offsets: ['P0D'], sendAt: '9am' },
      'sendAt',
      'sendAt：“9am”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00',
    ],
    [
      'sendAt with seconds',
      { offsets: ['P0D'], sendAt: '09:00:00' },
      'sendAt',
      'sendAt：“09:00:00”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00',
    ],
    [
      'sendAt as a number',
      { offsets: ['P0D'], sendAt: 900 },
      'sendAt',
      'sendAt：“900”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00',
    ],
    [
      'an unknown field',
      { offsets: ['P0D'], sendat: '10:00' },
      'sendat',
      'sendat：不支持的字段，提醒策略只有 offsets 和 sendAt',
    ],
  ])('rejects %s', (_case, input, field, message) => {
    const error = errorOf(() => parseReminderPolicy(input));
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect(error).toBeInstanceOf(Error);
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });
});
