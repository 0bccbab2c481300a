/**
 * The escalation ladder (督办升级): what happens after a task's deadline passes while its unit
 * still owes the work. Pure: no Nest, no database.
 *
 * Steps are ISO-8601 durations after the deadline, in the vocabulary of reminder policies: days
 * and weeks count working days on the Chinese calendar and fire at `sendAt`; hours, minutes and
 * seconds are exact offsets from the deadline instant (seconds are for tests).
 *
 * - yellow (黄牌): the unit's head is told the task is overdue — by default on the first overdue
 *   working day (`P1D`);
 * - red (红牌): the supervision office and the leader in charge are told, naming the late unit —
 *   by default three working days after the deadline (`P3D`);
 * - repeat: overdue reminders to the unit's contacts every so often after the yellow card — by
 *   default every two working days (`P2D`) — until the task is reported on or closed; null: none.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import {
  normalizeOffset,
  parseOffset,
  PolicyValidationError,
  type ParsedOffset,
} from '../reminders/reminder-policy.js';
import { computeReminders } from '../reminders/reminder-schedule.js';

export interface EscalationLadder {
  yellow: string;
  red: string;
  /** Interval of overdue reminders after the yellow card; null for none. */
  repeat: string | null;
  /** 'HH:mm' for working-day steps. */
  sendAt: string;
}

export const DEFAULT_ESCALATION_LADDER: EscalationLadder = Object.freeze({
  yellow: 'P1D',
  red: 'P3D',
  repeat: 'P2D',
  sendAt: '09:00',
});

export type EscalationLevel = 'none' | 'yellow' | 'red';
export type EscalationStepKind = 'yellow' | 'red' | 'overdue';

export interface EscalationStep {
  kind: EscalationStepKind;
  /** Occurrence key: stable for the same step of the same deadline. */
  key: string;
  fireAt: Date;
  /** For overdue reminders: the 1-based number of the repeat. */
  repeat: number | null;
  /** Working days (or ms, for exact steps) past the deadline. */
  offset: string;
}

/** Longest ladder step: a year of working days, or 400 days exact. */
const MAX_STEPS = 1_000;

function fail(field: string, message: string): PolicyValidationError {
  return new PolicyValidationError(field, `${field}：${message}`);
}

function positive(raw: unknown, field: string): { normalized: string; parsed: ParsedOffset } {
  if (typeof raw !== 'string') throw fail(field, '须为 ISO-8601 时长，例如 P1D、P3D、PT30S');
  let normalized: string;
  let parsed: ParsedOffset;
  try {
    normalized = normalizeOffset(raw);
    parsed = parseOffset(raw);
  } catch (error) {
    if (error instanceof PolicyValidationError) {
      throw fail(field, error.message.replace(/^offset：/, ''));
    }
    throw error;
  }
  const amount = parsed.kind === 'workdays' ? parsed.workdays : parsed.milliseconds;
  if (amount <= 0) throw fail(field, `“${raw}”须为截止之后的正时长，例如 P1D`);
  return { normalized, parsed };
}

const amountOf = (p: ParsedOffset) => (p.kind === 'workdays' ? p.workdays : p.milliseconds);

/**
 * Validates an untrusted ladder `{yellow, red, repeat?, sendAt?}`; returns it normalised. The
 * steps are all working-day or all exact, and the red card comes after the yellow one.
 */
