/**
 * Reminder policies: when, relative to a task's deadline, reminders are sent.
 *
 * Offsets are ISO-8601 durations with an optional sign, in one of two kinds:
 *
 * - Day offsets (`-P7D`, `-P1D`, `P0D`, `P2D`, `-P1W`) count WORKING days relative to the deadline's
 *   business date and fire at `sendAt` business time. `W` means a working week: `PnW` = n × 5
 *   working days (a calendar week holds five working days in a normal week), so `-P1W` equals
 *   `-P5D`. Weeks cannot be combined with other parts (as in ISO 8601).
 * - Time offsets (`-PT5S`, `-PT2H30M`, `PT0S`, `-PT0.5S`) are exact offsets from the deadline
 *   instant. Only seconds may have a fraction, to millisecond precision.
 *
 * Years and months are rejected (their length varies), and so is mixing days with time parts
 * (working-day counting and exact offsets do not combine).
 */

export interface ReminderPolicy {
  /** ISO-8601 durations, e.g. ['-P7D', '-P1D', 'P0D']. */
  offsets: string[];
  /** 'HH:mm' business time at which day offsets fire. */
  sendAt: string;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({
  offsets: Object.freeze(['-P7D', '-P1D', 'P0D']) as unknown as string[],
  sendAt: '09:00',
});

/** A policy the user has to fix; `field` names the offending field, the message is user-facing. */
export class PolicyValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyValidationError';
  }
}

export type ParsedOffset =
  { kind: 'workdays'; workdays: number } | { kind: 'exact'; milliseconds: number };

export const MAX_OFFSETS = 20;
/** Largest |working-day offset| accepted (about four years of working days). */
export const MAX_WORKDAYS = 1000;
/** Largest |exact offset| accepted: 400 days. */
export const MAX_EXACT_MS = 400 * 24 * 3600 * 1000;
export const DEFAULT_SEND_AT = '09:00';

const WORKDAYS_PER_WEEK = 5;

const DURATION_PATTERN =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

const EXAMPLES = '（例如 -P7D、-PT5S）';

function fail(field: string, detail: string): PolicyValidationError {
  return new PolicyValidationError(field, `${field}：${detail}`);
}

interface Offset {
  normalized: string;
  parsed: ParsedOffset;
}

/** Strips leading zeros; rejects absurdly long digit strings before Number() loses precision. */
function integer(digits: string | undefined, field: string, raw: string): number {
  if (digits === undefined) return 0;
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed.length > 9) throw fail(field, `“${raw}”数值过大`);
  return Number(trimmed);
}

function parseOffsetAt(raw: unknown, field: string): Offset {
  if (typeof raw !== 'string') throw fail(field, `须为字符串形式的 ISO-8601 时长${EXAMPLES}`);
  const s = raw.trim().toUpperCase();
  const m = DURATION_PATTERN.exec(s);
  const [, sign, years, months, weeks, days, hours, minutes, seconds, fraction] = m ?? [];
  const hasTimePart = hours !== undefined || minutes !== undefined || seconds !== undefined;
  const hasDayPart = weeks !== undefined || days !== undefined;
  const hasAny = years !== undefined || months !== undefined || hasDayPart || hasTimePart;
  // 'P', 'PT' and 'P1DT' match the pattern but are not durations.
  if (!m || !hasAny || (s.includes('T') && !hasTimePart)) {
    throw fail(field, `“${raw}”不是合法的 ISO-8601 时长${EXAMPLES}`);
  }
  if (years !== undefined || months !== undefined) {
    throw fail(
      field,
      `“${raw}”含年（Y）或月（M），年、月的长度不固定，不能用于提醒；请改用工作日（如 -P20D）或周（如 -P4W，1 周 = 5 个工作日）`,
    );
  }
  if (hasDayPart && hasTimePart) {
    throw fail(
      field,
      `“${raw}”同时含天数和时分秒，不支持：天数按工作日计算并在发送时刻（sendAt）发出，时分秒是相对截止时间的精确偏移，请二选一（如 -P1D 或 -PT26H）`,
    );
  }
  if (weeks !== undefined && days !== undefined) {
    throw fail(
      field,
      `“${raw}”同时含周和天，不支持；请只用其一（1 周 = 5 个工作日，如 -P1W 或 -P5D）`,
    );
  }
  const negative = sign === '-';

  if (hasDayPart) {
    const w = integer(weeks, field, raw);
    const d = integer(days, field, raw);
    const count = weeks !== undefined ? w * WORKDAYS_PER_WEEK : d;
    if (count > MAX_WORKDAYS) {
      throw fail(field, `“${raw}”超出范围：最多相差 ${MAX_WORKDAYS} 个工作日`);
    }
    const body = weeks !== undefined ? `${w}W` : `${d}D`;
    return {
      normalized: `${negative && count !== 0 ? '-' : ''}P${body}`,
      parsed: { kind: 'workdays', workdays: negative && count !== 0 ? -count : count },
    };
  }

  if (fraction !== undefined && fraction.length > 3) {
    throw fail(field, `“${raw}”的秒数最多精确到毫秒（小数点后 3 位）`);
  }
  const h = integer(hours, field, raw);
  const min = integer(minutes, field, raw);
  const sec = integer(seconds, field, raw);
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  const total = ((h * 60 + min) * 60 + sec) * 1000 + ms;
  if (total > MAX_EXACT_MS) throw fail(field, `“${raw}”超出范围：最多相差 400 天`);
  const frac = String(ms).padStart(3, '0').replace(/0+$/, '');
  const secText = sec > 0 || ms > 0 ? `${sec}${frac ? `.${frac}` : ''}S` : '';
  const parts = `${h > 0 ? `${h}H` : ''}${min > 0 ? `${min}M` : ''}${secText}`;
  return {
    normalized: `${negative && total !== 0 ? '-' : ''}PT${parts || '0S'}`,
    parsed: { kind: 'exact', milliseconds: negative && total !== 0 ? -total : total },
  };
}

