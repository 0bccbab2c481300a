/**
 * What a weekly digest says: a unit's own week (what it leads and assists — overdue, due within
 * two weeks, returned reports to fix, extension requests awaiting a decision, open review-cycle
 * requests) and the leaders' plan-wide view (progress by section and unit in red/amber/green, the
 * longest-overdue tasks). Pure: the rows come in, the message content goes out.
 */
import {
  businessDateOf,
  calendarDaysBetween,
  describeDeadline,
} from '../calendar/business-time.js';
import type { MailContent, MailLine } from '../notifications/mail-layout.js';
import type { TaskStatus } from '../tasks/task-state.js';
import { describeWeek, formatWeek, type IsoWeek } from './digest-schedule.js';

/** How far ahead "due soon" looks. */
export const DUE_SOON_DAYS = 14;
const DAY_MS = 86_400_000;
/** Longest lists in a leader digest; the rest is counted. */
export const TOP_OVERDUE = 10;
export const MAX_UNIT_LINES = 30;

/** A task as a digest shows it. */
export interface DigestTask {
  taskId: string;
  planId: string;
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  dueAt: Date;
  escalation: 'none' | 'yellow' | 'red';
  /** The supervisor's comment on the latest returned report (status `returned`). */
  returnComment: string | null;
}

/** An extension request of the unit awaiting a supervisor's decision. */
export interface PendingExtension {
  task: DigestTask;
  proposedDueDate: string;
  requestedAt: Date;
}

/**
 * An open review-cycle (督导周期) request to a unit: a report it owes in a supervision round.
 * Filled by a `DigestCycleSource` once review cycles exist; empty otherwise.
 */
export interface CycleRequestLine {
  cycleTitle: string;
  itemNumber: number | null;
  itemTitle: string | null;
  /** Business date the report is due, YYYY-MM-DD. */
  dueDate: string;
  url: string;
}

/** A closed or running review cycle's results, for the leaders' digest (from a `DigestCycleSource`). */
export interface CycleResultLine {
  cycleTitle: string;
  /** e.g. "按时 20，逾期 3，未报 1；好 8，较好 9，一般 4，差 2". */
  summary: string;
  url: string;
}

export interface UnitDigestInput {
  week: IsoWeek;
  /** The instant "overdue" and "due soon" are judged at. */
  asOf: Date;
  tz: string;
  publicUrl: string;
  unit: { id: string; name: string };
  /** The unit's open tasks that are overdue, due soon or returned (others are ignored). */
  tasks: readonly DigestTask[];
  extensions: readonly PendingExtension[];
  cycleRequests?: readonly CycleRequestLine[];
}

export interface UnitDigest {
  empty: boolean;
  counts: {
    overdue: number;
    dueSoon: number;
    returned: number;
    extensions: number;
    cycles: number;
  };
  content: MailContent;
}

const ROLE_LABEL = { lead: '牵头', co: '配合' } as const;
const CARD_LABEL = { none: '', yellow: '黄牌', red: '红牌' } as const;

export function taskUrl(publicUrl: string, taskId: string): string {
  return `${publicUrl}/tasks/${taskId}`;
}

function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function itemLabel(t: Pick<DigestTask, 'itemNumber' | 'itemTitle'>): string {
  return `第${t.itemNumber}条 ${excerpt(t.itemTitle, 40)}`;
}

// Time-zone formatting is the costly part of composing a thousand digests; deadlines repeat.
const formatted = new Map<string, string>();
function memo(key: string, format: () => string): string {
  let value = formatted.get(key);
  if (value === undefined) {
    if (formatted.size > 50_000) formatted.clear();
    value = format();
    formatted.set(key, value);
  }
  return value;
}
const dateOf = (instant: Date, tz: string) =>
  memo(`d|${tz}|${instant.getTime()}`, () => businessDateOf(instant, tz));
const deadlineText = (dueAt: Date, tz: string) =>
  memo(`t|${tz}|${dueAt.getTime()}`, () => describeDeadline(dueAt, tz));

function daysLate(dueAt: Date, asOf: Date, tz: string): number {
  return Math.max(0, calendarDaysBetween(dateOf(dueAt, tz), dateOf(asOf, tz)));
}

/** Waiting for the unit: assigned, acknowledged, in progress (returned has its own list). */
const WORKING: ReadonlySet<TaskStatus> = new Set(['assigned', 'acknowledged', 'in_progress']);

function notes(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join('，');
}

