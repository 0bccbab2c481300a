/**
 * Progress reports (进展报告): which one a supervisor may decide, and the mail the unit gets.
 * Pure: no Nest, no database.
 */
import { type ComposedMail, type MailContent, renderMail } from '../notifications/mail-layout.js';

export const SUBMISSION_STATUSES = ['submitted', 'approved', 'returned'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** `return` is the decision the API names `reject` (docs/ARCHITECTURE.md, Contracts): the report goes back to the unit. */
export type SubmissionDecision = 'approve' | 'return';

export const BODY_MAX_LENGTH = 20_000;
export const COMMENT_MAX_LENGTH = 2_000;
/** How much of the report a decision mail quotes. */
export const MAIL_EXCERPT_LENGTH = 300;

export const SUBMISSION_STATUS_LABELS: Record<SubmissionStatus, string> = {
  submitted: '待审核',
  approved: '已通过',
  returned: '已退回',
};

const DECISION_LABELS: Record<SubmissionDecision, string> = {
  approve: '审核通过',
  return: '退回',
};

export const DECISION_OUTCOMES: Record<SubmissionDecision, SubmissionStatus> = {
  approve: 'approved',
  return: 'returned',
};

export interface DecisionRefusal {
  message: string;
  details: Record<string, unknown>;
}

/**
 * A supervisor decides only a report still awaiting review (待审核) that is the task's latest:
 * an older one is history. Null when the decision may go ahead.
 */
export function checkDecision(
  submission: { status: SubmissionStatus; number: number },
  latestNumber: number,
  decision: SubmissionDecision,
): DecisionRefusal | null {
  if (submission.status !== 'submitted') {
    return {
      message: `该进展报告${SUBMISSION_STATUS_LABELS[submission.status]}，不能再${DECISION_LABELS[decision]}`,
      details: { currentStatus: submission.status },
    };
  }
  if (submission.number !== latestNumber) {
    return {
      message: `该进展报告（第 ${submission.number} 次报送）已不是最新的报告（最新为第 ${latestNumber} 次），不能${DECISION_LABELS[decision]}`,
      details: { currentStatus: submission.status, latestNumber },
    };
  }
  return null;
}

/** A comment counts only when it has something besides white space. */
export function meaningfulComment(comment: string | undefined | null): string | null {
  return comment !== undefined && comment !== null && /\S/.test(comment) ? comment : null;
}

/** The first `max` characters of a text (whole code points), with "…" when cut. */
export function excerpt(text: string, max = MAIL_EXCERPT_LENGTH): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

export interface DecisionMailInput {
  decision: SubmissionDecision;
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  /** Which report of the task this was (第 n 次报送). */
  submissionNumber: number;
  /** When it was submitted, as the business sees it ("2026-05-06 10:30"). */
  submittedAt: string;
  body: string;
  comment: string | null;
  decidedBy: string;
  link?: { label: string; url: string } | null;
}

/** The mail a unit receives when its report is approved or returned. Every value is escaped in HTML. */
export function decisionMailContent(input: DecisionMailInput): MailContent {
  const approved = input.decision === 'approve';
  const item = `第${input.itemNumber}项“${input.itemTitle}”`;
  const outcome = approved ? '已审核通过，任务办结' : '被退回';
  return {
    subject: approved
      ? `【进展报告已通过】${item}已办结`
      : `【进展报告被退回】${item}请修改后重新报送`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `贵单位就《${input.planTitle}》第${input.itemNumber}项报送的进展报告${outcome}。`,
        { quote: input.itemTitle },
      ],
      [
        ...(input.comment ? [{ block: input.comment, label: '审核意见' }] : []),
        `审核人：${input.decidedBy}`,
        `报告：第 ${input.submissionNumber} 次报送（${input.submittedAt}）`,
        { block: excerpt(input.body) },
      ],
      [approved ? '感谢贵单位的落实。' : '请根据审核意见修改后，在督办系统中重新报送进展报告。'],
    ],
    link: input.link,
  };
}

export function composeDecisionMail(input: DecisionMailInput): ComposedMail {
  return renderMail(decisionMailContent(input));
}

export type { ComposedMail };
