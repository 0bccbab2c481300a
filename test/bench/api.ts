import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { projectRoot } from '../../src/runtime.js';
import { OPEN_SQL } from '../../src/tasks/task-state.js';
import { TASK_COLUMNS, TASK_FROM } from '../../src/tasks/tasks.repository.js';
import { cleanEnv, freePort, type RunningProcess } from '../support/processes.js';
import {
  type BenchContext,
  type BenchSection,
  deleteRedisPrefix,
  freshDatabase,
  latencySummary,
  ratio,
  round,
  seedTasks,
  sleep,
} from './support.js';

const ADMIN = { email: 'admin@bench.example', password: 'steady-harbor-91' };

/** Runs the load generator in its own process; its JSON summary. */
export async function load(spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    [join(projectRoot(), 'dist', 'test', 'bench', 'load.js'), JSON.stringify(spec)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as Record<string, unknown>;
}

/** Starts `npm start` and measures the time to the first healthy /health. */
async function coldStart(
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ process: RunningProcess; ms: number }> {
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: projectRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const running: RunningProcess = { child, stdout: () => out, stderr: () => err, exited };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${err.slice(-2000)}`);
    if (Date.now() - started > 120_000) throw new Error('npm start: not healthy in 120 s');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return { process: running, ms: Date.now() - started };
}

async function stop(p: RunningProcess): Promise<void> {
  // npm and node beneath it: the whole process group.
  try {
    process.kill(-p.child.pid!, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([p.exited, sleep(15_000)]);
}

/**
 * The same two queries as GET /tasks?unit=…&status=open (count, then the first page) straight
 * through a pg pool as large as the application's, at the same concurrency: the ceiling.
 */
async function rawQueryCeiling(
  url: string,
  unitIds: readonly string[],
  connections: number,
  seconds: number,
): Promise<Record<string, unknown>> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const where = `WHERE t.unit_id = $1 AND t.status IN ${OPEN_SQL}`;
  const latencies: number[] = [];
  let next = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const unit = unitIds[next++ % unitIds.length];
        const t = performance.now();
        await pool.query(`SELECT count(*)::int AS total ${TASK_FROM} ${where}`, [unit]);
        await pool.query(
          `SELECT ${TASK_COLUMNS} ${TASK_FROM} ${where}
            ORDER BY t.due_at, i.ordinal, t.role DESC, u.name LIMIT 100 OFFSET 0`,
          [unit],
        );
        latencies.push(performance.now() - t);
      }
    }),
  );
  await pool.end();
  return {
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: latencySummary(latencies),
  };
}

/**
 * Cold start of `npm start` (build up to date) to a healthy /health; then GET /api/v1/tasks
 * filtered by unit and status over 100k tasks at 50 connections beside the raw query; sign-ins.
 */
export const apiSection: BenchSection = {
  name: 'api',
  async run(ctx: BenchContext) {
    const tasks = Math.round(100_000 * ctx.scale);
    const seconds = ctx.quick ? 5 : 15;
    const database = await freshDatabase(ctx.pgServerUrl, 'api');
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const prefix = `duban-bench-${randomBytes(3).toString('hex')}`;
    let server: RunningProcess | null = null;
    try {
      const seeded = await seedTasks(pool, {
        tasks,
        units: 200,
        firstDueMs: Date.now() - 30 * 86_400_000,
        stepMs: (365 * 86_400_000) / tasks,
        statusMix: true,
      });
      // The plans are stored already: nothing for start-up to backfill.
      for (const source of ['task.deadline', 'milestone.deadline', 'task.escalation']) {
        await pool.query(
          `INSERT INTO reminder_occurrences (source, subject_id, task_id, occurrence_key, fire_at, status)
           VALUES ($1, $2, $2, 'bench', now(), 'fired')`,
          [source, seeded.taskIds[0]],
        );
      }
      const port = await freePort();
      const env = cleanEnv({
        DATABASE_URL: database.url,
        PORT: String(port),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: 'bench-signing-secret-0123456789abcdef0123',
        SEED_ON_EMPTY: 'false',
        RECONCILE_INTERVAL_SECONDS: '0',
        LOG_LEVEL: 'error',
        QUEUE_PREFIX: prefix,
        NODE_ENV: 'production',
        ...(ctx.redisUrl ? { REDIS_URL: ctx.redisUrl } : {}),
      });
      // The build is brought up to date first (untimed): what is measured is a start after it.
      await new Promise((resolve) =>
        spawn(process.execPath, [join(projectRoot(), 'web', 'scripts', 'build.js')], {
          cwd: projectRoot(),
          stdio: 'ignore',
        }).once('exit', resolve),
      );
      ctx.log('api: cold start');
      const start = await coldStart(env, port);
      server = start.process;
      const base = `http://127.0.0.1:${port}/api/v1`;
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const paths = seeded.unitIds.map((u) => `/api/v1/tasks?unit=${u}&status=open`);
      const probe = await fetch(`http://127.0.0.1:${port}${paths[0]}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const page = (await probe.json()) as { total: number };
      ctx.log('api: GET /tasks under load');
      await load({
        url: `http://127.0.0.1:${port}`,
        connections: 10,
        seconds: 2,
        headers: { authorization: `Bearer ${accessToken}` },
        paths,
      });
      const api = await load({
        url: `http://127.0.0.1:${port}`,
        connections: 50,
        seconds,
        headers: { authorization: `Bearer ${accessToken}` },
        paths,
      });
      const raw = await rawQueryCeiling(database.url, seeded.unitIds, 50, seconds);
      ctx.log('api: sign-in');
      const signIn = await load({
        url: `${base}/auth/login`,
        connections: 10,
        seconds: Math.min(seconds, 10),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      const rss = Number(
        /duban_process_resident_memory_bytes (\d+)/.exec(
          (await (
            await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null)
          )
            ?.text()
            .catch(() => '')) ?? '',
        )?.[1] ?? NaN,
      );
      return {
        coldStart: { command: 'npm start', msToHealthy: start.ms },
        tasksList: {
          tasks,
          request: 'GET /api/v1/tasks?unit=<id>&status=open (100 per page, 200 units in turn)',
          rowsPerUnit: page.total,
          connections: 50,
          seconds,
          api,
          rawQuery: raw,
          ratioToRaw: ratio(api.requestsPerSecond as number, raw.requestsPerSecond as number),
        },
        signIn: { connections: 10, ...signIn },
        apiRssMb: Number.isFinite(rss) ? round(rss / 1024 / 1024, 1) : undefined,
      };
    } finally {
      if (server) await stop(server);
      await pool.end();
      if (ctx.redisUrl) await deleteRedisPrefix(ctx.redisUrl, prefix);
      await database.drop();
    }
  },
};
