import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { AuthService } from '../../src/auth/auth.service.js';
import { LOGIN_THROTTLE } from '../../src/auth/login-throttle.js';
import { ensureFirstAdmin } from '../../src/runtime.js';
import { UsersService } from '../../src/users/users.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';

const PASSWORD = 'correct-horse-battery';
const jwt = new JwtService();

function login(app: TestApp, email: string, password: string, from?: string) {
  const req = request(app.baseUrl).post('/api/v1/auth/login');
  if (from) void req.set('X-Forwarded-For', from);
  return req.send({ email, password });
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
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

describe('sign-in and credentials', () => {
  let databaseUrl: string;
  let app: TestApp;
  let secret: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    // Embedded-mode installations keep the signing secret in the data folder, not the database.
    secret = readFileSync(join(app.config.dataDir, 'jwt-secret'), 'utf8').trim();
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('signs in with e-mail and password and returns a JWT that identifies the user', async () => {
    const user = await createUser(app, 'liu@example.org');
    const res = await login(app, 'Liu@Example.org ', PASSWORD).expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 12 * 3600,
      mustChangePassword: false,
      user: { userId: user.id, role: 'supervisor', unitId: null, name: '测试用户' },
    });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The token expires with its session, twelve hours on, and names that session.
    const { sub, sid, exp } = claims(res.body.accessToken);
    expect(sub).toBe(user.id);
    expect(exp).toBe(Math.floor(Date.parse(res.body.expiresAt) / 1000));
    expect(Math.abs((exp as number) - Date.now() / 1000 - 12 * 3600)).toBeLessThan(60);
    const [session]: { user_id: string; revoked_at: Date | null }[] = await app.db.query(
      `SELECT user_id, revoked_at FROM sessions WHERE id = $1`,
      [sid],
    );
    expect(session).toEqual({ user_id: user.id, revoked_at: null });
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
    const signedIn = await login(app, 'zhao@example.org', PASSWORD).expect(200);
    const { sid } = claims(signedIn.body.accessToken);
    const now = Math.floor(Date.now() / 1000);
    // A token made here with the installation's secret for a real session is accepted: the
    // refusals below are about what is wrong with each, not about how they were made.
    const genuine = await jwt.signAsync(
      { sub: user.id, sid },
      { secret, algorithm: 'HS256', expiresIn: 60 },
    );
    await me(app, `Bearer ${genuine}`).expect(200);

    const forged = await jwt.signAsync(
      { sub: user.id, sid },
      { secret: 'another-secret-of-the-same-length-as-it-might-be', algorithm: 'HS256' },
    );
    const expired = await jwt.signAsync(
      { sub: user.id, sid, iat: now - 3600, exp: now - 60 },
      { secret, algorithm: 'HS256' },
    );
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.id, sid, iat: now, exp: now + 3600 })}.`;
    const hs512 = await jwt.signAsync(
      { sub: user.id, sid },
      { secret, algorithm: 'HS512', expiresIn: 60 },
    );
    const tampered = (() => {
      const [header, , signature] = genuine.split('.');
      return `${header}.${b64({ sub: randomUUID(), sid, iat: now, exp: now + 60 })}.${signature}`;
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

  it('refuses a correctly signed token that never expires, or names no session of the user', async () => {
    const user = await createUser(app, 'qian@example.org');
    const signedIn = await login(app, 'qian@example.org', PASSWORD).expect(200);
    const { sid } = claims(signedIn.body.accessToken);
    const other = await createUser(app, 'sun.li@example.org');
    const cases = {
      // Before, a token without exp was accepted for ever.
      noExpiry: await jwt.signAsync({ sub: user.id, sid }, { secret, algorithm: 'HS256' }),
      noSession: await jwt.signAsync(
        { sub: user.id },
        { secret, algorithm: 'HS256', expiresIn: 60 },
      ),
      unknownSession: await jwt.signAsync(
        { sub: user.id, sid: randomUUID() },
        { secret, algorithm: 'HS256', expiresIn: 60 },
      ),
      ghostAccount: await jwt.signAsync(
        { sub: randomUUID(), sid: randomUUID() },
        { secret, algorithm: 'HS256', expiresIn: 60 },
      ),
      // Another user's session does not sign this user in, nor the other way round.
      someoneElsesSession: await jwt.signAsync(
        { sub: other.id, sid },
        { secret, algorithm: 'HS256', expiresIn: 60 },
      ),
      notAUuid: await jwt.signAsync(
        { sub: user.id, sid: "x' OR '1'='1" },
        { secret, algorithm: 'HS256', expiresIn: 60 },
      ),
    };
    for (const [what, token] of Object.entries(cases)) {
      const res = await me(app, `Bearer ${token}`);
      expect({ what, status: res.status, message: res.body.message }).toEqual({
        what,
        status: 401,
        message: '登录凭证无效或已过期，请重新登录',
      });
    }
    await me(app, `Bearer ${signedIn.body.accessToken}`).expect(200);
  });

  it('issues API tokens that work as Bearer until revoked, stored only as hashes', async () => {
    const owner = await signIn(app, 'supervisor');
    const created = await request(app.baseUrl)
      .post('/api/v1/auth/tokens')
      .set('Authorization', owner.authorization)
      .send({ name: 'OA 系统对接' })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'OA 系统对接', scopes: ['read'] });
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
    const created = await request(app.baseUrl)
      .post('/api/v1/users')
      .set('Authorization', admin.authorization)
      .send({
        email: 'sun@example.org',
        name: '孙',
        role: 'leader',
        password: 'amber-lantern-1234',
      })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'sun@example.org', name: '孙', role: 'leader' });
    expect(created.body.passwordHash).toBeUndefined();
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
      expect(row.password_hash).not.toContain('amber-lantern-1234');
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
    await login(app, 'sun@example.org', 'amber-lantern-1234').expect(200);
  });

  it('refuses weak passwords when an account is created, naming the field and the reason', async () => {
    const admin = await signIn(app, 'admin');
    const cases: [string, string][] = [
      ['short-pw1', '密码至少 10 位'],
      ['password2024!', '密码过于常见，容易被猜中，请换一个'],
      ['aaaaaaaaaaaa', '密码不能主要由重复的字符组成（如 aaaaaa、ababab）'],
      ['qwertyasdfgh', '密码不能是键盘或字母、数字顺序（如 qwerty、abcdef、123456）'],
      ['my-weakling.zhou-pw', '密码不能包含邮箱名（@ 之前的部分）'],
      ['周小川的第一个密码哦', '密码不能包含姓名'],
    ];
    for (const [password, reason] of cases) {
      const res = await request(app.baseUrl)
        .post('/api/v1/users')
        .set('Authorization', admin.authorization)
        .send({ email: 'weakling.zhou@example.org', name: '周小川', role: 'leader', password });
      expect({ password, status: res.status, body: res.body }).toEqual({
        password,
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: reason,
          details: [{ field: 'password', message: reason }],
        },
      });
    }
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM users WHERE email = 'weakling.zhou@example.org'`,
    );
    expect(n).toBe(0);
  });
});

