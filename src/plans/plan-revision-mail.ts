/**
 * The one message a unit receives when a revision of a plan concerns it, and the summary line of a
 * revision. Pure: no Nest, no database.
 */
import type { MailContent, MailLine } from '../notifications/mail-layout.js';
import type { DiffSummary, ItemRef, UnitChange } from './plan-diff.js';

const ROLE = { lead: '牵头', co: '配合' } as const;

const itemName = (i: ItemRef) => `第${i.number}项“${i.title}”`;

export function changeLine(change: UnitChange): MailLine {
  switch (change.kind) {
    case 'assigned':
      return `新增任务：${itemName(change.item)}（贵单位${ROLE[change.role]}，截止 ${change.dueDate}）`;
    case 'withdrawn':
      return change.reason === 'item-removed'
        ? `撤销任务：${itemName(change.item)}已从工作要点中删除，相关任务已撤销（已报送的进展保留）`
        : `撤销任务：${itemName(change.item)}不再由贵单位承担，相关任务已撤销（已报送的进展保留）`;
    case 'deadline':
      return `截止日期调整：${itemName(change.item)}由 ${change.from} 调整为 ${change.to}`;
    case 'role':
      return `承担方式调整：${itemName(change.item)}由${ROLE[change.from]}改为${ROLE[change.to]}`;
    case 'reworded':
      return change.renumberedFrom
        ? `内容调整：${itemName(change.item)}（原第${change.renumberedFrom.number}项）的文字或编号有修改，请按新文本办理`
        : `内容调整：${itemName(change.item)}的文字有修改，请按新文本办理`;
  }
}

export interface RevisionMailInput {
  planTitle: string;
  docNumber: string | null;
  version: number;
  unitName: string;
  changes: readonly UnitChange[];
  link?: { label: string; url: string } | null;
}

/** Every value is escaped in the HTML part by the mail layout. */
export function revisionMailContent(input: RevisionMailInput): MailContent {
  const doc = input.docNumber ? `（${input.docNumber}）` : '';
  return {
    subject: `【工作要点修订】《${input.planTitle}》第${input.version}版：涉及贵单位的调整 ${input.changes.length} 处`,
    greeting: `${input.unitName}：`,
    sections: [
      [`《${input.planTitle}》${doc}已修订为第${input.version}版，其中涉及贵单位的调整如下：`],
      input.changes.map(changeLine),
      ['截止日期的提醒已按调整后的日期重新安排。'],
    ],
    link: input.link,
  };
}

/** "新增 1 项、删除 1 项、改写 1 项 …" — only what changed. */
export function summaryText(s: DiffSummary): string {
  const parts: string[] = [];
  if (s.added) parts.push(`新增 ${s.added} 项`);
  if (s.removed) parts.push(`删除 ${s.removed} 项`);
  if (s.reworded) parts.push(`改写 ${s.reworded} 项`);
  if (s.renumbered) parts.push(`调整编号 ${s.renumbered} 项`);
  if (s.unitsAdded) parts.push(`增加责任单位 ${s.unitsAdded} 处`);
  if (s.unitsRemoved) parts.push(`减少责任单位 ${s.unitsRemoved} 处`);
  if (s.deadlinesMoved) parts.push(`调整截止日期 ${s.deadlinesMoved} 项`);
  return parts.length ? parts.join('、') : '无实质变化';
}
