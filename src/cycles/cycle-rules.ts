/**
 * Supervision review cycles (督导) as pure rules: states, ratings, scopes, cadence periods and the
 * due date in working days. No Nest, no database, no queue.
 */
import { CronExpressionParser } from 'cron-parser';
import {
  businessDateOf,
  endOfBusinessDay,
  parseDate,
  zonedDateTimeToUtc,
} from '../calendar/business-time.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';

export const CYCLE_STATUSES = ['scheduled', 'open', 'closed'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

export const CYCLE_STATUS_LABELS: Record<CycleStatus, string> = {
  scheduled: '待开启',
  open: '进行中',
  closed: '已结束',
};

export const RATINGS = ['good', 'fair', 'average', 'poor'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<Rating, string> = {
  good: '好',
  fair: '较好',
  average: '一般',
  poor: '差',
};

/** A rating given as its code or as its Chinese label. */
export function parseRating(value: string): Rating | null {
  const v = value.trim();
  if ((RATINGS as readonly string[]).includes(v)) return v as Rating;
  const found = RATINGS.find((r) => RATING_LABELS[r] === v);
  return found ?? null;
}

export const RATING_INPUTS: readonly string[] = [
  ...RATINGS,
  ...RATINGS.map((r) => RATING_LABELS[r]),
];

export const REPORT_STATUSES = ['submitted', 'rated', 'returned'] as const;
export type CycleReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_STATUS_LABELS: Record<CycleReportStatus, string> = {
  submitted: '待评价',
  rated: '已评价',
  returned: '已退回',
};

export const CADENCE_KINDS = ['monthly', 'quarterly', 'cron'] as const;
export type CadenceKind = (typeof CADENCE_KINDS)[number];

export const MAX_DUE_WORKDAYS = 250;
export const BODY_MAX_LENGTH = 20_000;
export const COMMENT_MAX_LENGTH = 2_000;
export const TITLE_MAX_LENGTH = 200;

/** Which tasks a cycle asks about. */
export type CycleScope =
  { kind: 'plan' } | { kind: 'sections'; ids: string[] } | { kind: 'items'; ids: string[] };

/** The 409 message of every change refused because the cycle is closed. */
export const CLOSED_MESSAGE = '督导周期已结束并锁定，不能再报送、评价、退回或修改';

/** Why a change of a cycle in `status` is refused, or null when it is allowed. */
export function refusalFor(
  status: CycleStatus,
  change: 'open' | 'close' | 'edit' | 'report' | 'decide',
): string | null {
  if (status === 'closed') return CLOSED_MESSAGE;
  if (change === 'open' && status === 'open') return '督导周期已开启';
  if ((change === 'report' || change === 'decide' || change === 'close') && status !== 'open') {
    return '督导周期尚未开启';
  }
  return null;
}

/** Why a decision on a report is refused (it is not the latest, or it was decided already). */
export function decisionRefusal(
  report: { status: CycleReportStatus; number: number },
  latestNumber: number,
  decision: 'rate' | 'return',
): string | null {
  if (report.number !== latestNumber) return '该报告已有更新的版本，请对最新版本评价';
  if (report.status === 'returned') return '该报告已退回，等待单位重新报送';
  if (report.status === 'rated' && decision === 'return') return '该报告已评价，不能再退回';
  return null;
}

/** Why a unit may not report on a task now: its latest report waits for, or has, a decision. */
export function reportRefusal(latest: { status: CycleReportStatus } | null): string | null {
  if (!latest || latest.status === 'returned') return null;
  return latest.status === 'rated'
    ? '该任务本轮督导的报告已评价，不能再报送'
    : '该任务本轮督导已报送，等待督导室评价；如需修改请联系督导室退回';
}

/** The working day a cycle opening on `opensOn` is due: n working days after it. */
export function dueOf(
  opensOn: string,
  dueWorkdays: number,
  calendar: WorkingCalendar,
  tz: string,
): { dueOn: string; dueAt: Date } {
  const start = calendar.nextOrSameWorkday(opensOn);
  const dueOn = calendar.addWorkdays(start, dueWorkdays);
  return { dueOn, dueAt: endOfBusinessDay(dueOn, tz) };
}

/** One period of a cadence: what is opened for it and when. */
export interface CadencePeriod {
  /** Unique per cadence: '2022-04', '2022-Q2', or the cron fire time '2022-04-06T09:00'. */
  key: string;
  /** As people read it: '2022年4月', '2022年第二季度', '2022-04-06 09:00'. */
  label: string;
  /** The period's nominal first day. */
  startsOn: string;
  /** The business date it opens on (the first working day from its start, for months and quarters). */
  opensOn: string;
  /** The instant it opens. */
  opensAt: Date;
}

export interface CadenceSpec {
  kind: CadenceKind;
  cron: string | null;
  /** 'HH:mm' business time at which month and quarter periods open. */
  openAt: string;
  /** Periods starting before this business date are never opened. */
  startsOn: string;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Checks a cron expression (5 or 6 fields); returns a user-facing message when it is not usable. */
export function cronProblem(expression: string, tz: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    return `“${expression}”不是合法的 cron 表达式：须为 5 个字段（分 时 日 月 周），例如 0 9 1 * *`;
  }
  try {
    CronExpressionParser.parse(expression, { tz, strict: false }).next();
    return null;
  } catch (error) {
    return `“${expression}”不是合法的 cron 表达式：${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The job scheduler pattern that ticks a cadence: every day at the opening time, or its cron. */
export function tickPattern(spec: Pick<CadenceSpec, 'kind' | 'cron' | 'openAt'>): string {
  if (spec.kind === 'cron') return spec.cron!;
  const [h, m] = spec.openAt.split(':').map(Number);
  // Daily, so a period whose first day is a holiday still opens on its first working day.
  return `${m} ${h} * * *`;
}

function calendarPeriod(
  kind: 'monthly' | 'quarterly',
  year: number,
  index: number,
  spec: CadenceSpec,
  calendar: WorkingCalendar,
  tz: string,
): CadencePeriod {
  const month = kind === 'monthly' ? index : (index - 1) * 3 + 1;
  const startsOn = `${year}-${pad2(month)}-01`;
  const opensOn = calendar.nextOrSameWorkday(startsOn);
  return {
    key: kind === 'monthly' ? `${year}-${pad2(index)}` : `${year}-Q${index}`,
    label:
      kind === 'monthly' ? `${year}年${index}月` : `${year}年第${QUARTER_NAMES[index - 1]}季度`,
    startsOn,
    opensOn,
    opensAt: zonedDateTimeToUtc(opensOn, spec.openAt, tz),
  };
}

/**
 * The latest period of a cadence that has opened by `now` (its opening instant is not after
 * `now`) and does not start before the cadence's first day; null when there is none yet. A period
 * missed while nothing ran is this one when the workers return — never the ones before it.
 */
export function currentPeriod(
  spec: CadenceSpec,
  now: Date,
  calendar: WorkingCalendar,
  tz: string,
): CadencePeriod | null {
  if (spec.kind === 'cron') {
    const expression = CronExpressionParser.parse(spec.cron!, {
      tz,
      currentDate: new Date(now.getTime() + 1),
      strict: false,
    });
    const fire = expression.prev().toDate();
    const day = businessDateOf(fire, tz);
    if (day < spec.startsOn) return null;
    const time = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(fire);
    return {
      key: `${day}T${time}`,
      label: `${day} ${time}`,
      startsOn: day,
      opensOn: day,
      opensAt: fire,
    };
  }
  const today = parseDate(businessDateOf(now, tz));
  const perYear = spec.kind === 'monthly' ? 12 : 4;
  let year = today.year;
  let index = spec.kind === 'monthly' ? today.month : Math.floor((today.month - 1) / 3) + 1;
  // This period, or the one before it when this one has not opened yet (first day a holiday).
  for (let step = 0; step < 2; step++) {
    const period = calendarPeriod(spec.kind, year, index, spec, calendar, tz);
    if (period.startsOn < spec.startsOn) return null;
    if (period.opensAt.getTime() <= now.getTime()) return period;
    index -= 1;
    if (index === 0) {
      index = perYear;
      year -= 1;
    }
  }
  return null;
}

/** Validates a scope from a request; returns it normalised, or a user-facing problem. */
export function parseScope(input: unknown): { scope: CycleScope } | { problem: string } {
  if (input === undefined || input === null) return { scope: { kind: 'plan' } };
  if (typeof input !== 'object') return { problem: '须为 {"kind": "plan" | "sections" | "items"}' };
  const raw = input as { kind?: unknown; ids?: unknown };
  if (raw.kind === 'plan') return { scope: { kind: 'plan' } };
  if (raw.kind !== 'sections' && raw.kind !== 'items') {
    return { problem: 'kind 须为 plan（全部要点）、sections（指定板块）或 items（指定条目）' };
  }
  const what = raw.kind === 'sections' ? '板块' : '条目';
  if (!Array.isArray(raw.ids) || raw.ids.length === 0) {
    return { problem: `ids 须列出至少 1 个${what} id` };
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const bad = raw.ids.find((id) => typeof id !== 'string' || !uuid.test(id));
  if (bad !== undefined) return { problem: `ids 中的“${String(bad)}”不是${what} id` };
  return { scope: { kind: raw.kind, ids: [...new Set(raw.ids as string[])] } };
}
