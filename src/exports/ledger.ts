/**
 * The progress ledger (督办台账) as rows of cells: one row per task. Pure; the workbook is written
 * from these rows by ExportsService.
 */
import { describeDateTime, describeDeadline } from '../calendar/business-time.js';
import { isOverdue, STATUS_LABELS } from '../tasks/task-state.js';
import type { LedgerRow } from './exports.repository.js';

export const LEDGER_COLUMNS = [
  { header: '序号', width: 6 },
  { header: '板块', width: 28 },
  { header: '条目编号', width: 9 },
  { header: '条目', width: 40 },
  { header: '责任单位', width: 14 },
  { header: '角色', width: 7 },
  { header: '截止时间', width: 18 },
  { header: '状态', width: 9 },
  { header: '是否逾期', width: 9 },
  { header: '最近报送时间', width: 18 },
  { header: '最近报送摘要', width: 50 },
  { header: '督办等级', width: 9 },
  { header: '督导评价', width: 12 },
] as const;

export const ROLE_LABELS = { lead: '牵头', co: '配合' } as const;
export const ESCALATION_LABELS = { none: '无', yellow: '黄牌', red: '红牌' } as const;
const REPORT_LABELS = { submitted: '待审核', approved: '已通过', returned: '已退回' } as const;

const EXCERPT = 120;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

const NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function sectionLabel(ordinal: number, title: string | null): string {
  const n =
    ordinal <= 10 ? NUMERALS[ordinal] : ordinal < 20 ? `十${NUMERALS[ordinal - 10]}` : ordinal;
  return `${n}、${title ?? ''}`;
}

/**
 * The cells of each row, in LEDGER_COLUMNS order. Review-cycle ratings (督导评价) stay empty
 * until review cycles provide them (`ratings`, by task id).
 */
export function ledgerCells(
  rows: readonly LedgerRow[],
  now: Date,
  tz: string,
  ratings: ReadonlyMap<string, string> = new Map(),
): (string | number)[][] {
  return rows.map((r, i) => [
    i + 1,
    sectionLabel(r.sectionOrdinal, r.sectionTitle),
    r.itemNumber,
    r.itemTitle,
    r.unitName,
    ROLE_LABELS[r.role],
    describeDeadline(r.dueAt, tz),
    STATUS_LABELS[r.status],
    isOverdue(r.status, r.dueAt, now) ? '是' : '否',
    r.lastReportAt ? describeDateTime(r.lastReportAt, tz) : '',
    r.lastReportBody !== null && r.lastReportStatus !== null
      ? `〔${REPORT_LABELS[r.lastReportStatus]}〕${excerpt(r.lastReportBody)}`
      : '',
    ESCALATION_LABELS[r.escalation],
    ratings.get(r.taskId) ?? '',
  ]);
}
