import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE, sleep } from '../support/seed.js';

interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

interface Page {
  items: AuditRecord[];
  total: number;
  page: number;
  pageSize: number;
}

interface TaskView {
  id: string;
  unit: { id: string; name: string };
  status: string;
  dueDate: string;
  dueAt: string;
}

type SignedIn = Awaited<ReturnType<typeof signIn>> & { name: string };

describe('audit trail', () => {
  let databaseUrl: string;
  let app: TestApp;
  let supervisor: SignedIn;
  let member: SignedIn;
  let leader: SignedIn;
  let admin: SignedIn;
  let planId: string;
  let task: TaskView;

  async function signInNamed(...args: Parameters<typeof signIn>): Promise<SignedIn> {
    const user = await signIn(...args);
    const me = await request(app.baseUrl)
      .get('/api/v1/auth/me')
      .set('Authorization', user.authorization)
      .expect(200);
    return { ...user, name: me.body.name };
  }

  /** The audit trail as an auditor (a leader) reads it through the API. */
  async function audit(query: Record<string, string | number> = {}): Promise<Page> {
    const res = await request(app.baseUrl)
      .get('/api/v1/audit')
      .query({ pageSize: 200, ...query })
      .set('Authorization', leader.authorization)
      .expect(200);
    return res.body as Page;
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    leader = await signInNamed(app, 'leader');
    admin = await signInNamed(app, 'admin');
    supervisor = await signInNamed(app, 'supervisor');
    const imported = await request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', supervisor.authorization)
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    member = await signInNamed(app, 'unit_member', '宣传科');
    const tasks = await request(app.baseUrl)
      .get('/api/v1/tasks')
      .query({ unit: '宣传科' })
      .set('Authorization', member.authorization)
      .expect(200);
    task = tasks.body.items[0];
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('records a sign-in with who, from where, and a failed one without the password tried', async () => {
    const page = await audit({ entityType: 'user', entityId: member.userId });
    const login = page.items.find((e) => e.action === 'auth.login');
    expect(login).toMatchObject({
      actorId: member.userId,
      actor: member.name,
      entityType: 'user',
      entityId: member.userId,
      before: null,
      after: null,
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });

    await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .send({ email: member.email, password: 'Secret-Guess-42' })
      .expect(401);
    const [failed] = (await audit({ entityType: 'user', entityId: member.userId })).items;
    expect(failed).toMatchObject({
      action: 'auth.login_failed',
      actorId: null,
      actor: '系统',
      entityType: 'user',
      entityId: member.userId,
      after: { email: member.email },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(JSON.stringify(failed)).not.toContain('Secret-Guess-42');

    // Guessing at an account that does not exist is recorded too.
    await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .send({ email: 'Nobody@Example.org', password: 'whatever-it-is' })
      .expect(401);
    const unknown = (await audit({ entityType: 'user' })).items.find(
      (e) => e.action === 'auth.login_failed' && e.entityId === null,
    );
    expect(unknown).toMatchObject({ actorId: null, after: { email: 'nobody@example.org' } });
  });

  it('records a plan import by its importer, with what was imported', async () => {
    const { items } = await audit({ entityType: 'plan', entityId: planId });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      action: 'plan.import',
      actorId: supervisor.userId,
      actor: supervisor.name,
      before: null,
      after: {
        title: '虹口区教育局2022年工作要点',
        docNumber: '虹教〔2022〕1号',
        sourceName: SEED_FILE,
        tasks: expect.any(Number),
      },
    });
    const [{ n }]: { n: number }[] = await app.db.query(`SELECT count(*)::int AS n FROM tasks`);
    expect((items[0].after as { tasks: number }).tasks).toBe(n);

    // Importing the same document again changes nothing, and records nothing.
    await request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', supervisor.authorization)
      .attach('file', seedPlan(), SEED_FILE)
      .expect(200);
    expect((await audit({ entityType: 'plan' })).total).toBe(1);
  });

  it('records task transitions with their actor and the status before and after', async () => {
    await request(app.baseUrl)
      .post(`/api/v1/tasks/${task.id}/acknowledge`)
      .set('Authorization', member.authorization)
      .expect(200);
    // A refused step is not recorded as a transition.
    await request(app.baseUrl)
      .post(`/api/v1/tasks/${task.id}/acknowledge`)
      .set('Authorization', member.authorization)
      .expect(409);
    await request(app.baseUrl)
      .patch(`/api/v1/tasks/${task.id}`)
      .set('Authorization', supervisor.authorization)
      .send({ status: 'done' })
      .expect(200);

    const { items, total } = await audit({ entityType: 'task', entityId: task.id });
    expect(total).toBe(2);
    const [close, acknowledge] = items;
    expect(acknowledge).toMatchObject({
      action: 'task.acknowledge',
      actorId: member.userId,
      actor: member.name,
      entityType: 'task',
      entityId: task.id,
      before: { status: 'assigned' },
      after: { status: 'acknowledged' },
    });
    expect(close).toMatchObject({
      action: 'task.update',
      actorId: supervisor.userId,
      actor: supervisor.name,
      entityType: 'task',
      entityId: task.id,
      before: { status: 'acknowledged', dueDate: task.dueDate, dueAt: task.dueAt },
      after: { status: 'closed', dueDate: task.dueDate, dueAt: task.dueAt },
    });
    expect(Date.parse(close.at)).toBeGreaterThanOrEqual(Date.parse(acknowledge.at));
  });

  it('records a unit’s mailbox change with the old and the new address', async () => {
    await request(app.baseUrl)
      .patch(`/api/v1/units/${task.unit.id}`)
      .set('Authorization', supervisor.authorization)
      .send({ email: 'xck@example.org' })
      .expect(200);
    await request(app.baseUrl)
      .patch(`/api/v1/units/${task.unit.id}`)
      .set('Authorization', admin.authorization)
      .send({ email: 'xuanchuan@example.org' })
      .expect(200);
    const { items } = await audit({ entityType: 'unit', entityId: task.unit.id });
    expect(items.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
      ['unit.update', admin.name, { email: 'xck@example.org' }, { email: 'xuanchuan@example.org' }],
      ['unit.update', supervisor.name, { email: null }, { email: 'xck@example.org' }],
    ]);
  });

  it('records who created a user', async () => {
    const res = await request(app.baseUrl)
      .post('/api/v1/users')
      .set('Authorization', admin.authorization)
      .send({ email: 'zhou@example.org', name: '周', role: 'leader', password: 'maple-court-917' })
      .expect(201);
    const { items } = await audit({ entityType: 'user', entityId: res.body.id });
    expect(items).toEqual([
      expect.objectContaining({
        action: 'user.create',
        actorId: admin.userId,
        after: { email: 'zhou@example.org', name: '周', role: 'leader', unitId: null },
      }),
    ]);
  });

  it('filters by entity type, entity, actor and time, and pages', async () => {
    const all = await audit();
    expect(all.total).toBeGreaterThan(10);

    const tasks = await audit({ entityType: 'task' });
    expect(tasks.total).toBeGreaterThan(0);
    expect(tasks.items.every((e) => e.entityType === 'task')).toBe(true);

    const byMember = await audit({ actorId: member.userId });
    expect(new Set(byMember.items.map((e) => e.actorId))).toEqual(new Set([member.userId]));
    expect(byMember.items.map((e) => e.action).sort()).toEqual(['auth.login', 'task.acknowledge']);

    // A window between two actions holds exactly what happened in it.
    await sleep(20);
    const from = new Date();
    await sleep(20);
    await request(app.baseUrl)
      .patch(`/api/v1/units/${task.unit.id}`)
      .set('Authorization', supervisor.authorization)
      .send({ email: 'window@example.org' })
      .expect(200);
    await sleep(20);
    const to = new Date();
    await sleep(20);
    await request(app.baseUrl)
      .patch(`/api/v1/units/${task.unit.id}`)
      .set('Authorization', supervisor.authorization)
      .send({ email: 'after@example.org' })
      .expect(200);
    const windowed = await audit({ from: from.toISOString(), to: to.toISOString() });
    expect(windowed.items.map((e) => [e.action, e.after])).toEqual([
      ['unit.update', { email: 'window@example.org' }],
    ]);
    const since = await audit({ from: from.toISOString() });
    expect(since.items.map((e) => (e.after as { email: string }).email)).toEqual([
      'after@example.org',
      'window@example.org',
    ]);
    const until = await audit({ to: from.toISOString() });
    expect(until.total).toBe(all.total);
    // `from` counts its own instant, `to` does not.
    const at = since.items[1].at;
    expect((await audit({ from: at, to: to.toISOString() })).total).toBe(1);
    expect((await audit({ from: from.toISOString(), to: at })).total).toBe(0);

    // Combined filters narrow together.
    const combined = await audit({
      entityType: 'unit',
      actorId: supervisor.userId,
      from: from.toISOString(),
    });
    expect(combined.total).toBe(2);

    // Pages come newest first and do not overlap.
    const everything = await audit();
    const first = await audit({ pageSize: 3, page: 1 });
    const second = await audit({ pageSize: 3, page: 2 });
    expect(first).toMatchObject({ total: everything.total, page: 1, pageSize: 3 });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(
      everything.items.slice(0, 6).map((e) => e.id),
    );
    const times = everything.items.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const bad = await request(app.baseUrl)
      .get('/api/v1/audit')
      .query({ from: 'last tuesday' })
      .set('Authorization', leader.authorization)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'from', message: '须为 ISO-8601 时间' }]);
    const twice = await request(app.baseUrl)
      .get('/api/v1/audit?entityType=task&entityType=unit')
      .set('Authorization', leader.authorization)
      .expect(400);
    expect(twice.body.details).toContainEqual({ field: 'entityType', message: '须为字符串' });
    // In Chinese, like every other message.
    expect(twice.body.message).not.toMatch(/must|should/);
    const notAUser = await request(app.baseUrl)
      .get('/api/v1/audit')
      .query({ actorId: 'admin' })
      .set('Authorization', leader.authorization)
      .expect(400);
    expect(notAUser.body.details).toEqual([{ field: 'actorId', message: '须为用户 id' }]);
  });

  it('cannot be changed or deleted through SQL', async () => {
    const before: unknown[] = await app.db.query(`SELECT * FROM audit_log ORDER BY id`);
    expect(before.length).toBeGreaterThan(0);
    await expect(app.db.query(`UPDATE audit_log SET actor = '无名氏'`)).rejects.toThrow(
      'audit_log entries cannot be changed or deleted',
    );
    await expect(
      app.db.query(`UPDATE audit_log SET after = NULL WHERE action = 'plan.import'`),
    ).rejects.toThrow('audit_log entries cannot be changed or deleted');
    await expect(app.db.query(`DELETE FROM audit_log`)).rejects.toThrow(
      'audit_log entries cannot be changed or deleted',
    );
    await expect(
      app.db.query(`DELETE FROM audit_log WHERE actor_id = $1`, [member.userId]),
    ).rejects.toThrow('audit_log entries cannot be changed or deleted');
    await expect(app.db.query(`TRUNCATE audit_log`)).rejects.toThrow(
      'audit_log entries cannot be changed or deleted',
    );
    const after: unknown[] = await app.db.query(`SELECT * FROM audit_log ORDER BY id`);
    expect(after).toEqual(before);
  });

  it('has no route that changes or deletes entries', async () => {
    const { items } = await audit();
    const id = items[0].id;
    const attempts: ['put' | 'patch' | 'delete' | 'post', string][] = [
      ['put', `/api/v1/audit/${id}`],
      ['patch', `/api/v1/audit/${id}`],
      ['delete', `/api/v1/audit/${id}`],
      ['delete', '/api/v1/audit'],
      ['put', '/api/v1/audit'],
      ['post', '/api/v1/audit'],
    ];
    for (const [method, path] of attempts) {
      const agent = request(app.baseUrl);
      const res = await agent[method](path)
        .set('Authorization', admin.authorization)
        .send({ action: 'forged', actor: '无名氏' });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    const again = await audit();
    expect(again.items[0]).toEqual(items[0]);
    expect(again.items.some((e) => e.action === 'forged')).toBe(false);
  });
});
