import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { AfterCommit } from '../../src/common/after-commit.js';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service.js';
import type { SubjectPlan } from '../../src/reminders/reminder-source.js';
import { projectRoot } from '../../src/runtime.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { cleanEnv, type RunningProcess, startProcess } from '../support/processes.js';
import type { BackendKind } from './raw-bullmq.js';
import {
  type BenchSmtp,
  deleteRedisPrefix,
  deliveryCounts,
  freshDatabase,
  seedTasks,
  sleep,
  startBenchSmtp,
  until,
} from './support.js';

export interface TaskRef {
  id: string;
  dueAt: Date;
}

/**
 * Plans one reminder per task, due at `fireOf(k, t0)`, through the scheduler (replan in a
 * transaction, queued after the commit) and waits until they are on the queue.
 */
export async function planReminders(
  app: TestApp,
  tasks: readonly TaskRef[],
  label: string,
  fireOf: (k: number, t0: number) => number,
  leadMs = 3000 + tasks.length / 4,
): Promise<{ t0: number; queuedMs: number }> {
  const scheduler = app.app.get(ReminderScheduler);
  const started = Date.now();
  const t0 = started + leadMs;
  const plannedAt = new Date(started - 86_400_000);
  const plans: SubjectPlan[] = tasks.map((t, k) => ({
    subjectId: t.id,
    taskId: t.id,
    milestoneId: null,
    plannedAt,
    occurrences: [
      {
        key: `bench-${label}@${t.dueAt.toISOString()}`,
        fireAt: new Date(fireOf(k, t0)),
        detail: { offset: '-P1D', dueAt: t.dueAt.toISOString() },
      },
    ],
  }));
  const scheduled = await app.db.transaction((m) => scheduler.replan(m, 'task.deadline', plans));
  scheduler.queueSoon(scheduled);
  await app.app.get(AfterCommit).settled();
  return { t0, queuedMs: Date.now() - started };
}

/**
 * Waits until `expected` reminder mails of `label` arrived (or the time is up), then counts them:
 * each mail's lag from its reminder's due time to its acceptance, lost and duplicated.
 */
export async function collectMails(
  pool: pg.Pool,
  smtp: BenchSmtp,
  label: string,
  expected: number,
  timeoutMs: number,
): Promise<{ lagMs: number[]; counts: ReturnType<typeof deliveryCounts>; lastAt: number }> {
  const belongs = async () => {
    const { rows } = await pool.query<{ id: string; scheduled_for: Date }>(
      `SELECT n.id, n.scheduled_for FROM notifications n
         JOIN reminder_occurrences o ON o.id = n.occurrence_id
        WHERE o.occurrence_key LIKE $1 AND n.channel = 'email'`,
      [`bench-${label}@%`],
    );
    return new Map(rows.map((r) => [r.id, new Date(r.scheduled_for).getTime()]));
  };
  const idOf = (messageId: string) => /^<([^@]+)@/.exec(messageId)?.[1] ?? '';
  let due = new Map<string, number>();
  const distinct = () =>
    new Set(smtp.received.map((r) => r.messageId).filter((id) => due.has(idOf(id)))).size;
  await until(
    async () => {
      if (smtp.received.length < expected) return false;
      due = await belongs();
      return distinct() >= expected;
    },
    timeoutMs,
    `${expected} mails of ${label}`,
    100,
  ).catch(() => undefined);
  await sleep(500); // late duplicates, if any
  due = await belongs();
  const lagMs: number[] = [];
  let lastAt = 0;
  for (const r of smtp.received) {
    const at = due.get(idOf(r.messageId));
    if (at === undefined) continue;
    lagMs.push(r.at - at);
    lastAt = Math.max(lastAt, r.at);
  }
  return {
    lagMs,
    counts: deliveryCounts(expected, smtp.received, (id) => due.has(idOf(id))),
    lastAt,
  };
}

/**
 * A database with `tasks` tasks (one contact address per unit), a mail server, and Duban in
 * this process without workers (it plans and queues); worker processes are started apart.
 */
