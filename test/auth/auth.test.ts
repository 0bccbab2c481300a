import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { AuthService } from '../../src/auth/auth.service.js';
import { ensureFirstAdmin } from '../../src/runtime.js';
import { UsersService } from '../../src/users/users.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';

const PASSWORD = 'correct-horse-battery';
const jwt = new JwtService();

function login(app: TestApp, email: string, password: string) {
  return request(app.baseUrl).post('/api/v1/auth/login').send({ email, password });
}

function me(app: TestApp, authorization: string) {
  return request(app.baseUrl).get('/api/v1/auth/me').set('Authorization', authorization);
}

async function createUser(app: TestApp, email: string, password = PASSWORD) {
  return app.app
    .get(UsersService)
    .create(null, { email, name: '测试用户', role: 'supervisor', password });
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('sign-in and credentials', () => {
  let databaseUrl: string;
  let app: TestApp;
  let secret: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    const [row]: { value: string }[] = await app.db.query(
      `SELECT value FROM app_secrets WHERE name = 'jwt'`,
    );
    secret = row.value;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('signs in with e-mail and password and returns a JWT that identifies the user', async () => {
    const user = await createUser(app, 'liu@example.org');
    const res = await login(app, 'Liu@Example.org ', PASSWORD).expect(200);
    expect(res.body).toMatchObject({
      expiresIn: 12 * 3600,
      user: { userId: user.id, role: 'supervisor', unitId: null, name: '测试用户' },
    });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const who = await me(app, `Bearer ${res.body.accessToken}`).expect(200);
    expect(who.body).toEqual({
      userId: user.id,
      role: 'supervisor',
      unitId: null,
      name: '测试用户',
    });
  });

  it('refuses a wrong password or an unknown account with the same Chinese message', async () => {
    await createUser(app, 'wang@example.org');
    const wrong = await login(app, 'wang@example.org', 'not-the-password').expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: '邮箱或密码错误',
    });
    expect(wrong.body.accessToken).toBeUndefined();
    const unknown = await login(app, 'nobody@example.org', PASSWORD).expect(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rejects forged, expired, alg-none and other-algorithm tokens, and malformed headers', async () => {
    const user = await createUser(app, 'zhao@example.org');
    const now = Math.floor(Date.now() / 1000);
    // A token made here with the installation's secret is accepted: the refusals below are
    // about what is wrong with each, not about how they were made.
    const genuine = await jwt.signAsync(
      { sub: user.id },
      { secret, algorithm: 'HS256', expiresIn: 60 },
    );
    await me(app, `Bearer ${genuine}`).expect(200);

    const forged = await jwt.signAsync(
      { sub: user.id },
      { secret: 'another-secret-of-the-same-length-as-it-might-be', algorithm: 'HS256' },
    );
    const expired = await jwt.signAsync(
      { sub: user.id, iat: now - 3600, exp: now - 60 },
      { secret, algorithm: 'HS256' },
    );
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.id, iat: now, exp: now + 3600 })}.`;
    const hs512 = await jwt.signAsync(
      { sub: user.id },
      { secret, algorithm: 'HS512', expiresIn: 60 },
    );
    const tampered = (() => {
      const [header, , signature] = genuine.split('.');
      return `${header}.${b64({ sub: randomUUID(), iat: now, exp: now + 60 })}.${signature}`;
    })();
    for (const [what, token] of Object.entries({ forged, expired, algNone, hs512, tampered })) {
      const res = await me(app, `Bearer ${token}`);
      expect({ what, status: res.status, message: res.body.message }).toEqual({
        what,
        status: 401,
        message: '登录凭证无效或已过期，请重新登录',
      });
    }

    const malformed = [
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from(`zhao@example.org:${PASSWORD}`).toString('base64')}`,
      `Token ${genuine}`,
      `Bearer ${genuine} extra`,
      genuine,
      'Bearer not-a-jwt',
    ];
    for (const header of malformed) {
      const res = await me(app, header);
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
      expect(res.body.message).toMatch(/请先登录|登录凭证无效/);
    }
  });

  it('refuses a valid token of an account that does not exist', async () => {
    const ghost = await jwt.signAsync(
      { sub: randomUUID() },
      { secret, algorithm: 'HS256', expiresIn: 60 },
    );
    const res = await me(app, `Bearer ${ghost}`).expect(401);
    expect(res.body.message).toBe('账号不存在或已停用');
  });

  it('issues API tokens that work as Bearer until revoked, stored only as hashes', async () => {
    const owner = await signIn(app, 'supervisor');
    const created = await request(app.baseUrl)
      .post('/api/v1/auth/tokens')
      .set('Authorization', owner.authorization)
      .send({ name: 'OA 系统对接' })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'OA 系统对接' });
    const token: string = created.body.token;
    expect(token).toMatch(/^dbn_[\w-]{40,}$/);

    const who = await me(app, `Bearer ${token}`).expect(200);
    expect(who.body.userId).toBe(owner.userId);

    const rows: { token_hash: string }[] = await app.db.query(
      `SELECT token_hash FROM api_tokens WHERE id = $1`,
      [created.body.id],
    );
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM api_tokens t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'`,
      [token],
    );
    expect(n).toBe(0);

    // Somebody else cannot revoke it.
    const stranger = await signIn(app, 'supervisor');
    await request(app.baseUrl)
      .delete(`/api/v1/auth/tokens/${created.body.id}`)
      .set('Authorization', stranger.authorization)
      .expect(404);
    await me(app, `Bearer ${token}`).expect(200);

    await request(app.baseUrl)
      .delete(`/api/v1/auth/tokens/${created.body.id}`)
      .set('Authorization', owner.authorization)
      .expect(204);
    const revoked = await me(app, `Bearer ${token}`).expect(401);
    expect(revoked.body.message).toBe('API 令牌无效或已吊销');
    await request(app.baseUrl)
      .delete(`/api/v1/auth/tokens/${created.body.id}`)
      .set('Authorization', owner.authorization)
      .expect(404);
    // A made-up token with the right prefix is no better.
    await me(app, `Bearer dbn_${'x'.repeat(43)}`).expect(401);
  });

  it('locks out a deactivated user at once: session, API token and password', async () => {
    const user = await signIn(app, 'leader');
    const created = await request(app.baseUrl)
      .post('/api/v1/auth/tokens')
      .set('Authorization', user.authorization)
      .send({ name: '脚本' })
      .expect(201);
    await me(app, user.authorization).expect(200);

    await app.db.query(`UPDATE users SET active = false WHERE id = $1`, [user.userId]);
    const session = await me(app, user.authorization).expect(401);
    expect(session.body.message).toBe('账号不存在或已停用');
    await me(app, `Bearer ${created.body.token}`).expect(401);
    const again = await login(app, user.email, PASSWORD).expect(401);
    expect(again.body.message).toBe('邮箱或密码错误');
    expect(again.body.accessToken).toBeUndefined();
  });

  it('stores passwords only as argon2id hashes', async () => {
    const admin = await signIn(app, 'admin');
    await request(app.baseUrl)
      .post('/api/v1/users')
      .set('Authorization', admin.authorization)
      .send({
        email: 'sun@example.org',
        name: '孙',
        role: 'leader',
        password: 'sun-password-1234',
      })
      .expect(201);
    const rows: { email: string; password_hash: string }[] = await app.db.query(
      `SELECT email, password_hash FROM users`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect({ email: row.email, prefix: row.password_hash.slice(0, 10) }).toEqual({
        email: row.email,
        prefix: '$argon2id$',
      });
      expect(row.password_hash).not.toContain(PASSWORD);
      expect(row.password_hash).not.toContain('sun-password-1234');
    }
    // Nor does the API ever show a hash.
    const list = await request(app.baseUrl)
      .get('/api/v1/users')
      .query({ pageSize: 200 })
      .set('Authorization', admin.authorization)
      .expect(200);
    expect(list.body.total).toBe(rows.length);
    expect(JSON.stringify(list.body)).not.toContain('$argon2');
    expect(list.body.items[0].passwordHash).toBeUndefined();
    await login(app, 'sun@example.org', 'sun-password-1234').expect(200);
  });
});

