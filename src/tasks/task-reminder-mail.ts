import { type ComposedMail, type MailContent, renderMail } from '../notifications/mail-layout.js';

export interface ReminderMailInput {
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  role: 'lead' | 'co';
  /** Deadline as people read it, e.g. "2022-12-30" or "2026-06-30 18:00". */
  deadline: string;
  /** Whole working days left before the deadline's date; 0 = due today; negative = overdue. */
  workdaysLeft: number | null;
  /** Milliseconds left for exact (seconds-scale) reminders, when workdaysLeft is null. */
  msLeft: number | null;
  link?: { label: string; url: string } | null;
}

/** "距截止还有 3 个工作日", "今天截止", "已逾期 2 个工作日", "距截止不足 1 分钟" … */
export function urgency(input: Pick<ReminderMailInput, 'workdaysLeft' | 'msLeft'>): string {
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

/** The reminder a unit receives before a task's deadline. */
export function reminderMailContent(input: ReminderMailInput): MailContent {
  const when = urgency(input);
  const role = input.role === 'lead' ? '牵头' : '配合';
  return {
    subject: `【督办提醒】第${input.itemNumber}项“${input.itemTitle}”将于 ${input.deadline} 截止（${when}）`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `《${input.planTitle}》第${input.itemNumber}项由贵单位${role}落实：`,
        { quote: input.itemTitle },
      ],
      [{ field: '截止时间', value: input.deadline, note: when }],
      ['请按时完成并报送进展。如已完成，请在督办系统中标记办结；如需延期，请在截止前提出申请。'],
    ],
    link: input.link,
  };
}

export function composeReminderMail(input: ReminderMailInput): ComposedMail {
  return renderMail(reminderMailContent(input));
}