export function composeUnitDigest(input: UnitDigestInput): UnitDigest {
  const { asOf, tz, publicUrl } = input;
  const soonUntil = asOf.getTime() + DUE_SOON_DAYS * DAY_MS;
  const byDue = (a: DigestTask, b: DigestTask) =>
    a.dueAt.getTime() - b.dueAt.getTime() || a.itemNumber - b.itemNumber;
  const working = input.tasks.filter((t) => t.unitId === input.unit.id && WORKING.has(t.status));
  const overdue = working.filter((t) => t.dueAt.getTime() < asOf.getTime()).sort(byDue);
  const dueSoon = working
    .filter((t) => t.dueAt.getTime() >= asOf.getTime() && t.dueAt.getTime() < soonUntil)
    .sort(byDue);
  const returned = input.tasks
    .filter((t) => t.unitId === input.unit.id && t.status === 'returned')
    .sort(byDue);
  const extensions = [...input.extensions].sort(
    (a, b) => a.requestedAt.getTime() - b.requestedAt.getTime(),
  );
  const cycles = [...(input.cycleRequests ?? [])].sort((a, b) =>
    a.dueDate.localeCompare(b.dueDate),
  );

  const entry = (t: DigestTask, note: string): MailLine => ({
    entry: `【${ROLE_LABEL[t.role]}】${itemLabel(t)}`,
    url: taskUrl(publicUrl, t.taskId),
    note,
  });
  const deadline = (t: DigestTask) => `截止 ${deadlineText(t.dueAt, tz)}`;
  const sections: MailLine[][] = [];
  const counts = {
    overdue: overdue.length,
    dueSoon: dueSoon.length,
    returned: returned.length,
    extensions: extensions.length,
    cycles: cycles.length,
  };
  sections.push([
    `本周概况：已逾期 ${counts.overdue} 项，两周内到期 ${counts.dueSoon} 项，退回待修改 ${counts.returned} 项，延期申请待审批 ${counts.extensions} 项${cycles.length ? `，督导待报送 ${counts.cycles} 项` : ''}。`,
  ]);
  if (overdue.length) {
    sections.push([
      { heading: `已逾期（${overdue.length}）` },
      ...overdue.map((t) =>
        entry(
          t,
          notes(
            deadline(t),
            `已逾期 ${daysLate(t.dueAt, asOf, tz)} 天`,
            t.escalation !== 'none' && CARD_LABEL[t.escalation],
          ),
        ),
      ),
    ]);
  }
  if (dueSoon.length) {
    sections.push([
      { heading: `两周内到期（${dueSoon.length}）` },
      ...dueSoon.map((t) => entry(t, deadline(t))),
    ]);
  }
  if (returned.length) {
    sections.push([
      { heading: `退回待修改（${returned.length}）` },
      ...returned.map((t) =>
        entry(
          t,
          notes(
            deadline(t),
            t.dueAt.getTime() < asOf.getTime() && `已逾期 ${daysLate(t.dueAt, asOf, tz)} 天`,
            t.returnComment && `退回意见：${excerpt(t.returnComment)}`,
          ),
        ),
      ),
    ]);
  }
  if (extensions.length) {
    sections.push([
      { heading: `延期申请待审批（${extensions.length}）` },
      ...extensions.map((e) =>
        entry(e.task, notes(deadline(e.task), `申请延至 ${e.proposedDueDate}`)),
      ),
    ]);
  }
  if (cycles.length) {
    sections.push([
      { heading: `督导周期待报送（${cycles.length}）` },
      ...cycles.map((c): MailLine => ({
        entry:
          c.itemNumber !== null
            ? `${c.cycleTitle}：第${c.itemNumber}条 ${excerpt(c.itemTitle ?? '', 40)}`
            : c.cycleTitle,
        url: c.url,
        note: `报送截止 ${c.dueDate}`,
      })),
    ]);
  }
  const empty =
    counts.overdue + counts.dueSoon + counts.returned + counts.extensions + counts.cycles === 0;
  if (empty) sections.push(['本周没有逾期、临近到期或待处理的事项。']);
  return {
    empty,
    counts,
    content: {
      subject: `【督办周报】${input.unit.name} ${describeWeek(input.week)}`,
      greeting: `${input.unit.name}：`,
      sections,
      link: { label: '进入督办系统查看全部任务', url: `${publicUrl}/tasks` },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Leaders

/** Task counts of a part of a plan (a section, a unit, the plan). */
export interface ProgressCounts {
  /** Tasks not cancelled. */
  total: number;
  closed: number;
  /** Open and past the deadline. */
  overdue: number;
  /** Waiting for the unit and due within two weeks. */
  dueSoon: number;
  returned: number;
  yellow: number;
  red: number;
}

export type Rag = 'red' | 'amber' | 'green';
export const RAG_LABELS: Record<Rag, string> = { red: '红', amber: '黄', green: '绿' };

/** 红: something is overdue; 黄: something is due within two weeks or was returned; 绿: on track. */
export function ragOf(c: ProgressCounts): Rag {
  if (c.overdue > 0) return 'red';
  if (c.dueSoon > 0 || c.returned > 0) return 'amber';
  return 'green';
}

export interface LeaderPlan {
  id: string;
  title: string;
  docNumber: string | null;
  totals: ProgressCounts;
  sections: { ordinal: number; title: string | null; counts: ProgressCounts }[];
  units: { id: string; name: string; counts: ProgressCounts }[];
  /** Open overdue tasks, longest overdue first (at most TOP_OVERDUE are shown). */
  overdue: readonly DigestTask[];
}

export interface LeaderDigestInput {
  week: IsoWeek;
  asOf: Date;
  tz: string;
  publicUrl: string;
  plans: readonly LeaderPlan[];
  cycleResults?: readonly CycleResultLine[];
}

export interface LeaderDigest {
  empty: boolean;
  content: MailContent;
}

const CHINESE_NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function sectionNumeral(n: number): string {
  if (n <= 10) return CHINESE_NUMERALS[n];
  if (n < 20) return `十${CHINESE_NUMERALS[n - 10]}`;
  return String(n);
}

function countsNote(c: ProgressCounts): string {
  return notes(
    `任务 ${c.total}`,
    `办结 ${c.closed}`,
    `逾期 ${c.overdue}`,
    c.dueSoon > 0 && `两周内到期 ${c.dueSoon}`,
    c.returned > 0 && `退回 ${c.returned}`,
    c.yellow > 0 && `黄牌 ${c.yellow}`,
    c.red > 0 && `红牌 ${c.red}`,
  );
}

export function composeLeaderDigest(input: LeaderDigestInput): LeaderDigest {
  const { publicUrl, asOf, tz } = input;
  const sections: MailLine[][] = [];
  const rank: Record<Rag, number> = { red: 0, amber: 1, green: 2 };
  for (const plan of input.plans) {
    const t = plan.totals;
    sections.push([
      { heading: `${plan.title}${plan.docNumber ? `（${plan.docNumber}）` : ''}` },
      `总体：${RAG_LABELS[ragOf(t)]}。任务 ${t.total} 项，已办结 ${t.closed} 项，已逾期 ${t.overdue} 项（黄牌 ${t.yellow}，红牌 ${t.red}），两周内到期 ${t.dueSoon} 项。`,
    ]);
    sections.push([
      { heading: '各板块进展' },
      ...plan.sections.map((s): MailLine => ({
        entry: `【${RAG_LABELS[ragOf(s.counts)]}】${sectionNumeral(s.ordinal)}、${excerpt(s.title ?? '（无标题）', 30)}`,
        url: `${publicUrl}/overview`,
        note: countsNote(s.counts),
      })),
    ]);
    const units = plan.units
      .map((u) => ({ ...u, rag: ragOf(u.counts) }))
      .sort(
        (a, b) =>
          rank[a.rag] - rank[b.rag] ||
          b.counts.overdue - a.counts.overdue ||
          a.name.localeCompare(b.name, 'zh-CN'),
      );
    const shown = units.filter((u) => u.rag !== 'green').slice(0, MAX_UNIT_LINES);
    const rest = units.slice(shown.length);
    const restNote = rest.length
      ? [
          `其余 ${rest.length} 个单位：${(['red', 'amber', 'green'] as const)
            .map((r) => [r, rest.filter((u) => u.rag === r).length] as const)
            .filter(([, n]) => n > 0)
            .map(([r, n]) => `${RAG_LABELS[r]} ${n}`)
            .join('，')}。`,
        ]
      : [];
    sections.push([
      { heading: '各单位进展' },
      ...shown.map((u): MailLine => ({
        entry: `【${RAG_LABELS[u.rag]}】${u.name}`,
        url: `${publicUrl}/tasks?unit=${encodeURIComponent(u.id)}`,
        note: countsNote(u.counts),
      })),
      ...restNote,
    ]);
    const top = plan.overdue.slice(0, TOP_OVERDUE);
    if (top.length) {
      sections.push([
        { heading: `逾期最久的事项（前 ${top.length} 项，共 ${plan.overdue.length} 项）` },
        ...top.map((task): MailLine => ({
          entry: `${itemLabel(task)} — ${task.unitName}（${ROLE_LABEL[task.role]}）`,
          url: taskUrl(publicUrl, task.taskId),
          note: notes(
            `截止 ${deadlineText(task.dueAt, tz)}`,
            `已逾期 ${daysLate(task.dueAt, asOf, tz)} 天`,
            task.escalation !== 'none' && CARD_LABEL[task.escalation],
          ),
        })),
      ]);
    }
  }
  const cycles = input.cycleResults ?? [];
  if (cycles.length) {
    sections.push([
      { heading: '督导周期结果' },
      ...cycles.map((c): MailLine => ({ entry: c.cycleTitle, url: c.url, note: c.summary })),
    ]);
  }
  const empty = input.plans.length === 0 && cycles.length === 0;
  if (empty) sections.push(['目前没有进行中的工作要点任务。']);
  return {
    empty,
    content: {
      subject: `【督办周报】全局工作要点进展 ${describeWeek(input.week)}`,
      greeting: '各位局领导：',
      sections,
      link: { label: '进入督办系统查看总览', url: `${publicUrl}/overview` },
    },
  };
}

/** Identity of a digest in a week, for the once-per-week guard and the outbox key. */
export function digestRecipient(target: { unitId: string } | 'leaders'): string {
  return target === 'leaders' ? 'leaders' : `unit:${target.unitId}`;
}

export function digestDedupeKey(recipient: string, week: IsoWeek): string {
  return `digest:${formatWeek(week)}:${recipient}`;
}
