import { html } from '../common/html.js';

export interface ReminderMailInput {
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  role: 'lead' | 'co';
  /** Deadline as the business sees it, e.g. "2022-12-30 23:59". */
  deadline: string;
  /** Whole working days left before the deadline's date; 0 = due today; negative = overdue. */
  workdaysLeft: number | null;
  /** Milliseconds left for exact (seconds-scale) reminders, when workdaysLeft is null. */
  msLeft: number | null;
}

/** Closing line of every message Duban sends. */
export const MAIL_FOOTER = '—— 督办系统（本邮件由系统自动发送）';

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

function urgency(input: ReminderMailInput): string {
  if (input.workdaysLeft !== null) {
    if (input.workdaysLeft > 0) return `距截止还有 ${input.workdaysLeft} 个工作日`;
    if (input.workdaysLeft === 0) return '今天截止';
    return `已逾期 ${-input.workdaysLeft} 个工作日`;
  }
  const ms = input.msLeft ?? 0;
  if (ms <= 0) return '已到截止时间';
  if (ms < 60_000) return '距截止不足 1 分钟';
  const minutes = Math.ceil(ms / 60_000);
  return minutes >= 60
    ? `距截止还有约 ${Math.round(minutes / 60)} 小时`
    : `距截止还有约 ${minutes} 分钟`;
}

/** The reminder a unit receives before a task's deadline. Every value is escaped in the HTML part. */
export function composeReminderMail(input: ReminderMailInput): ComposedMail {
  const when = urgency(input);
  const role = input.role === 'lead' ? '牵头' : '配合';
  const subject = `【督办提醒】第${input.itemNumber}项“${input.itemTitle}”将于 ${input.deadline} 截止（${when}）`;
  const text = [
    `${input.unitName}：`,
    '',
    `《${input.planTitle}》第${input.itemNumber}项由贵单位${role}落实：`,
    `  ${input.itemTitle}`,
    '',
    `截止时间：${input.deadline}（${when}）`,
    '',
    '请按时完成并报送进展。如已完成，请在督办系统中标记办结；如需延期，请在截止前提出申请。',
    '',
    MAIL_FOOTER,
  ].join('\n');
  const body = html`<p>${input.unitName}：</p>
    <p>《${input.planTitle}》第${input.itemNumber}项由贵单位${role}落实：</p>
    <blockquote><strong>${input.itemTitle}</strong></blockquote>
    <p>截止时间：<strong>${input.deadline}</strong>（${when}）</p>
    <p>请按时完成并报送进展。如已完成，请在督办系统中标记办结；如需延期，请在截止前提出申请。</p>
    <p style="color:#888">${MAIL_FOOTER}</p>`;
  return { subject, text, html: `<!doctype html><html><body>${body}</body></html>` };
}
