import { api, unwrap } from '../../api/client';
import type { QueuedExtensionRequest, QueuedSubmission } from '../../api/views';

/** Every page of a queue (the API serves at most 200 at a time). */
async function allPages<T>(
  read: (page: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const res = await read(page);
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) return all;
  }
}

/** Reports waiting for a decision, oldest first (the server's approval queue). */
export function loadApprovalQueue(): Promise<QueuedSubmission[]> {
  return allPages(
    async (page) =>
      unwrap(
        await api.GET('/api/v1/submissions', {
          params: { query: { status: 'submitted', page, pageSize: 200 } },
        }),
      ) as unknown as { items: QueuedSubmission[]; total: number },
  );
}

/** Extension requests waiting for a decision, oldest first. */
export function loadPendingExtensions(): Promise<QueuedExtensionRequest[]> {
  return allPages(
    async (page) =>
      unwrap(
        await api.GET('/api/v1/extension-requests', {
          params: { query: { status: 'pending', page, pageSize: 200 } },
        }),
      ) as unknown as { items: QueuedExtensionRequest[]; total: number },
  );
}