export function parseEscalationLadder(input: unknown): EscalationLadder {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail(
      'escalation',
      '升级规则须为 JSON 对象，例如 {"yellow": "P1D", "red": "P3D", "repeat": "P2D", "sendAt": "09:00"}',
    );
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!['yellow', 'red', 'repeat', 'sendAt'].includes(key)) {
      throw fail(key, '不支持的字段，升级规则只有 yellow、red、repeat 和 sendAt');
    }
  }
  const yellow = positive(body.yellow ?? DEFAULT_ESCALATION_LADDER.yellow, 'yellow');
  const red = positive(body.red ?? DEFAULT_ESCALATION_LADDER.red, 'red');
  const repeat =
    body.repeat === null
      ? null
      : positive(body.repeat ?? DEFAULT_ESCALATION_LADDER.repeat, 'repeat');
  const kinds = new Set([yellow.parsed.kind, red.parsed.kind, repeat?.parsed.kind].filter(Boolean));
  if (kinds.size > 1) {
    throw fail('red', '黄牌、红牌和逾期提醒须同为按工作日（如 P1D）或同为精确时长（如 PT30S）');
  }
  if (amountOf(red.parsed) <= amountOf(yellow.parsed)) {
    throw fail('red', `红牌（${red.normalized}）须晚于黄牌（${yellow.normalized}）`);
  }
  const sendAtRaw = body.sendAt ?? DEFAULT_ESCALATION_LADDER.sendAt;
  const m = typeof sendAtRaw === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(sendAtRaw.trim()) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw fail(
      'sendAt',
      `“${JSON.stringify(sendAtRaw)}”不是合法的发送时刻，须为 HH:mm，例如 09:00`,
    );
  }
  return {
    yellow: yellow.normalized,
    red: red.normalized,
    repeat: repeat?.normalized ?? null,
    sendAt: `${m[1].padStart(2, '0')}:${m[2]}`,
  };
}

/** The offset of the k-th overdue reminder (k ≥ 1): yellow + k × repeat. */
function repeatOffset(ladder: EscalationLadder, k: number): string | null {
  if (!ladder.repeat) return null;
  const y = parseOffset(ladder.yellow);
  const r = parseOffset(ladder.repeat);
  const total = amountOf(y) + k * amountOf(r);
  if (y.kind === 'workdays') return total > MAX_STEPS ? null : `P${total}D`;
  return total > 400 * 24 * 3600 * 1000 ? null : `PT${total / 1000}S`;
}

function stepAt(
  dueAt: Date,
  offset: string,
  sendAt: string,
  calendar: WorkingCalendar,
  tz: string,
): Date {
  return computeReminders({ dueAt }, { offsets: [offset], sendAt }, calendar, tz)[0].fireAt;
}

/**
 * The yellow and red cards of a deadline and its first overdue reminder; each overdue reminder,
 * when it fires, plans the next (`nextOverdueStep`), so the series runs until the task leaves its
 * unit's hands without planning a year of rows ahead.
 */
export function escalationSteps(
  dueAt: Date,
  ladder: EscalationLadder,
  calendar: WorkingCalendar,
  tz: string,
): EscalationStep[] {
  const due = dueAt.toISOString();
  const steps: EscalationStep[] = [
    {
      kind: 'yellow',
      key: `yellow@${due}`,
      fireAt: stepAt(dueAt, ladder.yellow, ladder.sendAt, calendar, tz),
      repeat: null,
      offset: ladder.yellow,
    },
    {
      kind: 'red',
      key: `red@${due}`,
      fireAt: stepAt(dueAt, ladder.red, ladder.sendAt, calendar, tz),
      repeat: null,
      offset: ladder.red,
    },
  ];
  const first = nextOverdueStep(dueAt, ladder, 0, calendar, tz);
  if (first) steps.push(first);
  return steps.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/** The overdue reminder after the `done`-th one, or null when the ladder has none (more). */
export function nextOverdueStep(
  dueAt: Date,
  ladder: EscalationLadder,
  done: number,
  calendar: WorkingCalendar,
  tz: string,
): EscalationStep | null {
  const k = done + 1;
  const offset = repeatOffset(ladder, k);
  if (!offset) return null;
  return {
    kind: 'overdue',
    key: `overdue#${k}@${dueAt.toISOString()}`,
    fireAt: stepAt(dueAt, offset, ladder.sendAt, calendar, tz),
    repeat: k,
    offset,
  };
}
