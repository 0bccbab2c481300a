import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AfterCommit } from '../../src/common/after-commit.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { collectMails, planReminders, type TaskRef } from './cluster.js';
import { type BackendKind, RawBullmq, rawBaseline } from './raw-bullmq.js';
import {
  type BenchContext,
  type BenchSmtp,
  deleteRedisPrefix,
  freshDatabase,
  latencySummary,
  ratio,
  redisUsedMemory,
  round,
  seedTasks,
  startBenchSmtp,
} from './support.js';

/** The synthetic city: 640k tasks, 2.5M reminders a year. */
export const CITY = { tasks: 640_000, remindersPerYear: 2_500_000 };

/**
 * Most reminders of a year fall around month ends (deadlines "X月底前", reminders 7 and 1
 * working days before and on the day): with a 24-hour horizon the queue holds at most one of
 * those days, about a 36th of the year.
 */
export const CITY_PEAK_WINDOW_JOBS = Math.ceil(CITY.remindersPerYear / 36);

/** Duban in this process (API and workers) on one backend, with the bench's mail server. */
async function startDuban(
  ctx: BenchContext,
  backend: BackendKind,
  databaseUrl: string,
  smtp: BenchSmtp,
  queuePrefix: string,
): Promise<TestApp> {
  return startTestApp({
    databaseUrl,
    redisUrl: backend === 'redis' ? ctx.redisUrl : null,
    smtpUrl: smtp.url,
    queuePrefix,
    env: { WORKER_CONCURRENCY: String(ctx.concurrency), QUEUE_CHECK_SECONDS: '0' },
  });
}

async function dubanRun(
  app: TestApp,
  pool: pg.Pool,
  smtp: BenchSmtp,
  tasks: readonly TaskRef[],
  label: string,
  fireOf: (k: number, t0: number) => number,
  timeoutMs: number,
) {
  smtp.reset();
  const { t0, queuedMs } = await planReminders(app, tasks, label, fireOf);
  return { t0, queuedMs, ...(await collectMails(pool, smtp, label, tasks.length, timeoutMs)) };
}

