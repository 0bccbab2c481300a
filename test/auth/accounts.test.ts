import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { API_TOKEN_CREATE_LIMIT } from '../../src/auth/auth.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

const PASSWORD = 'correct-horse-battery';

type Session = { authorization: string; userId: string; email: string };

describe('accounts: what an admin and each user can change', () => {
  let databaseUrl: string;
  let app: TestApp;
  let admin: Session;
  let unitId: string;
  let otherUnitId: string;

  const api = (authorization: string) => ({
    get: (path: string) => request(app.baseUrl).get(path).set('Authorization', authorization),
    post: (path: string, body?: object) =>
      request(app.baseUrl)
        .post(path)
        .set('Authorization', authorization)
        .send(body ?? {}),
    patch: (path: string, body: object) =>
      request(app.baseUrl).patch(path).set('Authorization', authorization).send(body),
    delete: (path: string) => request(app.baseUrl).delete(path).set('Authorization', authorization),
  });

  function login(email: string, password: string) {
    return request(app.baseUrl).post('/api/v1/auth/login').send({ email, password });
  }

  async function sessionOf(email: string, password = PASSWORD) {
    const res = await login(email, password).expect(200);
    return `Bearer ${res.body.accessToken as string}`;
  }

  async function auditOf(userId: string, action: string) {
    const rows: { actor: string; before: unknown; after: unknown }[] = await app.db.query(
      `SELECT actor, before, after FROM audit_log WHERE entity_id = $1 AND action = $2 ORDER BY id`,
      [userId, action],
    );
    return rows;
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    admin = await signIn(app, 'admin');
    const supervisor = await signIn(app, 'supervisor');
    await request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', supervisor.authorization)
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    const units: { id: string; name: string }[] = await app.db.query(
      `SELECT id, name FROM units WHERE name IN ('宣传科', '组织科') ORDER BY name`,
    );
    unitId = units.find((u) => u.name === '宣传科')!.id;
    otherUnitId = units.find((u) => u.name === '组织科')!.id;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  describe('an admin managing users', () => {
    it('deactivates a user: every session and API token stops at once, and sign-in is refused', async () => {
      const user = await signIn(app, 'leader');
      const second = await sessionOf(user.email);
      const token = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '报表脚本' })
        .expect(201);
      const res = await api(admin.authorization)
        .patch(`/api/v1/users/${user.userId}`, { active: false })
        .expect(200);
      expect(res.body).toMatchObject({ id: user.userId, active: false });
      for (const credential of [user.authorization, second, `Bearer ${token.body.token}`]) {
        await api(credential).get('/api/v1/auth/me').expect(401);
      }
      await login(user.email, PASSWORD).expect(401);
      const [session]: { n: number }[] = await app.db.query(
        `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_reason = 'deactivated'`,
        [user.userId],
      );
      expect(session.n).toBe(2);
      expect(await auditOf(user.userId, 'user.update')).toEqual([
        {
          actor: expect.stringContaining('admin'),
          before: { active: true },
          after: { active: false, endedSessions: 2, revokedTokens: 1 },
        },
      ]);

      // Back on: the password works again, the old token does not.
      await api(admin.authorization)
        .patch(`/api/v1/users/${user.userId}`, { active: true })
        .expect(200);
      await login(user.email, PASSWORD).expect(200);
      await api(`Bearer ${token.body.token}`).get('/api/v1/auth/me').expect(401);
    });

    it('changes a role and unit: the user’s sessions end and the next sign-in carries the new role', async () => {
      const user = await signIn(app, 'leader');
      const res = await api(admin.authorization)
        .patch(`/api/v1/users/${user.userId}`, { role: 'unit_member', unitId, name: '新联络员' })
        .expect(200);
      expect(res.body).toMatchObject({ role: 'unit_member', unitId, name: '新联络员' });
      const ended = await api(user.authorization).get('/api/v1/auth/me').expect(401);
      expect(ended.body.message).toBe('登录已失效（已退出登录或已被注销），请重新登录');
      const again = await sessionOf(user.email);
      const who = await api(again).get('/api/v1/auth/me').expect(200);
      expect(who.body).toMatchObject({ role: 'unit_member', unitId, name: '新联络员' });
      // A unit member cannot read the user list any more.
      await api(again).get('/api/v1/users').expect(403);
      expect(await auditOf(user.userId, 'user.update')).toEqual([
        {
          actor: expect.stringContaining('admin'),
          before: { name: expect.any(String), role: 'leader', unitId: null },
          after: { name: '新联络员', role: 'unit_member', unitId, endedSessions: 1 },
        },
      ]);
      // A name alone ends nothing.
      await api(admin.authorization)
        .patch(`/api/v1/users/${user.userId}`, { name: '联络员甲' })
        .expect(200);
      await api(again).get('/api/v1/auth/me').expect(200);
    });

    it('answers 400 naming the field for a unit role without a unit, an unknown unit or role, or nothing to change', async () => {
      const user = await signIn(app, 'unit_member', '宣传科');
      const cases: [object, string][] = [
        [{ unitId: null }, 'unitId'],
        [{ role: 'unit_head', unitId: null }, 'unitId'],
        [{ unitId: randomUUID() }, 'unitId'],
        [{ unitId: 'not-a-uuid' }, 'unitId'],
        [{ role: 'boss' }, 'role'],
        [{ active: 'no' }, 'active'],
        [{ name: '' }, 'name'],
        [{}, 'body'],
        [{ email: 'other@example.org' }, 'email'],
      ];
      for (const [body, field] of cases) {
        const res = await api(admin.authorization).patch(`/api/v1/users/${user.userId}`, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect({ body, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({
          body,
          fields: [field],
        });
      }
      // Moving to another unit is fine.
      await api(admin.authorization)
        .patch(`/api/v1/users/${user.userId}`, { unitId: otherUnitId })
        .expect(200);
      await api(admin.authorization)
        .patch(`/api/v1/users/${randomUUID()}`, { name: '无人' })
        .expect(404);
    });

    it('keeps at least one active admin: the last one cannot deactivate or demote themselves', async () => {
      await app.db.query(`UPDATE users SET active = false WHERE role = 'admin' AND id <> $1`, [
        admin.userId,
      ]);
      for (const body of [{ active: false }, { role: 'leader' }]) {
        const res = await api(admin.authorization)
          .patch(`/api/v1/users/${admin.userId}`, body)
          .expect(409);
        expect(res.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          message: '不能停用或降级最后一个启用的系统管理员，请先指定另一位管理员',
        });
      }
      await api(admin.authorization).get('/api/v1/auth/me').expect(200);
      // With a second admin, either may step down — but two at once cannot both.
      const deputy = await signIn(app, 'admin');
      const results = await Promise.all([
        api(admin.authorization).patch(`/api/v1/users/${admin.userId}`, { role: 'leader' }),
        api(deputy.authorization).patch(`/api/v1/users/${deputy.userId}`, { role: 'leader' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const [{ n }]: { n: number }[] = await app.db.query(
        `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`,
      );
      expect(n).toBe(1);
      // The one who stayed admin manages the accounts from here on.
      if (results[0].status === 200) admin = deputy;
      await api(admin.authorization).get('/api/v1/users').expect(200);
    });

    it('resets a password: a temporary one, shown once, that must be changed before anything else', async () => {
      const user = await signIn(app, 'supervisor');
      const reset = await api(admin.authorization)
        .post(`/api/v1/users/${user.userId}/password-reset`)
        .expect(200);
      const temporary: string = reset.body.temporaryPassword;
      expect(reset.body).toEqual({
        temporaryPassword: expect.any(String),
        mustChangePassword: true,
      });
      expect(temporary).toMatch(/^[A-Za-z2-9]{16}$/);
      // The user's old session and old password are gone.
      await api(user.authorization).get('/api/v1/auth/me').expect(401);
      await login(user.email, PASSWORD).expect(401);
      const signedIn = await login(user.email, temporary).expect(200);
      expect(signedIn.body.mustChangePassword).toBe(true);
      const pending = `Bearer ${signedIn.body.accessToken as string}`;
      await api(pending).get('/api/v1/auth/me').expect(200);
      const blocked = await api(pending).get('/api/v1/tasks').expect(403);
      expect(blocked.body.message).toBe('请先修改临时密码（POST /api/v1/auth/password）');
      await api(pending).post('/api/v1/auth/tokens', { name: '不行' }).expect(403);

      await api(pending)
        .post('/api/v1/auth/password', {
          currentPassword: temporary,
          newPassword: 'violet-harbour-lamp',
        })
        .expect(200);
      await api(pending).get('/api/v1/tasks').expect(200);
      const after = await login(user.email, 'violet-harbour-lamp').expect(200);
      expect(after.body.mustChangePassword).toBe(false);
      await login(user.email, temporary).expect(401);

      const [entry] = await auditOf(user.userId, 'user.password_reset');
      expect(entry).toEqual({
        actor: expect.stringContaining('admin'),
        before: null,
        after: { mustChangePassword: true, endedSessions: 1 },
      });
      const trail = JSON.stringify(
        await app.db.query(`SELECT * FROM audit_log WHERE entity_id = $1`, [user.userId]),
      );
      expect(trail).not.toContain(temporary);
      expect(trail).not.toContain('violet-harbour-lamp');
    });
  });

  describe('a user changing their own password', () => {
    it('needs the current password and a strong new one, naming the field', async () => {
      const user = await signIn(app, 'unit_head', '宣传科');
      const cases: [object, string, string][] = [
        [
          { currentPassword: 'not-my-password', newPassword: 'orchid-pebble-sky' },
          'currentPassword',
          '当前密码不正确',
        ],
        [
          { currentPassword: PASSWORD, newPassword: 'password2024!' },
          'newPassword',
          '密码过于常见，容易被猜中，请换一个',
        ],
        [{ currentPassword: PASSWORD, newPassword: 'short' }, 'newPassword', '密码至少 10 位'],
        [
          { currentPassword: PASSWORD, newPassword: PASSWORD },
          'newPassword',
          '新密码不能与当前密码相同',
        ],
        [{ currentPassword: PASSWORD }, 'newPassword', 'newPassword'],
      ];
      for (const [body, field, message] of cases) {
        const res = await api(user.authorization).post('/api/v1/auth/password', body);
        expect({ body, status: res.status, message: res.body.message }).toEqual({
          body,
          status: 400,
          message: expect.stringContaining(message),
        });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await login(user.email, PASSWORD).expect(200);
    });

    it('keeps the session it was changed in and ends every other one', async () => {
      const user = await signIn(app, 'leader');
      const other = await sessionOf(user.email);
      const res = await api(user.authorization)
        .post('/api/v1/auth/password', {
          currentPassword: PASSWORD,
          newPassword: 'granite-willow-echo',
        })
        .expect(200);
      expect(res.body).toEqual({ endedSessions: 1 });
      await api(user.authorization).get('/api/v1/auth/me').expect(200);
      await api(other).get('/api/v1/auth/me').expect(401);
      await login(user.email, PASSWORD).expect(401);
      await login(user.email, 'granite-willow-echo').expect(200);
      expect(await auditOf(user.userId, 'user.password_change')).toEqual([
        { actor: expect.any(String), before: null, after: { endedSessions: 1 } },
      ]);
    });

    it('slows down guessing of the current password like sign-in', async () => {
      const user = await signIn(app, 'leader');
      for (let i = 0; i < 5; i++) {
        await api(user.authorization)
          .post('/api/v1/auth/password', {
            currentPassword: `guess-${i}-password`,
            newPassword: 'quartz-lagoon-fern',
          })
          .expect(400);
      }
      const refused = await api(user.authorization)
        .post('/api/v1/auth/password', {
          currentPassword: PASSWORD,
          newPassword: 'quartz-lagoon-fern',
        })
        .expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await login(user.email, PASSWORD).expect(429);
    });
  });

  describe('API tokens', () => {
    it('expire after 90 days unless another term (at most 365 days) is chosen', async () => {
      const user = await signIn(app, 'supervisor');
      const days = (iso: string) => Math.round((Date.parse(iso) - Date.now()) / 86_400_000);
      const standard = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '默认' })
        .expect(201);
      expect(days(standard.body.expiresAt)).toBe(90);
      const year = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '一年', expiresInDays: 365 })
        .expect(201);
      expect(days(year.body.expiresAt)).toBe(365);
      for (const expiresInDays of [0, 366, 1.5, 'soon']) {
        const res = await api(user.authorization)
          .post('/api/v1/auth/tokens', { name: '太久', expiresInDays })
          .expect(400);
        expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(
          new Set(['expiresInDays']),
        );
      }
      // Past its expiry a token is refused.
      await app.db.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [standard.body.id],
      );
      const expired = await api(`Bearer ${standard.body.token}`).get('/api/v1/auth/me').expect(401);
      expect(expired.body.message).toBe('API 令牌已过期');
      await api(`Bearer ${year.body.token}`).get('/api/v1/auth/me').expect(200);
    });

    it('lists the caller’s tokens with their state, never the token itself', async () => {
      const user = await signIn(app, 'leader');
      const stranger = await signIn(app, 'leader');
      const made = [];
      for (const name of ['甲', '乙', '丙']) {
        made.push(
          (await api(user.authorization).post('/api/v1/auth/tokens', { name }).expect(201)).body,
        );
      }
      await api(stranger.authorization).post('/api/v1/auth/tokens', { name: '别人的' }).expect(201);
      await api(user.authorization).delete(`/api/v1/auth/tokens/${made[1].id}`).expect(204);
      await app.db.query(`UPDATE api_tokens SET expires_at = now() WHERE id = $1`, [made[2].id]);
      await api(`Bearer ${made[0].token}`).get('/api/v1/auth/me').expect(200);

      const list = await api(user.authorization).get('/api/v1/auth/tokens').expect(200);
      const byName = Object.fromEntries(
        list.body.items.map((t: { name: string; status: string }) => [t.name, t.status]),
      );
      expect(byName).toEqual({ 甲: 'active', 乙: 'revoked', 丙: 'expired' });
      expect(list.body.items.find((t: { name: string }) => t.name === '甲')).toEqual({
        id: made[0].id,
        name: '甲',
        scopes: ['read'],
        createdAt: expect.any(String),
        expiresAt: made[0].expiresAt,
        lastUsedAt: expect.any(String),
        revokedAt: null,
        status: 'active',
      });
      const text = JSON.stringify(list.body);
      for (const t of made) expect(text).not.toContain(t.token);
      expect(text).not.toContain('token_hash');
      // A read token may list too.
      const viaToken = await api(`Bearer ${made[0].token}`).get('/api/v1/auth/tokens').expect(200);
      expect(viaToken.body.items).toHaveLength(3);
    });

    it('lets a read token only read, a write token also change', async () => {
      const user = await signIn(app, 'supervisor');
      const reader = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '只读', scopes: ['read'] })
        .expect(201);
      const writer = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '读写', scopes: ['write'] })
        .expect(201);
      expect(writer.body.scopes).toEqual(['read', 'write']);
      await api(`Bearer ${reader.body.token}`).get('/api/v1/tasks').expect(200);
      const refused = await api(`Bearer ${reader.body.token}`)
        .patch(`/api/v1/units/${unitId}`, { email: 'reader@example.org' })
        .expect(403);
      expect(refused.body.message).toBe('此 API 令牌只有读取权限（read），不能修改数据');
      await api(`Bearer ${writer.body.token}`)
        .patch(`/api/v1/units/${unitId}`, { email: 'writer@example.org' })
        .expect(200);
      const [unit]: { email: string }[] = await app.db.query(
        `SELECT email FROM units WHERE id = $1`,
        [unitId],
      );
      expect(unit.email).toBe('writer@example.org');
      for (const scopes of [[], ['admin'], 'read', ['read', 'read']]) {
        const res = await api(user.authorization)
          .post('/api/v1/auth/tokens', { name: '坏', scopes })
          .expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain('scopes');
      }
    });

    it('cannot create tokens, change passwords, sign out or manage users — only a signed-in person can', async () => {
      const user = await signIn(app, 'supervisor');
      const writer = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '读写', scopes: ['read', 'write'] })
        .expect(201);
      const adminToken = await api(admin.authorization)
        .post('/api/v1/auth/tokens', { name: '管理员脚本', scopes: ['write'] })
        .expect(201);
      const token = api(`Bearer ${writer.body.token}`);
      const refusals = [
        await token.post('/api/v1/auth/tokens', { name: '再来一个' }),
        await token.delete(`/api/v1/auth/tokens/${writer.body.id}`),
        await token.post('/api/v1/auth/password', {
          currentPassword: PASSWORD,
          newPassword: 'token-chosen-secret',
        }),
        await token.post('/api/v1/auth/logout-all'),
        await token.post('/api/v1/auth/logout'),
        await api(`Bearer ${adminToken.body.token}`).patch(`/api/v1/users/${user.userId}`, {
          active: false,
        }),
        await api(`Bearer ${adminToken.body.token}`).post(
          `/api/v1/users/${user.userId}/password-reset`,
        ),
      ];
      for (const res of refusals) {
        expect({ status: res.status, message: res.body.message }).toEqual({
          status: 403,
          message: '此操作须登录后进行，API 令牌不能执行',
        });
      }
      // Nothing happened: the account, its password and its sessions are as they were.
      await api(user.authorization).get('/api/v1/auth/me').expect(200);
      await login(user.email, PASSWORD).expect(200);
      const [{ n }]: { n: number }[] = await app.db.query(
        `SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1`,
        [user.userId],
      );
      expect(n).toBe(1);
      // Each refusal is on the audit trail.
      const [{ refused }]: { refused: number }[] = await app.db.query(
        `SELECT count(*)::int AS refused FROM audit_log
          WHERE action = 'forbidden' AND entity_type = 'api_token' AND entity_id = ANY($1)`,
        [[writer.body.id, adminToken.body.id]],
      );
      expect(refused).toBe(refusals.length);
    });

    it(`allows ${API_TOKEN_CREATE_LIMIT} new tokens per user per hour, then answers 429 with Retry-After`, async () => {
      const user = await signIn(app, 'leader');
      for (let i = 0; i < API_TOKEN_CREATE_LIMIT; i++) {
        await api(user.authorization)
          .post('/api/v1/auth/tokens', { name: `第${i}个` })
          .expect(201);
      }
      const refused = await api(user.authorization)
        .post('/api/v1/auth/tokens', { name: '多一个' })
        .expect(429);
      expect(refused.body).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `每小时最多创建 ${API_TOKEN_CREATE_LIMIT} 个 API 令牌，请 1 小时后再试`,
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
      // Someone else is not affected; an hour later the user may make more.
      const other = await signIn(app, 'leader');
      await api(other.authorization).post('/api/v1/auth/tokens', { name: '别人' }).expect(201);
      await app.db.query(
        `UPDATE api_tokens SET created_at = created_at - interval '61 minutes' WHERE user_id = $1`,
        [user.userId],
      );
      await api(user.authorization).post('/api/v1/auth/tokens', { name: '一小时后' }).expect(201);
    });
  });
});
