import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  ACTIONS,
  type Action,
  type Actor,
  can,
  ROLES,
  type Role,
  visibleUnit,
} from '../../src/auth/permissions.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';
import { UsersService } from '../../src/users/users.service.js';

const OWN = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

/** Unit roles belong to OWN; the overseeing roles belong to no unit. */
function actorOf(role: Role): Actor {
  const inUnit = role === 'unit_head' || role === 'unit_member';
  return { userId: `user-${role}`, role, unitId: inUnit ? OWN : null, name: role };
}

type Targets = 'own' | 'other' | 'none';
const TARGETS: Record<Targets, { unitId?: string | null }> = {
  own: { unitId: OWN },
  other: { unitId: OTHER },
  none: {},
};

/**
 * The expected answer of `can`, written out by hand. Each cell reads "own other none": Y = allowed
 * on a task of the actor's own unit / of another unit / with no unit given; N = refused.
 */
// prettier-ignore
const EXPECTED: Record<Action, Record<Role, string>> = {
  // Plans: everyone reads; admin and supervisors import; only supervisors set the reminder policy.
  'plan.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YYY', unit_member: 'YYY' },
  'plan.import': { admin: 'YYY', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'plan.policy': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // Units: everyone reads; admin and supervisors set contact mailboxes.
  'unit.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YYY', unit_member: 'YYY' },
  // A unit's contact mailbox: overseers see every unit's, a unit's people only their own.
  'unit.contact.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'unit.update': { admin: 'YYY', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // Users: overseers read the list; only the admin manages accounts.
  'user.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'user.manage': { admin: 'YYY', leader: 'NNN', supervisor: 'NNN', unit_head: 'NNN', unit_member: 'NNN' },
  // Tasks: overseers read all; a unit reads and works only its own.
  'task.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'task.acknowledge': { admin: 'NNN', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'YNN' },
  'task.start': { admin: 'NNN', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'YNN' },
  'task.submit': { admin: 'NNN', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'YNN' },
  // Only supervisors assign, close, cancel, reopen and nudge.
  'task.assign': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'task.close': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'task.cancel': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'task.reopen': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'task.nudge': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // Progress reports: read like tasks; only supervisors approve or return them.
  'submission.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'submission.decide': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // Milestones: supervisors manage any; a unit head manages its own unit's.
  'milestone.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'milestone.manage': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'NNN' },
  // Marking a milestone done: the unit's own people, or a supervisor.
  'milestone.complete': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  // Extensions: a unit asks for its own tasks; only supervisors decide.
  'extension.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'extension.request': { admin: 'NNN', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'YNN' },
  'extension.decide': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // The audit trail: overseers only.
  'audit.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // The delivery ledger: overseers read it; admins and supervisors retry a failed message.
  'delivery.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'delivery.retry': { admin: 'YYY', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // Official holiday schedules: the admin enters them.
  'calendar.manage': { admin: 'YYY', leader: 'NNN', supervisor: 'NNN', unit_head: 'NNN', unit_member: 'NNN' },
  // Review cycles (督导): everyone overseeing reads all, a unit its own; admin and supervisors run
  // cycles; only supervisors rate; overseers read results; a unit reports on its own tasks only.
  'cycle.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'cycle.manage': { admin: 'YYY', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'cycle.rate': { admin: 'NNN', leader: 'NNN', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'cycle.results.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  'cycle.report': { admin: 'NNN', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'YNN' },
  // Weekly digests: overseers preview any unit's, a unit its own; the leaders' digest is for overseers.
  'digest.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YNN', unit_member: 'YNN' },
  'digest.leaders.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'NNN', unit_member: 'NNN' },
  // The progress ledger: everyone (a unit's people get their own rows only).
  'plan.ledger.read': { admin: 'YYY', leader: 'YYY', supervisor: 'YYY', unit_head: 'YYY', unit_member: 'YYY' },
  // A unit's calendar-feed address: the admin, or the unit's own head.
  'unit.calendar_feed': { admin: 'YYY', leader: 'NNN', supervisor: 'NNN', unit_head: 'YNN', unit_member: 'NNN' },
};