/** Parses one offset; throws PolicyValidationError (field 'offset') when it is not usable. */
export function parseOffset(s: string): ParsedOffset {
  return parseOffsetAt(s, 'offset').parsed;
}

/**
 * The canonical spelling of an offset: upper case, no '+', no leading zeros, zero parts dropped,
 * zero written unsigned ('-P0D' → 'P0D', '-pt0h0m5s' → '-PT5S', 'PT1,50S' → 'PT1.5S').
 */
export function normalizeOffset(s: string): string {
  return parseOffsetAt(s, 'offset').normalized;
}

/** Parses 'HH:mm' (also 'H:mm'); returns the zero-padded form. */
function parseSendAt(raw: unknown, field: string): string {
  const m = typeof raw === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(raw.trim()) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw fail(field, `“${String(raw)}”不是合法的发送时刻，须为 HH:mm（00:00–23:59），例如 09:00`);
  }
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

/** Normalised offsets and send time of a policy that may come from storage (not re-validated for size). */
export function normalizePolicy(policy: ReminderPolicy): {
  offsets: { offset: string; parsed: ParsedOffset }[];
  sendAt: string;
} {
  const seen = new Set<string>();
  const offsets: { offset: string; parsed: ParsedOffset }[] = [];
  policy.offsets.forEach((raw, i) => {
    const { normalized, parsed } = parseOffsetAt(raw, `offsets[${i}]`);
    if (seen.has(normalized)) return;
    seen.add(normalized);
    offsets.push({ offset: normalized, parsed });
  });
  return { offsets, sendAt: parseSendAt(policy.sendAt ?? DEFAULT_SEND_AT, 'sendAt') };
}

/**
 * Validates an untrusted JSON body `{ offsets: string[], sendAt?: 'HH:mm' }` and returns it
 * normalised (offsets in canonical spelling, input order kept; sendAt zero-padded, default
 * '09:00'). Unknown fields, duplicates (after normalisation) and more than 20 offsets are errors.
 */
export function parseReminderPolicy(input: unknown): ReminderPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail(
      'policy',
      '提醒策略须为 JSON 对象，例如 {"offsets": ["-P7D", "-P1D", "P0D"], "sendAt": "09:00"}',
    );
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (key !== 'offsets' && key !== 'sendAt') {
      throw fail(key, '不支持的字段，提醒策略只有 offsets 和 sendAt');
    }
  }
  const raw = body['offsets'];
  if (raw === undefined || raw === null) {
    throw fail('offsets', '必填，须为 ISO-8601 时长数组，例如 ["-P7D", "-P1D", "P0D"]');
  }
  if (!Array.isArray(raw)) {
    throw fail('offsets', '须为 ISO-8601 时长数组，例如 ["-P7D", "-P1D", "P0D"]');
  }
  if (raw.length === 0) throw fail('offsets', '至少需要 1 个提醒时间');
  if (raw.length > MAX_OFFSETS) {
    throw fail('offsets', `最多 ${MAX_OFFSETS} 个提醒时间，当前 ${raw.length} 个`);
  }
  const firstIndex = new Map<string, number>();
  const offsets = raw.map((value: unknown, i) => {
    const field = `offsets[${i}]`;
    const { normalized } = parseOffsetAt(value, field);
    const earlier = firstIndex.get(normalized);
    if (earlier !== undefined) {
      throw fail(field, `“${String(value)}”与 offsets[${earlier}] 重复（均为 ${normalized}）`);
    }
    firstIndex.set(normalized, i);
    return normalized;
  });
  const sendAtRaw = body['sendAt'];
  const sendAt =
    sendAtRaw === undefined || sendAtRaw === null
      ? DEFAULT_SEND_AT
      : parseSendAt(sendAtRaw, 'sendAt');
  return { offsets, sendAt };
}

/** An offset from a deadline in words: “截止前 2 个工作日”, “截止时”, “逾期 30 秒”. */
export function offsetInWords(offset: ParsedOffset): string {
  if (offset.kind === 'workdays') {
    if (offset.workdays === 0) return '截止当日';
    const n = Math.abs(offset.workdays);
    return offset.workdays < 0 ? `截止前 ${n} 个工作日` : `逾期 ${n} 个工作日`;
  }
  if (offset.milliseconds === 0) return '截止时';
  const s = Math.round(Math.abs(offset.milliseconds) / 1000);
  const amount =
    s < 60
      ? `${s} 秒`
      : s < 7200
        ? `${Math.round(s / 60)} 分钟`
        : s < 172800
          ? `${Math.round(s / 3600)} 小时`
          : `${Math.round(s / 86400)} 天`;
  return offset.milliseconds < 0 ? `截止前 ${amount}` : `逾期 ${amount}`;
}
