import request from 'supertest';
import { PlansService } from '../../src/plans/plans.service.js';
import { signIn, type TestApp } from './app.js';
import { seedPlan, SEED_FILE } from './seed.js';

export interface FixtureTask {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  dueAt: string;
}

/**
 * The seed plan imported into a test app, a supervisor signed in, and helpers to give units a
 * contact address and tasks a deadline.
 */
export async function seededPlan(app: TestApp) {
  const imported = await app.app.get(PlansService).importDocument(SEED_FILE, seedPlan());
  const supervisor = await signIn(app, 'supervisor');
  const api = () => request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
  const list = await api()
    .get('/api/v1/tasks')
    .query({ planId: imported.planId, pageSize: 200 })
    .expect(200);
  const tasks = list.body.items as FixtureTask[];
  /** Lead tasks of distinct units, in item order. */
  const leadsOfDistinctUnits = (): FixtureTask[] => {
    const seen = new Set<string>();
    return tasks.filter((t) => {
      if (t.role !== 'lead' || seen.has(t.unit.id)) return false;
      seen.add(t.unit.id);
      return true;
    });
  };
  return {
    planId: imported.planId,
    tasks,
    supervisor,
    api,
    leadsOfDistinctUnits,
    async setPolicy(offsets: string[]) {
      await api().put(`/api/v1/plans/${imported.planId}/policy`).send({ offsets }).expect(200);
    },
    async contact(task: FixtureTask, email: string) {
      await api().patch(`/api/v1/units/${task.unit.id}`).send({ email }).expect(200);
    },
    async dueIn(task: FixtureTask, ms: number): Promise<Date> {
      const dueAt = new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);
      await api()
        .patch(`/api/v1/tasks/${task.id}`)
        .send({ dueAt: dueAt.toISOString() })
        .expect(200);
      return dueAt;
    },
  };
}
