/**
 * Nudges (催办) as pure rules: how often a task may be nudged, and the mail its unit receives.
 * No Nest, no database.
 */
import { STATUS_LABELS, type TaskStatus } from '../tasks/task-state.js';
import { type ComposedMail, type MailContent, renderMail } from '../notifications/mail-layout.js';

/** At most one nudge per task in this window. */
export const NUDGE_INTERVAL_MS = 10 * 60 * 1000;
export const NOTE_MAX_LENGTH = 1000;

/** Milliseconds until the task may be nudged again; 0 when it may be nudged now. */
export function nudgeWaitMs(lastNudgeAt: Date | null, now: Date): number {
  if (!lastNudgeAt) return 0;
  return Math.max(0, lastNudgeAt.getTime() + NUDGE_INTERVAL_MS - now.getTime());
}

/** "请 N 分钟后再试" rounded up to whole minutes (at least 1). */
export function waitMessage(waitMs: number): string {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `该任务 ${NUDGE_INTERVAL_MS / 60_000} 分钟内已催办过，请 ${minutes} 分钟后再试`;
}

export interface NudgeMailInput {
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  /** Deadline as mail shows it. */
  deadline: string;
  overdue: boolean;
  note: string | null;
  nudgedBy: string;
  link?: { label: string; url: string } | null;
}

/** The reminder a supervisor sends at once. Every value is escaped in the HTML part. */
export function nudgeMailContent(input: NudgeMailInput): MailContent {
  const role = input.role === 'lead' ? '牵头' : '配合';
  const state = input.overdue ? '已逾期' : '尚未到期';
  return {
    subject: `【催办】第${input.itemNumber}项“${input.itemTitle}”请抓紧办理（截止 ${input.deadline}${input.overdue ? '，已逾期' : ''}）`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `督导室对《${input.planTitle}》第${input.itemNumber}项（贵单位${role}）进行催办，请抓紧办理并及时报送进展：`,
        { quote: input.itemTitle },
      ],
      [
        { field: '截止时间', value: input.deadline, note: state },
        `当前状态：${STATUS_LABELS[input.status]}`,
        ...(input.note ? [{ block: input.note, label: '督导室留言' }] : []),
        `催办人：${input.nudgedBy}`,
      ],
    ],
    link: input.link,
  };
}

export function composeNudgeMail(input: NudgeMailInput): ComposedMail {
  return renderMail(nudgeMailContent(input));
}

export type { ComposedMail };