async function queuedOfPlan(pool: pg.Pool, planId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reminder_occurrences o JOIN tasks t ON t.id = o.task_id
       JOIN items i ON i.id = t.item_id
      WHERE i.plan_id = $1 AND o.status = 'scheduled' AND o.queued_at IS NOT NULL`,
    [planId],
  );
  return rows[0].n;
}

/**
 * A plan of `count` tasks due within the next day gets a reminder policy, then another one:
 * every task's reminder is cancelled, planned anew and queued. The rate is reminder jobs queued
 * per second, from the request to the last job on the queue.
 */
async function policyChange(
  app: TestApp,
  pool: pg.Pool,
  count: number,
  redis: Redis | null,
): Promise<Record<string, unknown>> {
  const now = Date.now();
  const seeded = await seedTasks(pool, {
    tasks: count,
    units: 100,
    firstDueMs: now + 2 * 3600_000,
    stepMs: (20 * 3600_000) / count,
    label: `policy-${randomBytes(3).toString('hex')}`,
  });
  const plans = app.app.get(PlansService);
  const settled = () => app.app.get(AfterCommit).settled();
  const memoryBefore = redis ? await redisUsedMemory(redis) : NaN;
  let started = Date.now();
  await plans.setPolicy(seeded.planId, { offsets: ['-PT1H'], sendAt: '09:00' });
  const firstTxMs = Date.now() - started;
  await settled();
  const firstMs = Date.now() - started;
  const firstQueued = await queuedOfPlan(pool, seeded.planId);
  const memoryAfter = redis ? await redisUsedMemory(redis) : NaN;

  started = Date.now();
  await plans.setPolicy(seeded.planId, { offsets: ['-PT2H'], sendAt: '09:00' });
  const changeTxMs = Date.now() - started;
  await settled();
  const changeMs = Date.now() - started;
  const changeQueued = await queuedOfPlan(pool, seeded.planId);
  return {
    tasks: count,
    first: {
      jobsQueued: firstQueued,
      transactionMs: firstTxMs,
      totalMs: firstMs,
      jobsPerSecond: Math.round(firstQueued / (firstMs / 1000)),
    },
    change: {
      jobsQueued: changeQueued,
      transactionMs: changeTxMs,
      totalMs: changeMs,
      jobsPerSecond: Math.round(changeQueued / (changeMs / 1000)),
    },
    redisBytesPerQueuedReminder: redis
      ? Math.round((memoryAfter - memoryBefore) / firstQueued)
      : null,
  };
}

/** Every figure of one queue backend: the raw baseline and Duban measured in the same run. */
export async function backendFigures(
  ctx: BenchContext,
  backend: BackendKind,
): Promise<Record<string, unknown>> {
  const n = Math.round(10_000 * ctx.scale);
  const spreadMs = ctx.quick ? 10_000 : 60_000;
  const policyTasks = Math.round(100_000 * ctx.scale);
  const database = await freshDatabase(ctx.pgServerUrl, backend === 'redis' ? 'r' : 'p');
  const smtp = await startBenchSmtp();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const prefix = `duban-bench-${randomBytes(3).toString('hex')}`;
  const redis = backend === 'redis' ? new Redis(ctx.redisUrl!) : null;
  let app: TestApp | null = null;
  try {
    ctx.log(`${backend}: raw BullMQ baseline`);
    const raw = new RawBullmq(backend, {
      redisUrl: ctx.redisUrl,
      databaseUrl: database.url,
      smtp,
      concurrency: ctx.concurrency,
    });
    let baseline: Awaited<ReturnType<typeof rawBaseline>>;
    try {
      baseline = await rawBaseline(raw, {
        addBulk: policyTasks,
        spread: n,
        spreadMs,
        burst: n,
      });
    } finally {
      await raw.close();
    }

    ctx.log(`${backend}: Duban pipeline`);
    const seeded = await seedTasks(pool, {
      tasks: n,
      units: Math.max(10, Math.round(n / 20)),
      firstDueMs: Date.now() + 30 * 86_400_000,
      stepMs: 60_000,
    });
    const { rows } = await pool.query<{ id: string; due_at: Date }>(
      `SELECT id, due_at FROM tasks WHERE id = ANY($1::uuid[])`,
      [seeded.taskIds],
    );
    const tasks = rows.map((r) => ({ id: r.id, dueAt: new Date(r.due_at) }));
    app = await startDuban(ctx, backend, database.url, smtp, prefix);
    const spread = await dubanRun(
      app,
      pool,
      smtp,
      tasks,
      'spread',
      (k, t0) => t0 + Math.floor((k * spreadMs) / n),
      spreadMs + 120_000,
    );
    const burst = await dubanRun(app, pool, smtp, tasks, 'burst', (_k, t0) => t0, 240_000);
    ctx.log(`${backend}: policy change over ${policyTasks} tasks`);
    const policy = await policyChange(app, pool, policyTasks, redis);
    const burstSeconds = (burst.lastAt - burst.t0) / 1000;
    const burstRate = Math.round(n / burstSeconds);
    const spreadLag = latencySummary(spread.lagMs);
    const baselineLag = baseline.spread.mailLagMs as { p99: number };
    const change = policy.change as { jobsPerSecond: number };
    const bytes = policy.redisBytesPerQueuedReminder as number | null;
    return {
      rawBullmq: baseline,
      duban: {
        spread: {
          reminders: n,
          overSeconds: spreadMs / 1000,
          lagMs: spreadLag,
          p99RatioToRaw: ratio(spreadLag.p99, baselineLag.p99),
          ...spread.counts,
        },
        burst: {
          reminders: n,
          drainSeconds: round(burstSeconds),
          remindersPerSecond: burstRate,
          ratioToRaw: ratio(burstRate, (baseline.burst as { jobsPerSecond: number }).jobsPerSecond),
          lagMs: latencySummary(burst.lagMs),
          ...burst.counts,
        },
        policyChange: {
          ...policy,
          ratioToRawAddBulk: ratio(change.jobsPerSecond, baseline.addBulk.jobsPerSecond),
        },
        ...(backend === 'redis' && bytes !== null
          ? {
              cityRedis: {
                remindersPerYear: CITY.remindersPerYear,
                peakWindowJobs: CITY_PEAK_WINDOW_JOBS,
                peakWindowMb: round((CITY_PEAK_WINDOW_JOBS * bytes) / 1024 / 1024, 1),
                wholeYearQueuedMb: round((CITY.remindersPerYear * bytes) / 1024 / 1024, 1),
              },
            }
          : {}),
      },
    };
  } finally {
    await app?.close();
    await pool.end();
    await smtp.close();
    if (redis) {
      await deleteRedisPrefix(ctx.redisUrl!, prefix);
      redis.disconnect();
    }
    await database.drop();
  }
}
