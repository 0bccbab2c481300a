/**
 * Plan progress as a pure rollup: an item's status from its tasks, a section's from its items, and
 * the plan's totals. Derived at read time from task statuses and deadlines; nothing is stored.
 * No Nest, no database.
 */
import { isOverdue, TASK_STATUSES, type TaskStatus } from '../tasks/task-state.js';

export const PROGRESS_STATUSES = [
  'assigned',
  'in_progress',
  'submitted',
  'overdue',
  'closed',
  'cancelled',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const PROGRESS_LABELS: Record<ProgressStatus, string> = {
  assigned: '未启动',
  in_progress: '推进中',
  submitted: '已报送',
  overdue: '已逾期',
  closed: '已办结',
  cancelled: '已撤销',
};

/**
 * The one rule, for tasks and items alike. Each part is reduced to a progress status first; then:
 * all cancelled (or nothing at all to do) → cancelled; every part closed or cancelled → closed;
 * any part overdue → overdue; all remaining parts submitted → submitted; no remaining part started
 * → assigned; otherwise → in_progress.
 */
export function combine(parts: readonly ProgressStatus[]): ProgressStatus {
  const live = parts.filter((s) => s !== 'cancelled');
  if (parts.length > 0 && live.length === 0) return 'cancelled';
  if (live.length > 0 && live.every((s) => s === 'closed')) return 'closed';
  if (live.some((s) => s === 'overdue')) return 'overdue';
  const open = live.filter((s) => s !== 'closed');
  const anySubmitted = open.some((s) => s === 'submitted');
  if (anySubmitted && open.every((s) => s === 'submitted')) return 'submitted';
  if (live.every((s) => s === 'assigned')) return 'assigned';
  return 'in_progress';
}

/**
 * One task as a progress status. Signing for a task (acknowledged) is not yet starting it; a
 * returned report means work goes on.
 */
export function taskProgress(status: TaskStatus, dueAt: Date, now: Date): ProgressStatus {
  if (isOverdue(status, dueAt, now)) return 'overdue';
  switch (status) {
    case 'assigned':
    case 'acknowledged':
      return 'assigned';
    case 'in_progress':
    case 'returned':
      return 'in_progress';
    case 'submitted':
      return 'submitted';
    case 'closed':
      return 'closed';
    case 'cancelled':
      return 'cancelled';
  }
}

export interface ProgressTask {
  status: TaskStatus;
  dueAt: Date;
  /** 黄牌/红牌 of the task. */
  escalation: 'none' | 'yellow' | 'red';
  role: 'lead' | 'co';
  unitId: string;
  unitName: string;
}

export interface ProgressItemInput {
  id: string;
  number: number;
  title: string;
  tasks: readonly ProgressTask[];
}

export interface ProgressSectionInput {
  id: string;
  ordinal: number;
  title: string | null;
  items: readonly ProgressItemInput[];
}

/** Tasks by lifecycle status; `overdue` open and past the deadline; `yellow`/`red` by card. */
export type TaskCounts = Record<TaskStatus, number> & {
  total: number;
  overdue: number;
  yellow: number;
  red: number;
};
export type ItemCounts = Record<ProgressStatus, number> & { total: number };

export interface LeadProgress {
  unitId: string;
  unitName: string;
  status: TaskStatus;
  overdue: boolean;
}

export interface ItemProgress {
  id: string;
  number: number;
  title: string;
  status: ProgressStatus;
  overdue: boolean;
  /** The item's tasks by lifecycle status; `overdue` counts open tasks past their deadline. */
  counts: TaskCounts;
  /** The leading unit's task; null when several units lead (items for every unit). */
  lead: LeadProgress | null;
}

export interface SectionProgress {
  id: string;
  ordinal: number;
  title: string | null;
  status: ProgressStatus;
  overdue: boolean;
  /** The section's items by rolled-up status. */
  counts: ItemCounts;
  /** All tasks of the section by lifecycle status. */
  taskCounts: TaskCounts;
  items: ItemProgress[];
}

export interface PlanProgress {
  status: ProgressStatus;
  overdue: boolean;
  totals: { sections: number; items: number; tasks: number };
  /** Sections by rolled-up status. */
  sectionCounts: ItemCounts;
  /** Items by rolled-up status. */
  itemCounts: ItemCounts;
  taskCounts: TaskCounts;
  sections: SectionProgress[];
}

function emptyTaskCounts(): TaskCounts {
  const counts = { total: 0, overdue: 0, yellow: 0, red: 0 } as TaskCounts;
  for (const s of TASK_STATUSES) counts[s] = 0;
  return counts;
}

function emptyItemCounts(): ItemCounts {
  const counts = { total: 0 } as ItemCounts;
  for (const s of PROGRESS_STATUSES) counts[s] = 0;
  return counts;
}

function addTaskCounts(into: TaskCounts, from: TaskCounts): void {
  into.total += from.total;
  into.overdue += from.overdue;
  into.yellow += from.yellow;
  into.red += from.red;
  for (const s of TASK_STATUSES) into[s] += from[s];
}

function countStatuses(statuses: readonly ProgressStatus[]): ItemCounts {
  const counts = emptyItemCounts();
  for (const s of statuses) {
    counts[s] += 1;
    counts.total += 1;
  }
  return counts;
}

export function itemProgress(item: ProgressItemInput, now: Date): ItemProgress {
  const counts = emptyTaskCounts();
  const parts: ProgressStatus[] = [];
  for (const task of item.tasks) {
    const part = taskProgress(task.status, task.dueAt, now);
    parts.push(part);
    counts[task.status] += 1;
    counts.total += 1;
    if (part === 'overdue') counts.overdue += 1;
    if (task.escalation !== 'none') counts[task.escalation] += 1;
  }
  const leads = item.tasks.filter((t) => t.role === 'lead');
  const lead = leads.length === 1 ? leads[0] : null;
  const status = combine(parts);
  return {
    id: item.id,
    number: item.number,
    title: item.title,
    status,
    overdue: status === 'overdue',
    counts,
    lead: lead
      ? {
          unitId: lead.unitId,
          unitName: lead.unitName,
          status: lead.status,
          overdue: isOverdue(lead.status, lead.dueAt, now),
        }
      : null,
  };
}

export function sectionProgress(section: ProgressSectionInput, now: Date): SectionProgress {
  const items = section.items.map((item) => itemProgress(item, now));
  const taskCounts = emptyTaskCounts();
  for (const item of items) addTaskCounts(taskCounts, item.counts);
  const status = combine(items.map((i) => i.status));
  return {
    id: section.id,
    ordinal: section.ordinal,
    title: section.title,
    status,
    overdue: status === 'overdue',
    counts: countStatuses(items.map((i) => i.status)),
    taskCounts,
    items,
  };
}

export function planProgress(sections: readonly ProgressSectionInput[], now: Date): PlanProgress {
  const rolled = sections.map((s) => sectionProgress(s, now));
  const items = rolled.flatMap((s) => s.items);
  const taskCounts = emptyTaskCounts();
  for (const section of rolled) addTaskCounts(taskCounts, section.taskCounts);
  const status = combine(items.map((i) => i.status));
  return {
    status,
    overdue: status === 'overdue',
    totals: { sections: rolled.length, items: items.length, tasks: taskCounts.total },
    sectionCounts: countStatuses(rolled.map((s) => s.status)),
    itemCounts: countStatuses(items.map((i) => i.status)),
    taskCounts,
    sections: rolled,
  };
}