describe('permission rules (pure)', () => {
  it('knows exactly the five roles and the actions of the expected table', () => {
    expect([...ROLES]).toEqual(['admin', 'leader', 'supervisor', 'unit_head', 'unit_member']);
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('answers every role × action × target as the table says', () => {
    const actual: Record<string, Record<string, string>> = {};
    for (const action of ACTIONS) {
      actual[action] = {};
      for (const role of ROLES) {
        actual[action][role] = (['own', 'other', 'none'] as const)
          .map((t) => (can(actorOf(role), action, TARGETS[t]) ? 'Y' : 'N'))
          .join('');
      }
    }
    expect(actual).toEqual(EXPECTED);
  });

  it('leaders read everything and change nothing', () => {
    const leader = actorOf('leader');
    const allowed = ACTIONS.filter((a) => can(leader, a, TARGETS.other));
    expect(allowed.every((a) => a.endsWith('.read'))).toBe(true);
    expect(allowed.sort()).toEqual(ACTIONS.filter((a) => a.endsWith('.read')).sort());
  });

  it('never treats a task without a unit as a unit user’s own', () => {
    const member = actorOf('unit_member');
    const orphan: Actor = { ...member, unitId: null };
    expect(can(member, 'task.read', { unitId: null })).toBe(false);
    expect(can(orphan, 'task.read', { unitId: null })).toBe(false);
    expect(can(orphan, 'task.acknowledge', {})).toBe(false);
    expect(can(orphan, 'extension.request', { unitId: null })).toBe(false);
  });

  it('restricts task lists to the own unit for unit roles only', () => {
    expect(ROLES.map((r) => [r, visibleUnit(actorOf(r))])).toEqual([
      ['admin', null],
      ['leader', null],
      ['supervisor', null],
      ['unit_head', OWN],
      ['unit_member', OWN],
    ]);
  });
});

interface TaskView {
  id: string;
  unit: { id: string; name: string };
  status: string;
  dueDate: string;
}

interface Call {
  method: 'get' | 'post' | 'patch' | 'put';
  path: string;
  body?: object;
  file?: boolean;
  /** The action a refusal records, and on which entity. */
  attempted?: Action;
  entity?: { type: string; id: string | null };
}

const UNIT = '宣传科';
const NEXT_YEAR = `${new Date().getFullYear() + 1}-06-30`;

describe('permissions over HTTP', () => {
  let databaseUrl: string;
  let app: TestApp;
  const auth = {} as Record<Role, { authorization: string; userId: string }>;
  let all: TaskView[];
  let planId: string;
  let unitId: string;
  /** Tasks of 宣传科, the unit of the unit roles, and of other units. */
  let own: TaskView[];
  let other: TaskView[];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    // The units come with the plan, so the supervisor imports it before unit users exist.
    auth.supervisor = await signIn(app, 'supervisor');
    const imported = await request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', auth.supervisor.authorization)
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    for (const role of ['admin', 'leader'] as const) auth[role] = await signIn(app, role);
    for (const role of ['unit_head', 'unit_member'] as const) {
      auth[role] = await signIn(app, role, UNIT);
    }
    const res = await request(app.baseUrl)
      .get('/api/v1/tasks')
      .query({ pageSize: 200 })
      .set('Authorization', auth.supervisor.authorization)
      .expect(200);
    all = res.body.items;
    expect(res.body.total).toBe(all.length);
    own = all.filter((t) => t.unit.name === UNIT);
    other = all.filter((t) => t.unit.name !== UNIT);
    unitId = own[0].unit.id;
    expect(own.length).toBeGreaterThanOrEqual(4);
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  async function forbiddenEntries(userId: string) {
    const rows: { id: string; entity_type: string; entity_id: string | null; after: unknown }[] =
      await app.db.query(
        `SELECT id, entity_type, entity_id, after FROM audit_log
          WHERE actor_id = $1 AND action = 'forbidden' ORDER BY id`,
        [userId],
      );
    return rows;
  }

  async function send(role: Role | null, call: Call) {
    let req = request(app.baseUrl)[call.method](call.path);
    if (role) req = req.set('Authorization', auth[role].authorization);
    if (call.file) return req.attach('file', seedPlan(), SEED_FILE);
    return call.body ? req.send(call.body) : req;
  }

  /**
   * Sends `callFor(role)` as every role; returns the statuses, and checks that each 403 says so in
   * Chinese and leaves exactly one 'forbidden' entry in the audit trail, and that a success leaves
   * none.
   */
  async function matrix(
    callFor: (role: Role) => Call,
    roles: readonly Role[] = ROLES,
  ): Promise<Partial<Record<Role, number>>> {
    const statuses: Partial<Record<Role, number>> = {};
    for (const role of roles) {
      const call = callFor(role);
      const before = await forbiddenEntries(auth[role].userId);
      const res = await send(role, call);
      statuses[role] = res.status;
      const after = await forbiddenEntries(auth[role].userId);
      if (res.status === 403) {
        expect(res.body).toMatchObject({ statusCode: 403, message: '无权执行此操作' });
        expect(after).toHaveLength(before.length + 1);
        const entry = after[after.length - 1];
        expect({ role, ...entry, id: undefined }).toEqual({
          role,
          id: undefined,
          entity_type: call.entity?.type ?? call.attempted!.split('.')[0],
          entity_id: call.entity?.id ?? null,
          after: { attempted: call.attempted },
        });
      } else {
        expect({ role, forbidden: after.length }).toEqual({ role, forbidden: before.length });
      }
    }
    return statuses;
  }

  const onTask = (task: TaskView, attempted: Action) => ({
    attempted,
    entity: { type: 'task', id: task.id },
  });

  it('lets every role list tasks, unit roles seeing only their own unit', async () => {
    expect(await matrix(() => ({ method: 'get', path: '/api/v1/tasks' }))).toEqual({
      admin: 200,
      leader: 200,
      supervisor: 200,
      unit_head: 200,
      unit_member: 200,
    });
    for (const role of ['unit_head', 'unit_member'] as const) {
      const res = await request(app.baseUrl)
        .get('/api/v1/tasks')
        .query({ pageSize: 200 })
        .set('Authorization', auth[role].authorization)
        .expect(200);
      expect(res.body.total).toBe(own.length);
      expect(new Set(res.body.items.map((t: TaskView) => t.unit.name))).toEqual(new Set([UNIT]));
      // Asking for another unit's tasks shows nothing rather than them.
      const asked = await request(app.baseUrl)
        .get('/api/v1/tasks')
        .query({ unit: other[0].unit.name })
        .set('Authorization', auth[role].authorization)
        .expect(200);
      expect(asked.body).toMatchObject({ items: [], total: 0 });
    }
    const leader = await request(app.baseUrl)
      .get('/api/v1/tasks')
      .query({ pageSize: 200 })
      .set('Authorization', auth.leader.authorization)
      .expect(200);
    expect(leader.body.total).toBe(all.length);
  });

  it('shows a task of the own unit to its people, and of another unit only to overseers', async () => {
    expect(
      await matrix(() => ({
        method: 'get',
        path: `/api/v1/tasks/${own[0].id}`,
        ...onTask(own[0], 'task.read'),
      })),
    ).toEqual({ admin: 200, leader: 200, supervisor: 200, unit_head: 200, unit_member: 200 });
    expect(
      await matrix(() => ({
        method: 'get',
        path: `/api/v1/tasks/${other[0].id}`,
        ...onTask(other[0], 'task.read'),
      })),
    ).toEqual({ admin: 200, leader: 200, supervisor: 200, unit_head: 403, unit_member: 403 });
  });

  it('lets only supervisors move a deadline', async () => {
    const target = other[1];
    expect(
      await matrix(() => ({
        method: 'patch',
        path: `/api/v1/tasks/${target.id}`,
        body: { dueDate: NEXT_YEAR },
        ...onTask(target, 'task.assign'),
      })),
    ).toEqual({ admin: 403, leader: 403, supervisor: 200, unit_head: 403, unit_member: 403 });
    // Not even on their own unit's task.
    expect(
      await matrix(
        () => ({
          method: 'patch',
          path: `/api/v1/tasks/${own[0].id}`,
          body: { dueDate: NEXT_YEAR },
          ...onTask(own[0], 'task.assign'),
        }),
        ['unit_head', 'unit_member'],
      ),
    ).toEqual({ unit_head: 403, unit_member: 403 });
    const [row]: { due_date: string }[] = await app.db.query(
      `SELECT to_char(due_date, 'YYYY-MM-DD') AS due_date FROM tasks WHERE id = $1`,
      [own[0].id],
    );
    expect(row.due_date).toBe(own[0].dueDate);
  });

  it('lets a unit acknowledge and start only its own tasks', async () => {
    // Each unit role works on a task of its own; the others are refused on the same task.
    const mine: Partial<Record<Role, TaskView>> = { unit_head: own[1], unit_member: own[2] };
    const targetOf = (role: Role) => mine[role] ?? own[3];
    for (const step of ['acknowledge', 'start'] as const) {
      expect(
        await matrix((role) => ({
          method: 'post',
          path: `/api/v1/tasks/${targetOf(role).id}/${step}`,
          ...onTask(targetOf(role), `task.${step}`),
        })),
      ).toEqual({ admin: 403, leader: 403, supervisor: 403, unit_head: 200, unit_member: 200 });
    }
    const rows: { id: string; status: string }[] = await app.db.query(
      `SELECT id, status FROM tasks WHERE id = ANY($1) ORDER BY id`,
      [[own[1].id, own[2].id, own[3].id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [own[1].id]: 'in_progress',
      [own[2].id]: 'in_progress',
      [own[3].id]: 'assigned',
    });
    // Another unit's task is out of reach.
    expect(
      await matrix(() => ({
        method: 'post',
        path: `/api/v1/tasks/${other[2].id}/acknowledge`,
        ...onTask(other[2], 'task.acknowledge'),
      })),
    ).toEqual({ admin: 403, leader: 403, supervisor: 403, unit_head: 403, unit_member: 403 });
  });

  it('lets only supervisors cancel and reopen', async () => {
    const targetOf = (role: Role) => (role === 'supervisor' ? other[3] : own[3]);
    for (const step of ['cancel', 'reopen'] as const) {
      expect(
        await matrix((role) => ({
          method: 'post',
          path: `/api/v1/tasks/${targetOf(role).id}/${step}`,
          ...onTask(targetOf(role), `task.${step}`),
        })),
      ).toEqual({ admin: 403, leader: 403, supervisor: 200, unit_head: 403, unit_member: 403 });
    }
    const [row]: { status: string }[] = await app.db.query(
      `SELECT status FROM tasks WHERE id = $1`,
      [own[3].id],
    );
    expect(row.status).toBe('assigned');
  });

  it('lets only supervisors set a plan’s reminder policy', async () => {
    expect(
      await matrix(() => ({
        method: 'put',
        path: `/api/v1/plans/${planId}/policy`,
        body: { offsets: ['-P3D', 'P0D'], sendAt: '09:00' },
        attempted: 'plan.policy',
      })),
    ).toEqual({ admin: 403, leader: 403, supervisor: 200, unit_head: 403, unit_member: 403 });
  });

  it('lets admin and supervisors import plans', async () => {
    expect(
      await matrix(() => ({
        method: 'post',
        path: '/api/v1/plans/import',
        file: true,
        attempted: 'plan.import',
      })),
    ).toEqual({ admin: 200, leader: 403, supervisor: 200, unit_head: 403, unit_member: 403 });
  });

  it('lets admin and supervisors set a unit’s mailbox', async () => {
    expect(
      await matrix((role) => ({
        method: 'patch',
        path: `/api/v1/units/${unitId}`,
        body: { email: `${role}@example.org` },
        attempted: 'unit.update',
      })),
    ).toEqual({ admin: 200, leader: 403, supervisor: 200, unit_head: 403, unit_member: 403 });
    const [row]: { email: string }[] = await app.db.query(`SELECT email FROM units WHERE id = $1`, [
      unitId,
    ]);
    expect(row.email).toBe('supervisor@example.org');
  });

  it('lets only the admin create users', async () => {
    expect(
      await matrix((role) => ({
        method: 'post',
        path: '/api/v1/users',
        body: {
          email: `new-by-${role}@example.org`,
          name: '新用户',
          role: 'unit_member',
          unitId,
          password: 'a-long-password',
        },
        attempted: 'user.manage',
      })),
    ).toEqual({ admin: 201, leader: 403, supervisor: 403, unit_head: 403, unit_member: 403 });
    const rows: { email: string }[] = await app.db.query(
      `SELECT email FROM users WHERE email LIKE 'new-by-%'`,
    );
    expect(rows.map((r) => r.email)).toEqual(['new-by-admin@example.org']);
  });

  it('lets overseers list the users', async () => {
    expect(
      await matrix(() => ({ method: 'get', path: '/api/v1/users', attempted: 'user.read' })),
    ).toEqual({ admin: 200, leader: 200, supervisor: 200, unit_head: 403, unit_member: 403 });
  });

  it('shows a unit’s contact mailbox to overseers and to that unit’s own people only', async () => {
    const otherUnit = other[0].unit;
    await app.db.query(`UPDATE units SET email = $2 WHERE id = $1`, [unitId, 'own@example.org']);
    await app.db.query(`UPDATE units SET email = $2 WHERE id = $1`, [
      otherUnit.id,
      'other@example.org',
    ]);
    for (const role of ROLES) {
      const res = await request(app.baseUrl)
        .get('/api/v1/units')
        .query({ pageSize: 500 })
        .set('Authorization', auth[role].authorization)
        .expect(200);
      const byId = new Map<string, { name: string; email?: string | null }>(
        res.body.items.map((u: { id: string }) => [u.id, u]),
      );
      expect(byId.size).toBe(res.body.total);
      const overseer = role === 'admin' || role === 'leader' || role === 'supervisor';
      expect({ role, own: byId.get(unitId) }).toEqual({
        role,
        own: expect.objectContaining({ name: UNIT, email: 'own@example.org' }),
      });
      const seen = byId.get(otherUnit.id)!;
      expect({ role, name: seen.name, hasEmail: 'email' in seen }).toEqual({
        role,
        name: otherUnit.name,
        hasEmail: overseer,
      });
      if (!overseer) {
        expect(JSON.stringify(res.body)).not.toContain('other@example.org');
        // Not one other unit's mailbox field is in the answer, set or not.
        const others = res.body.items.filter((u: { id: string }) => u.id !== unitId);
        expect(others.filter((u: object) => 'email' in u)).toEqual([]);
      } else {
        expect(seen.email).toBe('other@example.org');
      }
    }
  });

  it('lets only the admin change, reset and unlock accounts', async () => {
    const users = app.app.get(UsersService);
    const target = await users.create(null, {
      email: `managed-${Date.now()}@example.org`,
      name: '被管理的用户',
      role: 'unit_member',
      unitName: UNIT,
      password: 'quiet-river-stone-4',
    });
    const onUser = (attempted: Action) => ({ attempted, entity: { type: 'user', id: target.id } });
    expect(
      await matrix((role) => ({
        method: 'patch',
        path: `/api/v1/users/${target.id}`,
        body: { name: `${role} 改的名字` },
        ...onUser('user.manage'),
      })),
    ).toEqual({ admin: 200, leader: 403, supervisor: 403, unit_head: 403, unit_member: 403 });
    expect(
      await matrix(() => ({
        method: 'post',
        path: `/api/v1/users/${target.id}/unlock`,
        ...onUser('user.manage'),
      })),
    ).toEqual({ admin: 204, leader: 403, supervisor: 403, unit_head: 403, unit_member: 403 });
    expect(
      await matrix(() => ({
        method: 'post',
        path: `/api/v1/users/${target.id}/password-reset`,
        ...onUser('user.manage'),
      })),
    ).toEqual({ admin: 200, leader: 403, supervisor: 403, unit_head: 403, unit_member: 403 });
    const [row]: { name: string; must_change_password: boolean }[] = await app.db.query(
      `SELECT name, must_change_password FROM users WHERE id = $1`,
      [target.id],
    );
    expect(row).toEqual({ name: 'admin 改的名字', must_change_password: true });
  });

  it('lets overseers read the audit trail', async () => {
    expect(
      await matrix(() => ({ method: 'get', path: '/api/v1/audit', attempted: 'audit.read' })),
    ).toEqual({ admin: 200, leader: 200, supervisor: 200, unit_head: 403, unit_member: 403 });
  });

  it('lets everyone read their own inbox', async () => {
    expect(await matrix(() => ({ method: 'get', path: '/api/v1/notifications' }))).toEqual({
      admin: 200,
      leader: 200,
      supervisor: 200,
      unit_head: 200,
      unit_member: 200,
    });
  });

  it('answers 401 to anonymous callers on every endpoint, changing nothing', async () => {
    const task = own[0];
    const calls: Call[] = [
      { method: 'get', path: '/api/v1/tasks' },
      { method: 'get', path: `/api/v1/tasks/${task.id}` },
      { method: 'patch', path: `/api/v1/tasks/${task.id}`, body: { dueDate: NEXT_YEAR } },
      { method: 'post', path: `/api/v1/tasks/${task.id}/acknowledge` },
      { method: 'post', path: `/api/v1/tasks/${task.id}/start` },
      { method: 'post', path: `/api/v1/tasks/${task.id}/cancel` },
      { method: 'post', path: `/api/v1/tasks/${task.id}/reopen` },
      { method: 'put', path: `/api/v1/plans/${planId}/policy`, body: { offsets: ['P0D'] } },
      { method: 'post', path: '/api/v1/plans/import', file: true },
      { method: 'patch', path: `/api/v1/units/${unitId}`, body: { email: 'anon@example.org' } },
      {
        method: 'post',
        path: '/api/v1/users',
        body: {
          email: 'anon@example.org',
          name: '匿名',
          role: 'admin',
          password: 'a-long-password',
        },
      },
      { method: 'get', path: '/api/v1/users' },
      { method: 'patch', path: `/api/v1/users/${auth.admin.userId}`, body: { active: false } },
      { method: 'post', path: `/api/v1/users/${auth.admin.userId}/password-reset` },
      { method: 'post', path: `/api/v1/users/${auth.admin.userId}/unlock` },
      { method: 'get', path: '/api/v1/units' },
      { method: 'get', path: '/api/v1/auth/tokens' },
      { method: 'post', path: '/api/v1/auth/tokens', body: { name: '匿名' } },
      { method: 'post', path: '/api/v1/auth/logout' },
      { method: 'post', path: '/api/v1/auth/logout-all' },
      {
        method: 'post',
        path: '/api/v1/auth/password',
        body: { currentPassword: 'x', newPassword: 'anonymous-new-pass-9' },
      },
      { method: 'get', path: '/api/v1/audit' },
      { method: 'get', path: '/api/v1/notifications' },
    ];
    const [{ n: auditBefore }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_log`,
    );
    for (const call of calls) {
      const res = await send(null, call);
      expect({ call: `${call.method} ${call.path}`, status: res.status }).toEqual({
        call: `${call.method} ${call.path}`,
        status: 401,
      });
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(res.body.message).toContain('请先登录');
    }
    const [{ n: auditAfter }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_log`,
    );
    expect(auditAfter).toBe(auditBefore);
    const [row]: { status: string; n: number; admin: boolean }[] = await app.db.query(
      `SELECT t.status, (SELECT count(*)::int FROM users WHERE email = 'anon@example.org') AS n,
              (SELECT active AND NOT must_change_password FROM users WHERE id = $2) AS admin
         FROM tasks t WHERE t.id = $1`,
      [task.id, auth.admin.userId],
    );
    expect(row).toEqual({ status: 'assigned', n: 0, admin: true });
  });
});
