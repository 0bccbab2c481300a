import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadSigningSecret } from '../../src/auth/signing-secret.js';
import { ConfigError, loadConfig, requireJwtSecret } from '../../src/config/config.js';
import { UsersService } from '../../src/users/users.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { cleanEnv, dist, runProcess } from '../support/processes.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError thrown');
}

describe('sign-in settings', () => {
  it('reads TRUST_PROXY as a hop count, named ranges or addresses; off by default; never "true"', () => {
    const trust = (value?: string) =>
      loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('loopback')).toEqual(['loopback']);
    expect(trust('10.0.0.0/8, 192.168.1.5,loopback, fd00::/8')).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      'loopback',
      'fd00::/8',
    ]);
    for (const bad of ['true', 'loopbak', '10.0.0.0/33', '300.1.1.1', '11', '10.0.0.1/8/1']) {
      const error = configError(() => trust(bad));
      expect({ bad, message: error.message }).toEqual({
        bad,
        message: expect.stringMatching(/^配置错误 TRUST_PROXY：/),
      });
      expect(error.message.split('\n')).toHaveLength(1);
    }
  });

  it('wants JWT_SECRET of at least 32 bytes, and requires it with an external database', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(loadConfig({}).jwtSecret).toBeNull();
    expect(configError(() => loadConfig({ JWT_SECRET: 'too-short' })).message).toMatch(
      /^配置错误 JWT_SECRET：至少 32 字节/,
    );
    const external = loadConfig({ DATABASE_URL: 'postgres://u@db.example.org/duban' });
    expect(configError(() => requireJwtSecret(external)).message).toMatch(
      /^配置错误 JWT_SECRET：使用外部数据库（DATABASE_URL）时必须设置/,
    );
    expect(() => requireJwtSecret({ ...external, jwtSecret: SECRET })).not.toThrow();
    expect(() => requireJwtSecret(loadConfig({}))).not.toThrow();
  });

  it('refuses a weak ADMIN_PASSWORD, naming the reason', () => {
    expect(
      configError(() =>
        loadConfig({ ADMIN_EMAIL: 'chief@example.org', ADMIN_PASSWORD: 'chief-password-1' }),
      ).message,
    ).toMatch(/^配置错误 ADMIN_PASSWORD：密码不能包含邮箱名/);
    expect(configError(() => loadConfig({ ADMIN_PASSWORD: 'password123' })).message).toMatch(
      /^配置错误 ADMIN_PASSWORD：密码过于常见/,
    );
    expect(configError(() => loadConfig({ ADMIN_PASSWORD: 'short' })).message).toMatch(
      /^配置错误 ADMIN_PASSWORD：密码至少 10 位/,
    );
    expect(
      loadConfig({ ADMIN_EMAIL: 'chief@example.org', ADMIN_PASSWORD: 'first-admin-password' })
        .adminPassword,
    ).toBe('first-admin-password');
    // Without ADMIN_EMAIL the account is admin@localhost.localdomain: "admin" is its e-mail name.
    expect(
      configError(() => loadConfig({ ADMIN_PASSWORD: 'first-admin-password' })).message,
    ).toMatch(/^配置错误 ADMIN_PASSWORD：密码不能包含邮箱名/);
  });

  it('the API refuses to start on an external database without JWT_SECRET, touching nothing', async () => {
    // The database named here does not exist: the refusal comes before any connection.
    const env = cleanEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' });
    for (const script of [dist('src', 'main.js'), dist('src', 'combined.js')]) {
      const res = await runProcess(script, [], env);
      expect({ script, code: res.code }).toEqual({ script, code: 78 });
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^配置错误 JWT_SECRET：/);
      expect(res.stderr).toContain('Invalid configuration JWT_SECRET');
    }
    const short = await runProcess(dist('src', 'main.js'), [], { ...env, JWT_SECRET: 'short' });
    expect(short.code).toBe(78);
    expect(short.stderr).toMatch(/^配置错误 JWT_SECRET：至少 32 字节/);
  });
});

describe('the token signing secret', () => {
  it('is generated once into the data folder, readable by its owner only, and reused', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'duban-secret-')), 'data');
    const config = { jwtSecret: null, databaseUrl: null, dataDir };
    // Several processes starting at once agree on one secret.
    const secrets = await Promise.all([1, 2, 3, 4, 5].map(() => loadSigningSecret(config)));
    expect(new Set(secrets).size).toBe(1);
    expect(Buffer.byteLength(secrets[0])).toBeGreaterThanOrEqual(32);
    const file = join(dataDir, 'jwt-secret');
    expect((await readFile(file, 'utf8')).trim()).toBe(secrets[0]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadSigningSecret(config)).toBe(secrets[0]);
    // From the environment it is used as given, and nothing is written.
    const elsewhere = join(await mkdtemp(join(tmpdir(), 'duban-secret-')), 'data');
    expect(await loadSigningSecret({ ...config, dataDir: elsewhere, jwtSecret: SECRET })).toBe(
      SECRET,
    );
    await expect(stat(join(elsewhere, 'jwt-secret'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      loadSigningSecret({ ...config, databaseUrl: 'postgres://u@db.example.org/duban' }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  describe('across API processes', () => {
    let databaseUrl: string;
    const apps: TestApp[] = [];

    beforeAll(async () => {
      databaseUrl = await createTestDatabase();
    });

    afterAll(async () => {
      for (const app of apps) await app.close();
      if (databaseUrl) await dropDatabase(databaseUrl);
    });

    async function boot(options: { dataDir?: string; env?: Record<string, string> } = {}) {
      const app = await startTestApp({ databaseUrl, workers: false, ...options });
      apps.push(app);
      return app;
    }

    async function signIn(app: TestApp, email: string) {
      const res = await request(app.baseUrl)
        .post('/api/v1/auth/login')
        .send({ email, password: 'correct-horse-battery' })
        .expect(200);
      return `Bearer ${res.body.accessToken as string}`;
    }

    const me = (app: TestApp, authorization: string) =>
      request(app.baseUrl).get('/api/v1/auth/me').set('Authorization', authorization);

    it('is not in the database any more', async () => {
      const app = await boot();
      const [row]: { table: string | null }[] = await app.db.query(
        `SELECT to_regclass('public.app_secrets')::text AS table`,
      );
      expect(row.table).toBeNull();
      const columns: { name: string }[] = await app.db.query(
        `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND (column_name ILIKE '%secret%' OR table_name ILIKE '%secret%')
          ORDER BY 1`,
      );
      // The only secret kept is a 钉钉 group robot's own signing key, which each message must be
      // signed with; the token signing secret has no place in the database.
      expect(columns.map((c) => c.name)).toEqual(['unit_webhooks.secret']);
    });

    it('keeps sign-ins valid across a restart, and is shared through JWT_SECRET', async () => {
      const first = await boot();
      await first.app.get(UsersService).create(null, {
        email: 'restart@example.org',
        name: '重启',
        role: 'leader',
        password: 'correct-horse-battery',
      });
      const session = await signIn(first, 'restart@example.org');
      // The same data folder: the same generated secret.
      const again = await boot({ dataDir: first.config.dataDir });
      await me(again, session).expect(200);
      // Another data folder has another secret: its tokens are not this one's.
      const stranger = await boot();
      await me(stranger, session).expect(401);
      // Processes given one JWT_SECRET accept each other's sign-ins.
      const a = await boot({ env: { JWT_SECRET: SECRET } });
      const b = await boot({ env: { JWT_SECRET: SECRET } });
      await me(b, await signIn(a, 'restart@example.org')).expect(200);
      await me(a, session).expect(401);
    });
  });
});
