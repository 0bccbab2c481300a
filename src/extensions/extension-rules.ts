/**
 * Extension requests (延期申请) as pure rules: when a unit may ask for a later deadline, when a
 * supervisor may decide, and the mail the unit receives. No Nest, no database.
 */
import { businessDateOf, describeDeadline, isValidDate } from '../calendar/business-time.js';

export { describeDeadline };
import { isOpen, STATUS_LABELS, type TaskStatus } from '../tasks/task-state.js';
import { type ComposedMail, type MailContent, renderMail } from '../notifications/mail-layout.js';

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];
export type ExtensionDecision = 'approve' | 'reject';

export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = {
  pending: '待审批',
  approved: '已批准',
  rejected: '未获批准',
};

const DECISION_LABELS: Record<ExtensionDecision, string> = {
  approve: '批准',
  reject: '驳回',
};

export const REASON_MAX_LENGTH = 2000;
export const COMMENT_MAX_LENGTH = 2000;

/** Why a request or a decision is refused: a 400 naming a field, or a 409 state conflict. */
export type Refusal =
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'conflict'; message: string; details?: Record<string, unknown> };

/** What the rules need to know of a task. */
export interface TaskDeadline {
  status: TaskStatus;
  /** Business date of the deadline, YYYY-MM-DD. */
  dueDate: string;
  dueAt: Date;
}

/** Only a strict, existing YYYY-MM-DD date is a proposed deadline. */
export function checkProposedDate(proposedDueDate: string): Refusal | null {
  if (isValidDate(proposedDueDate)) return null;
  return {
    kind: 'invalid',
    field: 'proposedDueDate',
    message: `proposedDueDate“${proposedDueDate}”不是有效日期，格式为 YYYY-MM-DD`,
  };
}

/**
 * A unit may ask for a later deadline while its task is open and its deadline has not passed;
 * the proposed date must be later than the current one.
 */
export function checkRequest(
  task: TaskDeadline,
  proposedDueDate: string,
  now: Date,
  tz: string,
): Refusal | null {
  const invalid = checkProposedDate(proposedDueDate);
  if (invalid) return invalid;
  if (!isOpen(task.status)) {
    return {
      kind: 'conflict',
      message: `任务当前状态为“${STATUS_LABELS[task.status]}”，不能申请延期`,
      details: { currentStatus: task.status },
    };
  }
  if (now.getTime() >= task.dueAt.getTime()) {
    return {
      kind: 'conflict',
      message: `任务已于 ${describeDeadline(task.dueAt, tz)} 截止，截止后不能再申请延期，请联系督导室`,
      details: { dueAt: task.dueAt.toISOString(), dueDate: task.dueDate },
    };
  }
  if (proposedDueDate <= task.dueDate) {
    return {
      kind: 'invalid',
      field: 'proposedDueDate',
      message: `申请的截止日期 ${proposedDueDate} 须晚于当前截止日期 ${task.dueDate}`,
    };
  }
  return null;
}

/**
 * A supervisor decides a pending request only. Approving also needs the task still open, and the
 * proposed date still later than the current deadline and not yet past.
 */
export function checkDecision(
  request: { status: ExtensionStatus; proposedDueDate: string },
  decision: ExtensionDecision,
  task: TaskDeadline,
  now: Date,
  tz: string,
): Refusal | null {
  if (request.status !== 'pending') {
    return {
      kind: 'conflict',
      message: `该延期申请${EXTENSION_STATUS_LABELS[request.status]}，不能再${DECISION_LABELS[decision]}`,
      details: { currentStatus: request.status },
    };
  }
  if (decision === 'reject') return null;
  if (!isOpen(task.status)) {
    return {
      kind: 'conflict',
      message: `任务当前状态为“${STATUS_LABELS[task.status]}”，不能批准延期`,
      details: { currentStatus: request.status, taskStatus: task.status },
    };
  }
  if (request.proposedDueDate <= task.dueDate) {
    return {
      kind: 'conflict',
      message: `任务的截止日期已调整为 ${task.dueDate}，不早于申请的 ${request.proposedDueDate}，无需批准`,
      details: { currentStatus: request.status, dueDate: task.dueDate },
    };
  }
  if (request.proposedDueDate < businessDateOf(now, tz)) {
    return {
      kind: 'conflict',
      message: `申请的截止日期 ${request.proposedDueDate} 已过，不能批准，请驳回后由单位重新申请`,
      details: { currentStatus: request.status },
    };
  }
  return null;
}

/** A deadline as mail shows it: the date alone at the end of a business day, else date and time. */

export interface DecisionMailInput {
  decision: ExtensionDecision;
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  proposedDueDate: string;
  /** The deadline after the decision: the new one when approved, the unchanged one otherwise. */
  deadline: string;
  comment: string | null;
  decidedBy: string;
  link?: { label: string; url: string } | null;
}

/** The mail a unit receives when its extension request is decided. Every value is escaped in HTML. */
export function decisionMailContent(input: DecisionMailInput): MailContent {
  const approved = input.decision === 'approve';
  const item = `第${input.itemNumber}项“${input.itemTitle}”`;
  const outcome = approved ? '已获批准' : '未获批准';
  return {
    subject: approved
      ? `【延期申请已批准】${item}截止日期延至 ${input.deadline}`
      : `【延期申请未获批准】${item}截止日期仍为 ${input.deadline}`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `贵单位就《${input.planTitle}》第${input.itemNumber}项提出的延期申请（申请延至 ${input.proposedDueDate}）${outcome}。`,
        { quote: input.itemTitle },
      ],
      [
        { field: approved ? '新的截止日期' : '截止日期不变', value: input.deadline },
        ...(input.comment ? [`审批意见：${input.comment}`] : []),
        `审批人：${input.decidedBy}`,
      ],
      [
        approved
          ? '请按新的截止日期完成并报送进展，提醒将按新的截止日期发送。'
          : '请按原截止日期完成并报送进展。',
      ],
    ],
    link: input.link,
  };
}

export function composeDecisionMail(input: DecisionMailInput): ComposedMail {
  return renderMail(decisionMailContent(input));
}

export type { ComposedMail };
