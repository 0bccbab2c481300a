/**
 * Milestones (节点) as pure rules: what a valid title and date are, the identity of a milestone
 * reminder (job id, dedupe key), and the mail the unit receives. No Nest, no database.
 */
import {
  businessDateOf,
  describeDeadline,
  endOfBusinessDay,
  isValidDate,
} from '../calendar/business-time.js';

export { describeDeadline };
import type { ParsedOffset } from '../reminders/reminder-policy.js';
import { type ComposedMail, type MailContent, renderMail } from '../notifications/mail-layout.js';

export const TITLE_MAX_LENGTH = 200;

/** A field the caller has to fix (answered 400 naming the field). */
export interface FieldRefusal {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: FieldRefusal };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = <T>(field: string, message: string): Checked<T> => ({
  ok: false,
  refusal: { field, message },
});

/** A title is 1–200 characters once surrounding white space is removed. */
export function checkTitle(raw: string): Checked<string> {
  const title = raw.trim();
  if (title.length === 0) return refuse('title', '节点名称不能为空');
  const length = [...title].length;
  if (length > TITLE_MAX_LENGTH) {
    return refuse('title', `节点名称不能超过 ${TITLE_MAX_LENGTH} 字（当前 ${length} 字）`);
  }
  return ok(title);
}

export interface MilestoneDateInput {
  /** A business date; the milestone falls due at the end of that day. */
  dueDate?: string;
  /** An exact instant, ISO-8601 with an offset. */
  dueAt?: string;
}

export interface MilestoneDate {
  dueDate: string;
  dueAt: Date;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Resolves a milestone's date: exactly one of `dueDate` / `dueAt`, not in the past, and not after
 * the task's deadline. A date on the task's deadline day falls due with the task (the end of the
 * day, or the task's exact deadline when that is earlier).
 */
export function resolveMilestoneDate(
  input: MilestoneDateInput,
  task: { dueDate: string; dueAt: Date },
  now: Date,
  tz: string,
): Checked<MilestoneDate> {
  if (input.dueDate !== undefined && input.dueAt !== undefined) {
    return refuse('dueAt', 'dueDate 与 dueAt 只能二选一');
  }
  const taskDeadline = describeDeadline(task.dueAt, tz);
  if (input.dueDate !== undefined) {
    const date = input.dueDate;
    if (!isValidDate(date)) {
      return refuse('dueDate', `dueDate“${date}”不是有效日期，格式为 YYYY-MM-DD`);
    }
    if (date < businessDateOf(now, tz)) {
      return refuse('dueDate', `节点日期 ${date} 已过，不能设为过去的日期`);
    }
    if (date > task.dueDate) {
      return refuse('dueDate', `节点日期 ${date} 不能晚于任务截止时间 ${taskDeadline}`);
    }
    const endOfDay = endOfBusinessDay(date, tz);
    const dueAt = endOfDay.getTime() > task.dueAt.getTime() ? task.dueAt : endOfDay;
    if (dueAt.getTime() <= now.getTime()) {
      return refuse(
        'dueDate',
        `任务已于 ${taskDeadline} 截止，节点日期 ${date} 不能晚于任务截止时间`,
      );
    }
    return ok({ dueDate: date, dueAt });
  }
  if (input.dueAt !== undefined) {
    const raw = input.dueAt;
    const dueAt = ISO_WITH_OFFSET.test(raw) ? new Date(raw) : null;
    if (!dueAt || Number.isNaN(dueAt.getTime())) {
      return refuse(
        'dueAt',
        `dueAt“${raw}”不是带时区的 ISO-8601 时间，例如 2026-06-30T18:00:00+08:00`,
      );
    }
    if (dueAt.getTime() <= now.getTime()) {
      return refuse('dueAt', `节点时间 ${raw} 已过，不能设为过去的时间`);
    }
    if (dueAt.getTime() > task.dueAt.getTime()) {
      return refuse('dueAt', `节点时间 ${raw} 不能晚于任务截止时间 ${taskDeadline}`);
    }
    return ok({ dueDate: businessDateOf(dueAt, tz), dueAt });
  }
  return refuse('dueDate', '须给出节点日期 dueDate（YYYY-MM-DD）或精确时间 dueAt');
}

export interface MilestoneMailInput {
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  milestoneTitle: string;
  /** The milestone's deadline as people read it (see describeDeadline). */
  deadline: string;
  taskDeadline: string;
  /** The policy offset the reminder comes from. */
  offset: ParsedOffset;
  link?: { label: string; url: string } | null;
}

function urgency(offset: ParsedOffset): string {
  if (offset.kind === 'workdays') {
    const left = -offset.workdays;
    if (left > 0) return `距节点还有 ${left} 个工作日`;
    if (left === 0) return '今天到期';
    return `已逾期 ${-left} 个工作日`;
  }
  const ms = -offset.milliseconds;
  if (ms <= 0) return '已到节点时间';
  if (ms < 60_000) return '距节点不足 1 分钟';
  const minutes = Math.ceil(ms / 60_000);
  return minutes >= 60
    ? `距节点还有约 ${Math.round(minutes / 60)} 小时`
    : `距节点还有约 ${minutes} 分钟`;
}

/** The reminder a unit receives before a milestone. Every value is escaped in the HTML part. */
export function milestoneReminderContent(input: MilestoneMailInput): MailContent {
  const when = urgency(input.offset);
  return {
    subject: `【节点提醒】第${input.itemNumber}项节点“${input.milestoneTitle}”将于 ${input.deadline} 到期（${when}）`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `《${input.planTitle}》第${input.itemNumber}项“${input.itemTitle}”设有以下节点：`,
        { quote: input.milestoneTitle },
      ],
      [
        { field: '节点时间', value: input.deadline, note: when },
        `任务截止时间：${input.taskDeadline}`,
      ],
      ['请按节点要求推进落实；节点完成后，请在督办系统中标记完成。'],
    ],
    link: input.link,
  };
}

export function composeMilestoneReminderMail(input: MilestoneMailInput): ComposedMail {
  return renderMail(milestoneReminderContent(input));
}

export type { ComposedMail };
