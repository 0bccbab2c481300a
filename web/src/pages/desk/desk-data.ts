import { api, unwrap, unwrapAs } from '../../api/client';
import { fetchAllTasks } from '../../api/queries';
import type {
  AuditRecord,
  ExtensionRequestView,
  Page,
  SubmissionView,
  TaskView,
} from '../../api/views';

export interface QueuedReport {
  task: TaskView;
  report: SubmissionView;
}

/**
 * Reports waiting for a decision, oldest first: every task in 已报送 and its latest report.
 * (One request per waiting task; the API has no queue route of its own.)
 */
export async function loadApprovalQueue(): Promise<QueuedReport[]> {
  const tasks = await fetchAllTasks({ status: 'submitted' });
  const queued = await Promise.all(
    tasks.map(async (task) => {
      const page = unwrap(
        await api.GET('/api/v1/tasks/{id}/submissions', {
          params: { path: { id: task.id }, query: { pageSize: 1 } },
        }),
      );
      const report = page.items[0];
      return report && report.status === 'submitted' ? { task, report } : null;
    }),
  );
  return queued
    .filter((q): q is QueuedReport => q !== null)
    .sort((a, b) => a.report.submittedAt.localeCompare(b.report.submittedAt));
}

export interface PendingExtension {
  task: TaskView;
  request: ExtensionRequestView;
}

/**
 * Extension requests waiting for a decision, oldest first. The tasks that have any are found in
 * the audit trail (every request is recorded there with its task), then each task's requests are
 * read for their current state.
 */
export async function loadPendingExtensions(): Promise<PendingExtension[]> {
  const taskIds = new Set<string>();
  for (let page = 1; page <= 20; page++) {
    const records = unwrapAs<Page<AuditRecord>>(
      await api.GET('/api/v1/audit', {
        params: { query: { entityType: 'extension_request', page, pageSize: 200 } },
      }),
    );
    for (const r of records.items) {
      const taskId = (r.after as { taskId?: unknown } | null)?.taskId;
      if (r.action === 'extension.request' && typeof taskId === 'string') taskIds.add(taskId);
    }
    if (page * 200 >= records.total) break;
  }
  const found = await Promise.all(
    [...taskIds].map(async (id) => {
      const requests = unwrap(
        await api.GET('/api/v1/tasks/{id}/extension-requests', {
          params: { path: { id }, query: { pageSize: 20 } },
        }),
      ).items.filter((r) => r.status === 'pending');
      if (requests.length === 0) return [];
      const task = unwrap(
        await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } }),
      ) as TaskView;
      return requests.map((request) => ({ task, request }));
    }),
  );
  return found.flat().sort((a, b) => a.request.createdAt.localeCompare(b.request.createdAt));
}
