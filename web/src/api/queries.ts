import { useQuery } from '@tanstack/react-query';
import { api, unwrap, unwrapAs } from './client';
import type { paths } from './schema';
import type { Page, PlanDetail, PlanView, TaskView, UnitView } from './views';

/** The filters of GET /tasks, as the server documents them. */
export type TaskFilter = NonNullable<paths['/api/v1/tasks']['get']['parameters']['query']>;
export type TaskStatusFilter = NonNullable<TaskFilter['status']>;
export type EscalationFilter = NonNullable<TaskFilter['escalation']>;

export async function fetchTasks(filter: TaskFilter): Promise<Page<TaskView>> {
  return unwrapAs<Page<TaskView>>(await api.GET('/api/v1/tasks', { params: { query: filter } }));
}

/** Every task matching the filter, page by page (the API serves at most 200 at a time). */
export async function fetchAllTasks(
  filter: Omit<TaskFilter, 'page' | 'pageSize'>,
): Promise<TaskView[]> {
  const all: TaskView[] = [];
  for (let page = 1; ; page++) {
    const res = await fetchTasks({ ...filter, page, pageSize: 200 });
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) return all;
  }
}

export function useTasks(filter: TaskFilter) {
  return useQuery({
    queryKey: ['tasks', filter],
    queryFn: () => fetchTasks(filter),
    placeholderData: (previous) => previous,
  });
}

export function useTask(id: string) {
  return useQuery({
    queryKey: ['task', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })) as TaskView,
  });
}

export function usePlans() {
  return useQuery({
    queryKey: ['plans'],
    queryFn: async () =>
      unwrapAs<Page<PlanView>>(
        await api.GET('/api/v1/plans', { params: { query: { pageSize: 100 } } }),
      ).items,
    staleTime: 60_000,
  });
}

export function usePlan(id: string | undefined) {
  return useQuery({
    queryKey: ['plan', id],
    enabled: !!id,
    queryFn: async () =>
      unwrapAs<PlanDetail>(await api.GET('/api/v1/plans/{id}', { params: { path: { id: id! } } })),
    staleTime: 60_000,
  });
}

export function useUnits() {
  return useQuery({
    queryKey: ['units'],
    queryFn: async () =>
      unwrapAs<Page<UnitView>>(
        await api.GET('/api/v1/units', { params: { query: { pageSize: 500 } } }),
      ).items,
    staleTime: 60_000,
  });
}

/** The plan a page works on: the one chosen, else the most recently imported. */
export function pickPlan(
  plans: PlanView[] | undefined,
  chosen: string | null,
): PlanView | undefined {
  return plans?.find((p) => p.id === chosen) ?? plans?.[0];
}
