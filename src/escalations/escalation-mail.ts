/**
 * What escalation messages say (黄牌, 红牌, 逾期提醒). Pure: no Nest, no database.
 */
import type { MailContent } from '../notifications/mail-layout.js';

export interface EscalationMailInput {
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  role: 'lead' | 'co';
  deadline: string;
  /** "3 个工作日" / "约 2 分钟": how late the task is. */
  late: string;
  /** For the yellow card: when the red card follows (its offset, in words). */
  redAfter: string | null;
  link: { label: string; url: string } | null;
}

const roleOf = (r: 'lead' | 'co') => (r === 'lead' ? '牵头' : '配合');

export function yellowCardContent(i: EscalationMailInput): MailContent {
  return {
    subject: `【黄牌督办】第${i.itemNumber}项“${i.itemTitle}”已逾期 ${i.late}，请抓紧办理`,
    greeting: `${i.unitName}负责同志：`,
    sections: [
      [
        `《${i.planTitle}》第${i.itemNumber}项由贵单位${roleOf(i.role)}落实：`,
        { quote: i.itemTitle },
      ],
      [
        { field: '截止时间', value: i.deadline, note: `已逾期 ${i.late}` },
        '至今尚未报送进展，督导室已对该任务亮黄牌。',
        ...(i.redAfter ? [`如截止后 ${i.redAfter}仍未报送，将亮红牌并报局领导。`] : []),
      ],
      ['请立即组织落实并在督办系统中报送进展；确需延期的，请说明理由。'],
    ],
    link: i.link,
  };
}

export function redCardContent(i: EscalationMailInput): MailContent {
  return {
    subject: `【红牌督办】${i.unitName}：第${i.itemNumber}项“${i.itemTitle}”已逾期 ${i.late}`,
    greeting: '局领导、督导室：',
    sections: [
      [
        `《${i.planTitle}》第${i.itemNumber}项（${roleOf(i.role)}单位：${i.unitName}）：`,
        { quote: i.itemTitle },
      ],
      [
        { field: '截止时间', value: i.deadline, note: `已逾期 ${i.late}` },
        { field: '逾期单位', value: i.unitName },
        '该任务黄牌督办后仍未报送进展，现亮红牌，请督促落实。',
      ],
    ],
    link: i.link,
  };
}

export function overdueReminderContent(i: EscalationMailInput): MailContent {
  return {
    subject: `【逾期提醒】第${i.itemNumber}项“${i.itemTitle}”已逾期 ${i.late}`,
    greeting: `${i.unitName}：`,
    sections: [
      [
        `《${i.planTitle}》第${i.itemNumber}项由贵单位${roleOf(i.role)}落实：`,
        { quote: i.itemTitle },
      ],
      [{ field: '截止时间', value: i.deadline, note: `已逾期 ${i.late}` }],
      ['请尽快完成并在督办系统中报送进展；报送后将不再提醒。'],
    ],
    link: i.link,
  };
}

/** "3 个工作日" for working-day offsets, "约 2 分钟" / "30 秒" for exact ones. */
export function lateInWords(
  offset: { kind: 'workdays'; workdays: number } | { kind: 'exact'; milliseconds: number },
): string {
  if (offset.kind === 'workdays') return `${offset.workdays} 个工作日`;
  const s = Math.round(offset.milliseconds / 1000);
  if (s < 60) return `${s} 秒`;
  const min = Math.round(s / 60);
  if (min < 120) return `约 ${min} 分钟`;
  return `约 ${Math.round(min / 60)} 小时`;
}
