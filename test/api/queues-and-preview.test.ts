import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE, sleep } from '../support/seed.js';

const Y = new Date().getFullYear() + 1;

describe('import dry run, the approval queue and the extension queue', () => {
  let databaseUrl: string;
  let app: TestApp;
  let supervisor: { authorization: string };
  const as = (who: { authorization: string }) =>
    request.agent(app.baseUrl).set('Authorization', who.authorization);
  const counts = async () =>
    (
      await app.db.query(
        `SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM tasks)::int AS tasks,
                (SELECT count(*) FROM units)::int AS units, (SELECT count(*) FROM audit_log WHERE action = 'plan.import')::int AS audited`,
      )
    )[0] as { plans: number; tasks: number; units: number; audited: number };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    supervisor = await signIn(app, 'supervisor');
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('shows what an import would create and changes nothing', async () => {
    const before = await counts();
    const res = await as(supervisor)
      .post('/api/v1/plans/import')
      .query({ dryRun: true })
      .attach('file', seedPlan(), SEED_FILE)
      .expect(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      status: 'new',
      existingPlanId: null,
      plan: { title: '虹口区教育局2022年工作要点', docNumber: '虹教〔2022〕1号', year: 2022 },
      counts: { sections: 7, items: 36, newUnits: 23 },
    });
    expect(res.body.sections).toHaveLength(7);
    const first = res.body.sections[0].items[0];
    expect(first).toMatchObject({
      number: 1,
      units: ['宣传科', '组织科', '德育', '教育学院'],
      dueDate: '2022-12-30',
      tasks: 4,
    });
    expect(res.body.units).toHaveLength(23);
    expect(res.body.units.every((u: { known: boolean }) => !u.known)).toBe(true);
    expect(res.body.message).toContain('7 个板块、36 项要点');
    expect(await counts()).toEqual(before);

    const imported = await as(supervisor)
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    expect(imported.body.counts.tasks).toBe(res.body.counts.tasks);
    expect(imported.body.counts.units).toBe(res.body.counts.units);

    const again = await as(supervisor)
      .post('/api/v1/plans/import')
      .query({ dryRun: 'true' })
      .attach('file', seedPlan(), SEED_FILE)
      .expect(200);
    expect(again.body).toMatchObject({
      status: 'already-imported',
      existingPlanId: imported.body.planId,
    });
    expect(again.body.units.every((u: { known: boolean }) => u.known)).toBe(true);
  });

  it('refuses a dry run by someone who may not import, before reading the file', async () => {
    const member = await signIn(app, 'unit_member', '宣传科');
    await as(member)
      .post('/api/v1/plans/import')
      .query({ dryRun: true })
      .attach('file', seedPlan(), SEED_FILE)
      .expect(403);
  });

  it('lists reports waiting for a decision oldest first, each with its task', async () => {
    const tasks = (await as(supervisor).get('/api/v1/tasks').query({ pageSize: 200 }).expect(200))
      .body.items as {
      id: string;
      role: string;
      unit: { name: string; id: string };
      item: { number: number };
    }[];
    const xck = tasks.find((t) => t.unit.name === '宣传科' && t.role === 'lead')!;
    const zzk = tasks.find((t) => t.unit.name === '组织科' && t.role === 'lead')!;
    const xckMember = await signIn(app, 'unit_member', '宣传科');
    const zzkMember = await signIn(app, 'unit_member', '组织科');
    await as(xckMember)
      .post(`/api/v1/tasks/${xck.id}/submissions`)
      .send({ body: '第一份' })
      .expect(201);
    await sleep(20);
    await as(zzkMember)
      .post(`/api/v1/tasks/${zzk.id}/submissions`)
      .send({ body: '第二份' })
      .expect(201);

    const queue = await as(supervisor)
      .get('/api/v1/submissions')
      .query({ status: 'submitted' })
      .expect(200);
    expect(queue.body.total).toBe(2);
    expect(queue.body.items.map((s: { body: string }) => s.body)).toEqual(['第一份', '第二份']);
    expect(queue.body.items[0].task).toMatchObject({
      id: xck.id,
      unit: { name: '宣传科' },
      item: { number: xck.item.number },
    });
    // A unit sees only its own.
    const own = await as(xckMember)
      .get('/api/v1/submissions')
      .query({ status: 'submitted' })
      .expect(200);
    expect(own.body.items.map((s: { body: string }) => s.body)).toEqual(['第一份']);
    await as(supervisor).get('/api/v1/submissions').query({ status: 'nonsense' }).expect(400);
  });

  it('lists extension requests waiting for a decision', async () => {
    const tasks = (
      await as(supervisor).get('/api/v1/tasks').query({ pageSize: 200, unit: '人事科' }).expect(200)
    ).body.items as { id: string; role: string }[];
    const task = tasks.find((t) => t.role === 'lead')!;
    await as(supervisor)
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueDate: `${Y}-03-31` })
      .expect(200);
    const member = await signIn(app, 'unit_member', '人事科');
    await as(member)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '等待市里文件', proposedDueDate: `${Y}-05-31` })
      .expect(201);
    const pending = await as(supervisor)
      .get('/api/v1/extension-requests')
      .query({ status: 'pending' })
      .expect(200);
    expect(pending.body.total).toBe(1);
    expect(pending.body.items[0]).toMatchObject({
      status: 'pending',
      proposedDueDate: `${Y}-05-31`,
      task: { id: task.id, unit: { name: '人事科' } },
    });
    const other = await signIn(app, 'unit_member', '宣传科');
    const none = await as(other).get('/api/v1/extension-requests').expect(200);
    expect(none.body.total).toBe(0);
  });
});