describe('sign-in throttling', () => {
  let databaseUrl: string;
  let app: TestApp;
  let admin: { authorization: string };
  let addressCounter = 0;
  /** A fresh documentation address (TEST-NET-3) per use, so tests do not share a bucket. */
  const address = () => `203.0.113.${++addressCounter}`;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    // Behind a reverse proxy on this machine: the client's address comes from X-Forwarded-For.
    app = await startTestApp({ databaseUrl, workers: false, env: { TRUST_PROXY: 'loopback' } });
    admin = await signIn(app, 'admin');
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  async function attempts(email: string) {
    const rows: { ip: string; outcome: string; reason: string | null }[] = await app.db.query(
      `SELECT ip, outcome, reason FROM login_attempts WHERE email = $1 ORDER BY id`,
      [email],
    );
    return rows;
  }

  /** Moves the recorded attempts of an address `seconds` into the past: time passing. */
  async function wait(ip: string, seconds: number) {
    await app.db.query(
      `UPDATE login_attempts SET at = at - make_interval(secs => $2) WHERE ip = $1`,
      [ip, seconds],
    );
  }

  it('slows only the address that guessed: the real user signs in from their own at once', async () => {
    await createUser(app, 'target@example.org');
    const attacker = address();
    const desk = address();
    for (let i = 0; i < 5; i++) {
      await login(app, 'target@example.org', `guess-${i}-password`, attacker).expect(401);
    }
    const blocked = await login(app, 'target@example.org', PASSWORD, attacker).expect(429);
    expect(blocked.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^登录尝试过于频繁，请 (\d{2} 秒|1 分钟)后再试$/),
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(55);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(blocked.body.details.retryAfterSeconds).toBe(Number(blocked.headers['retry-after']));
    expect(blocked.body.accessToken).toBeUndefined();

    // Before, these five failures kept the account itself locked: now its owner is not affected.
    const owner = await login(app, 'target@example.org', PASSWORD, desk).expect(200);
    expect(owner.body.user.name).toBe('测试用户');
    expect(await attempts('target@example.org')).toEqual([
      ...Array.from({ length: 5 }, () => ({
        ip: attacker,
        outcome: 'failed',
        reason: 'wrong_password',
      })),
      { ip: attacker, outcome: 'refused', reason: 'account_address_delay' },
      { ip: desk, outcome: 'succeeded', reason: null },
    ]);
  });

  it('doubles the wait after each further failure, up to an hour, and forgets it after a success', async () => {
    await createUser(app, 'patient@example.org');
    const from = address();
    for (let i = 0; i < 5; i++) {
      await login(app, 'patient@example.org', 'wrong-password', from).expect(401);
    }
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      const refused = await login(app, 'patient@example.org', 'wrong-password', from).expect(429);
      const seconds = Number(refused.headers['retry-after']);
      waits.push(seconds);
      await wait(from, seconds + 1);
      // The wait is over: one more guess is checked (and fails), then the next wait is longer.
      await login(app, 'patient@example.org', 'wrong-password', from).expect(401);
    }
    const rounded = waits.map((s) => Math.round(s / 60));
    expect(rounded).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);

    const last = await login(app, 'patient@example.org', PASSWORD, from).expect(429);
    await wait(from, Number(last.headers['retry-after']) + 1);
    await login(app, 'patient@example.org', PASSWORD, from).expect(200);
    // A success starts the count again: five free failures.
    for (let i = 0; i < 5; i++) {
      await login(app, 'patient@example.org', 'wrong-password', from).expect(401);
    }
    await login(app, 'patient@example.org', PASSWORD, from).expect(429);
  });

  it('does not lock an innocent account behind an address that guessed made-up e-mails', async () => {
    await createUser(app, 'innocent@example.org');
    const school = address();
    for (let i = 1; i <= 6; i++) {
      await login(app, `guess-${i}@example.org`, 'wrong-password', school).expect(401);
    }
    // Before, five such failures answered 429 to every account behind the address.
    const ok = await login(app, 'innocent@example.org', PASSWORD, school).expect(200);
    expect(ok.body.user.role).toBe('supervisor');
  });

  it('stops an address that tries many accounts, and only that address', async () => {
    await createUser(app, 'stuffed@example.org');
    const stuffer = address();
    const elsewhere = address();
    // Failures spread over the last half hour, each on another account.
    await app.db.query(
      `INSERT INTO login_attempts (email, ip, outcome, reason, at)
       SELECT 'made-up-' || g || '@example.org', $1, 'failed', 'unknown_account',
              now() - interval '30 minutes 30 seconds' + g * interval '100 milliseconds'
         FROM generate_series(1, $2::int) g`,
      [stuffer, LOGIN_THROTTLE.addressMaxFailures - 1],
    );
    await login(app, 'one-more@example.org', 'wrong-password', stuffer).expect(401);
    const refused = await login(app, 'stuffed@example.org', PASSWORD, stuffer).expect(429);
    // Until the oldest failure is an hour old: about half an hour.
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThan(29 * 60);
    expect(retry).toBeLessThanOrEqual(30 * 60 + 5);
    expect(refused.body.message).toBe('登录尝试过于频繁，请 30 分钟后再试');
    expect((await attempts('stuffed@example.org')).at(-1)).toEqual({
      ip: stuffer,
      outcome: 'refused',
      reason: 'address_ceiling',
    });
    await login(app, 'stuffed@example.org', PASSWORD, elsewhere).expect(200);
  });

  it('lets through no more guesses than allowed when they are fired in parallel, and records each', async () => {
    await createUser(app, 'burst@example.org');
    const from = address();
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(app, 'burst@example.org', `parallel-guess-${i}`, from).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.freeFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - LOGIN_THROTTLE.freeFailures);
    // Refused attempts are on record too, with why.
    const rows = await attempts('burst@example.org');
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.outcome === 'failed')).toHaveLength(LOGIN_THROTTLE.freeFailures);
    expect(new Set(rows.filter((r) => r.outcome !== 'failed').map((r) => r.reason))).toEqual(
      new Set(['account_address_delay']),
    );
    await login(app, 'burst@example.org', PASSWORD, from).expect(429);
  });

  it('holds the per-address ceiling across accounts under parallel guesses', async () => {
    const from = address();
    const free = 5;
    await app.db.query(
      `INSERT INTO login_attempts (email, ip, outcome, reason)
       SELECT 'earlier-' || g || '@example.org', $1, 'failed', 'unknown_account'
         FROM generate_series(1, $2::int) g`,
      [from, LOGIN_THROTTLE.addressMaxFailures - free],
    );
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(app, `spray-${i}@example.org`, 'wrong-password', from).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - free);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY trusts the proxy that sent it', async () => {
    const direct = await startTestApp({ databaseUrl, workers: false });
    try {
      await createUser(direct, 'spoofer@example.org');
      // Without TRUST_PROXY a made-up X-Forwarded-For neither escapes the wait nor lands in the record.
      for (let i = 0; i < 5; i++) {
        await login(direct, 'spoofer@example.org', 'wrong-password', `198.51.100.${i}`).expect(401);
      }
      await login(direct, 'spoofer@example.org', PASSWORD, '198.51.100.99').expect(429);
      expect(new Set((await attempts('spoofer@example.org')).map((r) => r.ip))).toEqual(
        new Set(['127.0.0.1']),
      );
    } finally {
      await direct.close();
    }
    // With TRUST_PROXY=loopback the address the proxy reports is the one recorded and audited.
    const user = await createUser(app, 'proxied@example.org');
    const client = address();
    await login(app, 'proxied@example.org', PASSWORD, client).expect(200);
    const [entry]: { ip: string }[] = await app.db.query(
      `SELECT ip FROM audit_log WHERE action = 'auth.login' AND entity_id = $1`,
      [user.id],
    );
    expect(entry.ip).toBe(client);
  });

  it('lets an admin lift the wait at once, on the audit trail', async () => {
    const user = await createUser(app, 'forgetful@example.org');
    const from = address();
    for (let i = 0; i < 5; i++) {
      await login(app, 'forgetful@example.org', 'wrong-password', from).expect(401);
    }
    await login(app, 'forgetful@example.org', PASSWORD, from).expect(429);
    await request(app.baseUrl)
      .post(`/api/v1/users/${user.id}/unlock`)
      .set('Authorization', admin.authorization)
      .expect(204);
    await login(app, 'forgetful@example.org', PASSWORD, from).expect(200);
    const [entry]: { actor: string; action: string }[] = await app.db.query(
      `SELECT actor, action FROM audit_log WHERE action = 'user.unlock' AND entity_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({ actor: expect.stringContaining('admin'), action: 'user.unlock' });
    await request(app.baseUrl)
      .post(`/api/v1/users/${randomUUID()}/unlock`)
      .set('Authorization', admin.authorization)
      .expect(404);
  });

  it('prunes sign-in attempts older than thirty days', async () => {
    await app.db.query(
      `INSERT INTO login_attempts (email, ip, outcome, at)
       VALUES ('old@example.org', '192.0.2.1', 'failed', now() - interval '31 days'),
              ('old@example.org', '192.0.2.1', 'failed', now() - interval '29 days')`,
    );
    const deleted = await app.app.get(AuthService).pruneLoginAttempts();
    expect(deleted).toBeGreaterThanOrEqual(1);
    const [{ oldest }]: { oldest: boolean }[] = await app.db.query(
      `SELECT min(at) > now() - interval '30 days' AS oldest FROM login_attempts`,
    );
    expect(oldest).toBe(true);
    expect(await attempts('old@example.org')).toHaveLength(1);
  });
});

describe('sessions and sign-out', () => {
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

  async function sessionOf(email: string, userAgent = 'jest') {
    const res = await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .set('User-Agent', userAgent)
      .send({ email, password: PASSWORD })
      .expect(200);
    return `Bearer ${res.body.accessToken as string}`;
  }

  it('signs out only the session it is called with', async () => {
    await createUser(app, 'two.devices@example.org');
    const laptop = await sessionOf('two.devices@example.org', 'laptop');
    const phone = await sessionOf('two.devices@example.org', 'phone');
    await request(app.baseUrl).post('/api/v1/auth/logout').set('Authorization', laptop).expect(204);
    const after = await me(app, laptop).expect(401);
    expect(after.body.message).toBe('登录已失效（已退出登录或已被注销），请重新登录');
    await me(app, phone).expect(200);
    const rows: { user_agent: string; ip: string; revoked: boolean; reason: string | null }[] =
      await app.db.query(
        `SELECT s.user_agent, s.ip, s.revoked_at IS NOT NULL AS revoked, s.revoked_reason AS reason
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.email = 'two.devices@example.org' ORDER BY s.created_at`,
      );
    expect(rows).toEqual([
      { user_agent: 'laptop', ip: '127.0.0.1', revoked: true, reason: 'logout' },
      { user_agent: 'phone', ip: '127.0.0.1', revoked: false, reason: null },
    ]);
  });

  it('signs out every session of the caller, and nobody else’s', async () => {
    await createUser(app, 'everywhere@example.org');
    await createUser(app, 'bystander@example.org');
    const a = await sessionOf('everywhere@example.org');
    const b = await sessionOf('everywhere@example.org');
    const bystander = await sessionOf('bystander@example.org');
    const res = await request(app.baseUrl)
      .post('/api/v1/auth/logout-all')
      .set('Authorization', b)
      .expect(200);
    expect(res.body).toEqual({ endedSessions: 2 });
    await me(app, a).expect(401);
    await me(app, b).expect(401);
    await me(app, bystander).expect(200);
    // Signing in again works as before.
    await me(app, await sessionOf('everywhere@example.org')).expect(200);
  });

  it('ends a session when it expires, whatever the token says', async () => {
    await createUser(app, 'expiring@example.org');
    const session = await sessionOf('expiring@example.org');
    await app.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second'
        WHERE user_id = (SELECT id FROM users WHERE email = 'expiring@example.org')`,
    );
    const res = await me(app, session).expect(401);
    expect(res.body.message).toBe('登录凭证无效或已过期，请重新登录');
  });

  it('prunes sign-in attempts from sign-in itself, without any worker', async () => {
    // A new API process prunes at its first sign-in, then at most once an hour.
    await app.db.query(
      `INSERT INTO login_attempts (email, ip, outcome, at)
       VALUES ('ancient@example.org', '192.0.2.9', 'failed', now() - interval '40 days')`,
    );
    const fresh = await startTestApp({ databaseUrl, workers: false });
    try {
      await createUser(fresh, 'pruner@example.org');
      await login(fresh, 'pruner@example.org', PASSWORD).expect(200);
      let left = 1;
      for (let i = 0; i < 50 && left > 0; i++) {
        [{ left }] = await fresh.db.query(
          `SELECT count(*)::int AS left FROM login_attempts WHERE email = 'ancient@example.org'`,
        );
        if (left > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).toBe(0);
    } finally {
      await fresh.close();
    }
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
        [1, 2, 3, 4].map(() => service.ensureFirstAdmin('boss@example.org', 'steady-harbor-4821')),
      );
      expect({ round, created: results.filter((r) => r !== null) }).toEqual({
        round,
        created: [{ email: 'boss@example.org', password: null }],
      });
      expect((await users(app)).map((u) => u.email)).toEqual(['boss@example.org']);
    }
    await login(app, 'boss@example.org', 'steady-harbor-4821').expect(200);
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
              password: 'cobalt-meadow-17',
            });
          return res.status;
        }),
      );
      expect({ round, statuses: statuses.sort() }).toEqual({ round, statuses: [201, 409, 409] });
    }
  });
});
