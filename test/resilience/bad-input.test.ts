import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan, type FixtureTask } from '../support/plan-fixture.js';

/** Input that used to reach the database and come back as a 500 is refused with a 400 naming the field. */
describe('bad input is a 400 naming the field, never a 500', () => {
  let databaseUrl: string;
  let app: TestApp;
  let plan: Awaited<ReturnType<typeof seededPlan>>;
  let task: FixtureTask;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    plan = await seededPlan(app);
    [task] = plan.leadsOfDistinctUnits();
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it.each([
    [{ dueBefore: '2027-02-31' }, 'dueBefore'],
    [{ dueAfter: '2026-13-01' }, 'dueAfter'],
    [{ page: '1e300' }, 'page'],
    [{ page: '100001' }, 'page'],
    [{ pageSize: '1e9' }, 'pageSize'],
    [{ unit: 'a\u0000b' }, 'unit'],
  ])('GET /tasks with %j → 400 naming %s', async (query, field) => {
    const res = await plan.api().get('/api/v1/tasks').query(query).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('a NUL in the sign-in e-mail is a 400 without signing in', async () => {
    const res = await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .send({ email: 'admin\u0000@example.org', password: 'whatever-password' })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, details: [{ field: 'email' }] });
  });

  it('a lone surrogate in a name is a 400 naming the field', async () => {
    const admin = await signIn(app, 'admin');
    const res = await request(app.baseUrl)
      .post('/api/v1/users')
      .set('Authorization', admin.authorization)
      .set('content-type', 'application/json')
      .send('{"email":"lone@example.org","name":"\\ud800张三","role":"leader"}')
      .expect(400);
    expect(res.body.details[0].field).toBe('name');
    const report = await plan
      .api()
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .set('content-type', 'application/json')
      .send('{"title":"节点\\udc00","dueDate":"2099-01-01"}')
      .expect(400);
    expect(report.body.details[0].field).toBe('title');
  });

  it('JSON nested 10,000 deep is a 400 before it is parsed', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const res = await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"email":"a@example.org","password":${deep}}`)
      .expect(400);
    expect(res.body.message).toContain('嵌套过深');
    // Deep brackets inside a string are text, not nesting.
    await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.org', password: '['.repeat(500) })
      .expect(401);
  });

  it.each([
    [{ dueDate: '9999-12-31' }, 'dueDate'],
    [{ dueAt: '9999-12-31T23:59:00Z' }, 'dueAt'],
    [{ dueDate: '2202-06-30' }, 'dueDate'],
  ])(
    'a deadline far outside the plan year (%j) is refused and nothing is stored',
    async (body, field) => {
      const before = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
      const res = await plan.api().patch(`/api/v1/tasks/${task.id}`).send(body).expect(400);
      expect(res.body.details[0].field).toBe(field);
      expect(res.body.message).toContain('超出合理范围');
      const after = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
      expect(after.body).toEqual(before.body);
    },
  );
});
