import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

/** A year ahead: deadlines must lie within a few years of the plan's year and today. */
const Y = new Date().getFullYear() + 1;

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: string;
  overdue: boolean;
  dueDate: string;
  dueAt: string;
  version: number;
}

describe('tasks and units API', () => {
  let databaseUrl: string;
  let app: TestApp;
  let tasks: TaskView[];
  let api: () => ReturnType<typeof request.agent>;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    const supervisor = await signIn(app, 'supervisor');
    const agent = request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    api = () => agent;
    await api().post('/api/v1/plans/import').attach('file', seedPlan(), SEED_FILE).expect(201);
    const all = await api().get('/api/v1/tasks').query({ pageSize: 200 }).expect(200);
    tasks = all.body.items;
    if (all.body.total > 200) {
      const rest = await api().get('/api/v1/tasks').query({ pageSize: 200, page: 2 }).expect(200);
      tasks = tasks.concat(rest.body.items);
    }
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('creates one task per item and unit, the first listed unit leading', () => {
    const item1 = tasks.filter((t) => t.item.number === 1);
    expect(item1.map((t) => [t.unit.name, t.role])).toEqual(
      expect.arrayContaining([
        ['宣传科', 'lead'],
        ['组织科', 'co'],
        ['德育', 'co'],
        ['教育学院', 'co'],
      ]),
    );
    expect(item1).toHaveLength(4);
    // "各科室、各部门": every one of the 23 units answers for item 9.
    expect(new Set(tasks.filter((t) => t.item.number === 9).map((t) => t.unit.name)).size).toBe(23);
  });

  it('gives each task the deadline its item states, else the last working day of the year', () => {
    const item21 = tasks.find((t) => t.item.number === 21)!;
    expect(item21.dueDate).toBe('2022-12-31');
    const item1 = tasks.find((t) => t.item.number === 1)!;
    expect(item1.dueDate).toBe('2022-12-30');
    expect(item1.dueAt).toBe('2022-12-30T15:59:59.000Z');
    expect(item1.overdue).toBe(true);
  });

  it('filters by unit name, status and due dates, with pagination', async () => {
    const byUnit = await api().get('/api/v1/tasks').query({ unit: '计财科' }).expect(200);
    expect(byUnit.body.items.length).toBeGreaterThan(0);
    expect(byUnit.body.items.every((t: TaskView) => t.unit.name === '计财科')).toBe(true);
    expect(byUnit.body.total).toBe(tasks.filter((t) => t.unit.name === '计财科').length);

    const paged = await api().get('/api/v1/tasks').query({ pageSize: 10, page: 2 }).expect(200);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 10, total: tasks.length });
    expect(paged.body.items).toHaveLength(10);

    const early = await api().get('/api/v1/tasks').query({ dueBefore: '2022-12-30' }).expect(200);
    const late = await api().get('/api/v1/tasks').query({ dueAfter: '2022-12-31' }).expect(200);
    expect(early.body.total + late.body.total).toBe(tasks.length);
    expect(late.body.items.every((t: TaskView) => t.dueDate === '2022-12-31')).toBe(true);

    const overdue = await api().get('/api/v1/tasks').query({ status: 'overdue' }).expect(200);
    expect(overdue.body.total).toBe(tasks.length);
  });

  it('treats SQL in filters as plain text', async () => {
    const res = await api().get('/api/v1/tasks').query({ unit: "x' OR '1'='1" }).expect(200);
    expect(res.body.total).toBe(0);
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM tasks`);
    expect(n).toBe(tasks.length);
  });

  it('moves a deadline by date or exact instant and marks a task done', async () => {
    const task = tasks.find((t) => t.item.number === 30)!;
    const byDate = await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueDate: `${Y}-06-30` })
      .expect(200);
    expect(byDate.body).toMatchObject({
      dueDate: `${Y}-06-30`,
      dueAt: `${Y}-06-30T15:59:59.000Z`,
      overdue: false,
    });
    const exact = await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: `${Y}-07-01T10:30:00+08:00` })
      .expect(200);
    expect(exact.body).toMatchObject({ dueDate: `${Y}-07-01`, dueAt: `${Y}-07-01T02:30:00.000Z` });
    const done = await api().patch(`/api/v1/tasks/${task.id}`).send({ status: 'done' }).expect(200);
    expect(done.body.status).toBe('closed');
    expect(done.body.version).toBeGreaterThan(exact.body.version);
  });

  it('refuses a stale version with 409 and the current version', async () => {
    const task = tasks.find((t) => t.item.number === 31)!;
    const res = await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ status: 'done', version: 999 })
      .expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      details: { currentVersion: task.version },
    });
  });

  it('rejects bad deadlines with 400 naming the field, and changes nothing', async () => {
    const task = tasks.find((t) => t.item.number === 32)!;
    const cases: [Record<string, unknown>, string][] = [
      [{ dueDate: `${Y}-02-30` }, 'dueDate'],
      [{ dueDate: `30/06/${Y}` }, 'dueDate'],
      [{ dueDate: '2020-01-01' }, 'dueDate'],
      [{ dueAt: 'tomorrow' }, 'dueAt'],
      [{ dueAt: `${Y}-07-01T10:30:00` }, 'dueAt'],
      [{ dueAt: '2001-01-01T00:00:00Z' }, 'dueAt'],
      [{ dueDate: `${Y}-06-30`, dueAt: `${Y}-07-01T10:30:00Z` }, 'dueAt'],
      [{ status: 'finished' }, 'status'],
      [{ deadline: `${Y}-06-30` }, 'deadline'],
    ];
    for (const [body, field] of cases) {
      const res = await api().patch(`/api/v1/tasks/${task.id}`).send(body).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const after = await api().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(after.body).toMatchObject({
      dueAt: task.dueAt,
      status: 'assigned',
      version: task.version,
    });
  });

  it('answers 404 for an unknown task id', async () => {
    const unknown = await api()
      .patch('/api/v1/tasks/00000000-0000-4000-8000-000000000000')
      .send({ status: 'done' })
      .expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(unknown.body.message).toContain('不存在');
    await api().get('/api/v1/tasks/not-a-task').expect(404);
  });

  it('sets and validates a unit contact email', async () => {
    const unitId = tasks[0].unit.id;
    const ok = await api()
      .patch(`/api/v1/units/${unitId}`)
      .send({ email: 'office@example.org' })
      .expect(200);
    expect(ok.body.email).toBe('office@example.org');
    const bad = await api()
      .patch(`/api/v1/units/${unitId}`)
      .send({ email: 'not an email' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('email');
    const units = await api().get('/api/v1/units').expect(200);
    expect(units.body.total).toBe(23);
    expect(units.body.items.find((u: { id: string }) => u.id === unitId).email).toBe(
      'office@example.org',
    );
  });

  it('rejects malformed JSON and oversized bodies in the one error shape', async () => {
    const task = tasks[0];
    const malformed = await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .set('content-type', 'application/json')
      .send('{"status":')
      .expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ status: 'done', padding: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413 });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(app.baseUrl).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/plans/import',
        '/api/v1/tasks',
        '/api/v1/tasks/{id}',
        '/api/v1/units/{id}',
      ]),
    );
  });
});
