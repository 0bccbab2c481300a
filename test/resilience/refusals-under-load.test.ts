import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PlansService } from '../../src/plans/plans.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

interface TaskView {
  id: string;
  item: { number: number };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
}

/**
 * Refused requests must never hold the database pool: a refusal takes no row lock, and its audit
 * entry is written after the request's transaction has ended, not through a second connection.
 */
describe('refused requests in parallel leave the service healthy', () => {
  let databaseUrl: string;
  let app: TestApp;
  let member: { authorization: string };
  let leader: { authorization: string };
  let supervisor: { authorization: string };
  let task: TaskView;

  const as = (who: { authorization: string }) =>
    request.agent(app.baseUrl).set('Authorization', who.authorization);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    await app.app.get(PlansService).importDocument(SEED_FILE, seedPlan());
    member = await signIn(app, 'unit_member', '宣传科');
    leader = await signIn(app, 'leader');
    supervisor = await signIn(app, 'supervisor');
    const list = await as(member).get('/api/v1/tasks').query({ pageSize: 200 }).expect(200);
    task = (list.body.items as TaskView[]).find((t) => t.role === 'lead')!;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  async function stillHealthy(): Promise<void> {
    await request(app.baseUrl).get('/api/v1/health').timeout(8000).expect(200);
    // Signing in needs a connection and a transaction of its own.
    await signIn(app, 'unit_member', '宣传科');
  }

  async function forbiddenCount(): Promise<number> {
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'forbidden' AND entity_id = $1`,
      [task.id],
    );
    return n;
  }

  it('20 parallel cancels by a unit member: each 403 and audited, the service stays up', async () => {
    const before = await forbiddenCount();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(member).post(`/api/v1/tasks/${task.id}/cancel`).send({}).timeout(10_000),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    expect(answers[0].body.message).toBe('无权执行此操作');
    await stillHealthy();
    expect(await forbiddenCount()).toBe(before + 20);
  });

  it('20 parallel acknowledgements by a leader: each 403, the service stays up', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(leader).post(`/api/v1/tasks/${task.id}/acknowledge`).send({}).timeout(10_000),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    await stillHealthy();
  });

  it('20 parallel deadline changes by a unit member: each 403, the service stays up', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(member)
          .patch(`/api/v1/tasks/${task.id}`)
          .send({ dueDate: '2027-05-01' })
          .timeout(10_000),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    await stillHealthy();
  });

  it('20 parallel milestone edits by a leader: each 403, the service stays up', async () => {
    await as(supervisor)
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueDate: '2027-06-30' })
      .expect(200);
    const created = await as(supervisor)
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .send({ title: '完成方案', dueDate: '2027-03-01' })
      .expect(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(leader)
          .patch(`/api/v1/milestones/${created.body.id}`)
          .send({ title: '改名' })
          .timeout(10_000),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    await stillHealthy();
  });

  it('an empty change is a 400 naming what to send, not a 403', async () => {
    const res = await as(member).patch(`/api/v1/tasks/${task.id}`).send({}).expect(400);
    expect(res.body.message).toContain('没有要修改的内容');
  });
});
