import type { TaskView } from '../api/views';
import { RAG } from './labels';

/** Each task lands in exactly one bucket, so stacked bars add up to the task count. */
export const BUCKETS = [
  { key: 'closed', label: '已办结', color: RAG.green },
  { key: 'submitted', label: '待审核', color: RAG.blue },
  { key: 'active', label: '推进中', color: RAG.amber },
  { key: 'assigned', label: '未启动', color: RAG.grey },
  { key: 'overdue', label: '已逾期', color: RAG.red },
] as const;
export type Bucket = (typeof BUCKETS)[number]['key'];

export function bucketOf(task: TaskView): Bucket | null {
  if (task.status === 'cancelled') return null;
  if (task.status === 'closed') return 'closed';
  if (task.overdue) return 'overdue';
  if (task.status === 'submitted') return 'submitted';
  if (task.status === 'assigned') return 'assigned';
  return 'active';
}

export type Counts = Record<Bucket, number> & { total: number };

export function countBuckets(tasks: readonly TaskView[]): Counts {
  const counts: Counts = { closed: 0, submitted: 0, active: 0, assigned: 0, overdue: 0, total: 0 };
  for (const t of tasks) {
    const b = bucketOf(t);
    if (!b) continue;
    counts[b]++;
    counts.total++;
  }
  return counts;
}

/** Red: something is overdue; green: all done; amber: under way. */
export function ragOf(counts: Counts): { color: string; label: string } {
  if (counts.overdue > 0) return { color: RAG.red, label: '有逾期' };
  if (counts.total > 0 && counts.closed === counts.total)
    return { color: RAG.green, label: '已完成' };
  return { color: RAG.amber, label: '推进中' };
}

/** Was the task overdue at the end of `date` (business date 'YYYY-MM-DD', instant `at`)? */
export function overdueAt(task: TaskView, at: Date): boolean {
  if (task.status === 'cancelled') return false;
  if (new Date(task.dueAt) >= at) return false;
  return task.completedAt === null || new Date(task.completedAt) > at;
}

/** Weekly points (every 7 days back from today) with the number of tasks overdue then. */
export function overdueTrend(
  tasks: readonly TaskView[],
  todayDate: string,
  weeks: number,
): { date: string; count: number }[] {
  const points: { date: string; count: number }[] = [];
  for (let w = weeks; w >= 0; w--) {
    const date = new Date(Date.parse(`${todayDate}T00:00:00Z`) - w * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const at = w === 0 ? new Date() : new Date(`${date}T23:59:59+08:00`);
    points.push({ date, count: tasks.filter((t) => overdueAt(t, at)).length });
  }
  return points;
}