describe('sign-in throttling', () => {
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('answers 429 after five failures, even to the right password, until the window passes', async () => {
    await createUser(app, 'target@example.org');
    await createUser(app, 'neighbour@example.org');
    for (let i = 0; i < 5; i++) {
      await login(app, 'target@example.org', `guess-${i}-password`).expect(401);
    }
    const blocked = await login(app, 'target@example.org', PASSWORD).expect(429);
    expect(blocked.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: '登录失败次数过多，请 15 分钟后再试',
    });
    expect(blocked.body.accessToken).toBeUndefined();
    // The five failures came from this address, so it is refused for other accounts too.
    await login(app, 'neighbour@example.org', PASSWORD).expect(429);

    // Fifteen minutes later the account may try again.
    await app.db.query(`UPDATE login_attempts SET at = at - interval '16 minutes'`);
    await login(app, 'target@example.org', PASSWORD).expect(200);
    await login(app, 'neighbour@example.org', PASSWORD).expect(200);
  });

  it('lets through no more than five guesses fired in parallel', async () => {
    await createUser(app, 'burst@example.org');
    const auth = app.app.get(AuthService);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        auth.login('burst@example.org', `parallel-guess-${i}`, `10.0.2.${i + 1}`).then(
          () => 200,
          (error: HttpException) => error.getStatus(),
        ),
      ),
    );
    expect(outcomes.filter((s) => s === 401)).toHaveLength(5);
    expect(outcomes.filter((s) => s === 429)).toHaveLength(15);
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM login_attempts WHERE email = 'burst@example.org'`,
    );
    expect(n).toBe(5);
    await expect(auth.login('burst@example.org', PASSWORD, '10.0.2.99')).rejects.toMatchObject({
      status: 429,
    });
  });

  it('limits an account whatever address the guesses come from', async () => {
    await createUser(app, 'roaming@example.org');
    const auth = app.app.get(AuthService);
    for (let i = 1; i <= 5; i++) {
      await expect(
        auth.login('roaming@example.org', 'wrong-password', `10.0.0.${i}`),
      ).rejects.toMatchObject({ status: 401 });
    }
    const refused = await auth.login('roaming@example.org', PASSWORD, '10.0.0.6').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(429);
  });

  it('limits an address whatever accounts it guesses', async () => {
    await createUser(app, 'innocent@example.org');
    const auth = app.app.get(AuthService);
    for (let i = 1; i <= 5; i++) {
      await expect(
        auth.login(`guess-${i}@example.org`, 'wrong-password', '10.0.1.1'),
      ).rejects.toMatchObject({ status: 401 });
    }
    await expect(auth.login('innocent@example.org', PASSWORD, '10.0.1.1')).rejects.toMatchObject({
      status: 429,
    });
    // The same account from its own address is not affected.
    const ok = await auth.login('innocent@example.org', PASSWORD, '10.0.1.2');
    expect(ok.user.role).toBe('supervisor');
  });
});

describe('first admin', () => {
  const dbs: string[] = [];
  const apps: TestApp[] = [];

  async function freshApp(env?: Record<string, string>): Promise<TestApp> {
    const databaseUrl = await createTestDatabase();
    dbs.push(databaseUrl);
    const app = await startTestApp({ databaseUrl, workers: false, env });
    apps.push(app);
    return app;
  }

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const url of dbs) await dropDatabase(url);
  });

  async function users(app: TestApp) {
    const rows: { email: string; role: string; active: boolean; password_hash: string }[] =
      await app.db.query(`SELECT email, role, active, password_hash FROM users`);
    return rows;
  }

  it('creates one admin from ADMIN_EMAIL / ADMIN_PASSWORD who can sign in, and only once', async () => {
    const app = await freshApp({
      ADMIN_EMAIL: 'Chief@Example.org',
      ADMIN_PASSWORD: 'first-admin-password',
    });
    expect(await users(app)).toEqual([]);
    await ensureFirstAdmin(app.app, app.config);
    const [admin, ...others] = await users(app);
    expect(others).toEqual([]);
    expect(admin).toMatchObject({ email: 'chief@example.org', role: 'admin', active: true });
    expect(admin.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(admin.password_hash).not.toContain('first-admin-password');

    const res = await login(app, 'chief@example.org', 'first-admin-password').expect(200);
    const who = await me(app, `Bearer ${res.body.accessToken}`).expect(200);
    expect(who.body).toMatchObject({ role: 'admin', name: '系统管理员' });

    await ensureFirstAdmin(app.app, app.config);
    expect(await app.app.get(UsersService).ensureFirstAdmin('other@example.org', null)).toBeNull();
    expect((await users(app)).map((u) => u.email)).toEqual(['chief@example.org']);
  });

  it('without ADMIN_PASSWORD makes up a password, returned once, that signs in', async () => {
    const app = await freshApp();
    const created = await app.app.get(UsersService).ensureFirstAdmin(null, null);
    expect(created).toEqual({
      email: 'admin@localhost.localdomain',
      password: expect.stringMatching(/^\S{16,}$/),
    });
    await login(app, created!.email, created!.password!).expect(200);
    expect(await app.app.get(UsersService).ensureFirstAdmin(null, null)).toBeNull();
    expect(await users(app)).toHaveLength(1);
  });

  it('creates exactly one admin when several processes start at once', async () => {
    const app = await freshApp();
    const service = app.app.get(UsersService);
    // The race is won in different places on different rounds; every round must end the same.
    for (let round = 0; round < 4; round++) {
      await app.db.query(`DELETE FROM users`);
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => service.ensureFirstAdmin('boss@example.org', 'boss-password-123')),
      );
      expect({ round, created: results.filter((r) => r !== null) }).toEqual({
        round,
        created: [{ email: 'boss@example.org', password: null }],
      });
      expect((await users(app)).map((u) => u.email)).toEqual(['boss@example.org']);
    }
    await login(app, 'boss@example.org', 'boss-password-123').expect(200);
  });

  it('answers 409, not 500, to two simultaneous requests for the same address', async () => {
    const app = await freshApp();
    const admin = await signIn(app, 'admin');
    for (let round = 0; round < 5; round++) {
      const statuses = await Promise.all(
        [1, 2, 3].map(async () => {
          const res = await request(app.baseUrl)
            .post('/api/v1/users')
            .set('Authorization', admin.authorization)
            .send({
              email: `twin-${round}@example.org`,
              name: '双胞胎',
              role: 'leader',
              password: 'twin-password-1',
            });
          return res.status;
        }),
      );
      expect({ round, statuses: statuses.sort() }).toEqual({ round, statuses: [201, 409, 409] });
    }
  });
});
