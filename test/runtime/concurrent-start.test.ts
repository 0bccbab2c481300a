import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { uniquePrefix } from '../support/app.js';
import {
  createEmptyDatabase,
  dropDatabase,
  testRedisUrl,
  withDatabase,
} from '../support/databases.js';
import {
  cleanEnv,
  dist,
  freePort,
  startProcess,
  waitForHttp,
  waitForOutput,
  type RunningProcess,
} from '../support/processes.js';

const redisUrl = testRedisUrl();

/** Many processes started at once on one empty database all come up; each migration runs once. */
describe('several processes starting at once on an empty database', () => {
  let databaseUrl: string;
  const processes: RunningProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    databaseUrl = await createEmptyDatabase();
  });

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('two APIs and a worker all become healthy, with every migration applied once', async () => {
    const common = {
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: uniquePrefix(),
      JWT_SECRET: 'a-shared-secret-of-at-least-thirty-two-bytes',
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'Concurrent-Start-2026!',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    };
    for (let i = 0; i < 2; i++) ports.push(await freePort());
    processes.push(
      startProcess(dist('src', 'main.js'), [], cleanEnv({ ...common, PORT: String(ports[0]) })),
      startProcess(dist('src', 'main.js'), [], cleanEnv({ ...common, PORT: String(ports[1]) })),
      startProcess(dist('workers', 'main.js'), [], cleanEnv(common)),
    );
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${ports[0]}/api/v1/health`, processes[0]),
      waitForHttp(`http://127.0.0.1:${ports[1]}/api/v1/health`, processes[1]),
      waitForOutput(processes[2], 'Duban workers running', 90_000),
    ]);
    for (const p of processes) expect(p.child.exitCode).toBeNull();
    const names = await withDatabase(databaseUrl, async (c) =>
      (await c.query(`SELECT name FROM migrations ORDER BY id`)).rows.map(
        (r: { name: string }) => r.name,
      ),
    );
    expect(names).toEqual(MIGRATIONS.map((m) => m.name));
    // One first administrator, although three processes raced to create it.
    const admins = await withDatabase(
      databaseUrl,
      async (c) =>
        (await c.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`)).rows[0]
          .n as number,
    );
    expect(admins).toBe(1);
  });
});