export interface Cluster {
  backend: BackendKind;
  databaseUrl: string;
  redisUrl: string | null;
  prefix: string;
  smtp: BenchSmtp;
  pool: pg.Pool;
  planner: TestApp;
  tasks: TaskRef[];
  /** Environment of a Duban process of this cluster. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startCluster(options: {
  pgServerUrl: string;
  backend: BackendKind;
  redisUrl: string | null;
  tasks: number;
  concurrency: number;
  /** The planner's database URL (e.g. through a proxy that can cut it); default: direct. */
  plannerEnv?: Record<string, string>;
  /** Extra environment of every worker process (e.g. the reconciler's interval). */
  workerEnv?: Record<string, string>;
}): Promise<Cluster> {
  const database = await freshDatabase(
    options.pgServerUrl,
    options.backend === 'redis' ? 'cr' : 'cp',
  );
  const smtp = await startBenchSmtp();
  const pool = new pg.Pool({ connectionString: database.url, max: 3 });
  const prefix = `duban-bench-${randomBytes(3).toString('hex')}`;
  const redisUrl = options.backend === 'redis' ? options.redisUrl : null;
  const seeded = await seedTasks(pool, {
    tasks: options.tasks,
    units: Math.max(10, Math.round(options.tasks / 20)),
    firstDueMs: Date.now() + 30 * 86_400_000,
    stepMs: 60_000,
  });
  const { rows } = await pool.query<{ id: string; due_at: Date }>(
    `SELECT id, due_at FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY due_at`,
    [seeded.taskIds],
  );
  // Nothing for start-up to backfill: the plans are stored.
  for (const source of ['task.deadline', 'milestone.deadline', 'task.escalation']) {
    await pool.query(
      `INSERT INTO reminder_occurrences (source, subject_id, task_id, occurrence_key, fire_at, status)
       VALUES ($1, $2, $2, 'bench-seed', now(), 'fired')`,
      [source, rows[0].id],
    );
  }
  const planner = await startTestApp({
    databaseUrl: database.url,
    redisUrl,
    smtpUrl: smtp.url,
    queuePrefix: prefix,
    workers: false,
    env: options.plannerEnv,
  });
  return {
    backend: options.backend,
    databaseUrl: database.url,
    redisUrl,
    prefix,
    smtp,
    pool,
    planner,
    tasks: rows.map((r) => ({ id: r.id, dueAt: new Date(r.due_at) })),
    env: (extra = {}) =>
      cleanEnv({
        DATABASE_URL: database.url,
        SMTP_URL: smtp.url,
        QUEUE_PREFIX: prefix,
        WORKER_CONCURRENCY: String(options.concurrency),
        RECONCILE_INTERVAL_SECONDS: '0',
        JWT_SECRET: 'bench-signing-secret-0123456789abcdef0123',
        SEED_ON_EMPTY: 'false',
        LOG_LEVEL: 'log',
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
        ...options.workerEnv,
        ...extra,
      }),
    async close() {
      await planner.close();
      await pool.end();
      await smtp.close();
      if (redisUrl) await deleteRedisPrefix(redisUrl, prefix);
      await database.drop();
    },
  };
}

/** A Duban worker process (`node dist/workers/main.js`), once it says it is running. */
export async function startWorker(
  cluster: Cluster,
  extra: Record<string, string> = {},
): Promise<RunningProcess> {
  const p = startProcess(join(projectRoot(), 'dist', 'workers', 'main.js'), [], cluster.env(extra));
  try {
    await until(
      () => {
        if (p.child.exitCode !== null) throw new Error(`worker exited: ${p.stderr().slice(-2000)}`);
        return p.stdout().includes('Duban workers running');
      },
      180_000,
      'worker start',
      50,
    );
  } catch (error) {
    p.child.kill('SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; output: ${p.stdout().slice(-1500)} ${p.stderr().slice(-1500)}`,
      { cause: error },
    );
  }
  return p;
}

export async function stopWorker(
  p: RunningProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await Promise.race([p.exited, sleep(20_000)]);
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}
