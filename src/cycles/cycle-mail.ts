/** The messages of review cycles (督导), as channel-independent content. Pure. */
import type { MailContent, MailLine } from '../notifications/mail-layout.js';
import { RATING_LABELS, type Rating } from './cycle-rules.js';

export interface CycleTaskLine {
  itemNumber: number;
  itemTitle: string;
  role: 'lead' | 'co';
}

export interface CycleMailInput {
  planTitle: string;
  cycleTitle: string;
  unitName: string;
  /** As mail shows a deadline: '2022-04-15'. */
  due: string;
  tasks: readonly CycleTaskLine[];
  link: { label: string; url: string };
}

const taskLines = (tasks: readonly CycleTaskLine[]): MailLine[] =>
  tasks.map((t) => `第${t.itemNumber}项（${t.role === 'lead' ? '牵头' : '配合'}）${t.itemTitle}`);

/** Opening a cycle: the unit is asked to report on its tasks in scope. */
export function cycleRequestContent(input: CycleMailInput): MailContent {
  return {
    subject: `【督导】${input.cycleTitle}：请于 ${input.due} 前报送 ${input.tasks.length} 项任务的进展`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `督导室已启动《${input.planTitle}》${input.cycleTitle}，请就贵单位承担的以下任务报送工作进展：`,
        ...taskLines(input.tasks),
      ],
      [{ field: '报送截止', value: input.due, note: '逾期将在督导通报中列明' }],
    ],
    link: input.link,
  };
}

/** Before the due date: what the unit still owes. */
export function cycleReminderContent(
  input: CycleMailInput & { workdaysLeft: number | null },
): MailContent {
  const when =
    input.workdaysLeft === null
      ? ''
      : input.workdaysLeft > 0
        ? `（还剩 ${input.workdaysLeft} 个工作日）`
        : input.workdaysLeft === 0
          ? '（今天截止）'
          : '（已逾期）';
  return {
    subject: `【督导提醒】${input.cycleTitle}：${input.tasks.length} 项任务尚未报送，截止 ${input.due}${when}`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `《${input.planTitle}》${input.cycleTitle}中，贵单位以下任务尚未报送进展：`,
        ...taskLines(input.tasks),
      ],
      [{ field: '报送截止', value: input.due, note: when.replace(/[（）]/g, '') || undefined }],
    ],
    link: input.link,
  };
}

/** A supervisor returned a cycle report: the unit reports again. */
export function cycleReturnedContent(input: {
  planTitle: string;
  cycleTitle: string;
  unitName: string;
  itemNumber: number;
  itemTitle: string;
  comment: string;
  decidedBy: string;
  due: string;
  link: { label: string; url: string };
}): MailContent {
  return {
    subject: `【督导退回】${input.cycleTitle}：第${input.itemNumber}项的报告被退回，请修改后重新报送`,
    greeting: `${input.unitName}：`,
    sections: [
      [
        `贵单位在《${input.planTitle}》${input.cycleTitle}中报送的以下任务进展被退回：`,
        { quote: `第${input.itemNumber}项 ${input.itemTitle}` },
      ],
      [
        { block: input.comment, label: '督导室意见' },
        `退回人：${input.decidedBy}`,
        { field: '报送截止', value: input.due },
      ],
    ],
    link: input.link,
  };
}

export function ratingText(rating: Rating): string {
  return RATING_LABELS[rating];
}
