import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/config.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { prepareDatabase, projectRoot } from '../../src/runtime.js';
import { DigestsService } from '../../src/digests/digests.service.js';
import { weekAt } from '../../src/digests/digest-schedule.js';

/**
 * Weekly-digest figures: the time and the number of SQL statements it takes to compose every
 * digest (each unit's and the leaders'), on the database as it is (the seed plan and the bench's
 * own plans), then on a synthetic plan of 1,000 units × 100 tasks each, and the time to write all
 * of them to the outbox (claimed once per recipient and week).
 */
export async function digestFigures(
  app: INestApplicationContext,
  size: { units: number; tasksPerUnit: number } = { units: 1000, tasksPerUnit: 100 },
): Promise<Record<string, unknown>> {
  const db = app.get(DataSource);
  const digests = app.get(DigestsService);
  let statements = 0;
  const logQuery = db.logger.logQuery.bind(db.logger);
  db.logger.logQuery = (query, parameters, runner) => {
    statements++;
    logQuery(query, parameters, runner);
  };
  const now = new Date();
  const week = weekAt(now, 'Asia/Shanghai');
  const measure = async <T>(work: () => Promise<T>) => {
    statements = 0;
    const t = performance.now();
    const result = await work();
    return { result, ms: round(performance.now() - t), statements };
  };

  const existing = await measure(() => digests.build(week, now));
  const before = {
    digests: existing.result.length,
    ms: existing.ms,
    sqlStatements: existing.statements,
  };

  const synthetic = await measure(() => syntheticPlan(db, size.units, size.tasksPerUnit));
  const built = await measure(() => digests.build(week, now));
  const nonEmpty = built.result.filter((d) => !d.empty).length;
  const sent = await measure(() => digests.sendWeek(week, now));
  db.logger.logQuery = logQuery;
  return {
    existingData: before,
    synthetic: {
      units: size.units,
      tasksPerUnit: size.tasksPerUnit,
      tasks: synthetic.result,
      insertMs: synthetic.ms,
    },
    buildAll: {
      digests: built.result.length,
      nonEmpty,
      ms: built.ms,
      sqlStatements: built.statements,
    },
    sendAll: {
      written: sent.result.sent,
      ms: sent.ms,
      sqlStatements: sent.statements,
    },
  };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * A plan with `units` units, each with `perUnit` tasks (one lead, the rest co), deadlines spread
 * over a year around today — about half overdue — and a mix of statuses, returned reports and
 * pending extension requests. Written with a few set-based statements.
 */
async function syntheticPlan(db: DataSource, units: number, perUnit: number): Promise<number> {
  const items = units;
  return db.transaction(async (m) => {
    const [plan]: { id: string }[] = await m.query(
      `INSERT INTO plans (title, year, source_hash, source_name)
       VALUES ('基准测试工作要点（1000 个单位）', 2026, 'bench-digests-' || gen_random_uuid(),
               'bench-digests.txt') RETURNING id`,
    );
    await m.query(
      `INSERT INTO sections (plan_id, ordinal, title)
       SELECT $1, s, '第' || s || '板块' FROM generate_series(1, 10) s`,
      [plan.id],
    );
    await m.query(
      `INSERT INTO items (plan_id, section_id, ordinal, number, title, body)
       SELECT $1, s.id, n, n, '推进第' || n || '项重点工作', '推进第' || n || '项重点工作。'
         FROM generate_series(1, $2::int) n
         JOIN sections s ON s.plan_id = $1 AND s.ordinal = ((n - 1) % 10) + 1`,
      [plan.id, items],
    );
    await m.query(
      `INSERT INTO units (name, email)
       SELECT '基准单位' || lpad(u::text, 4, '0'), 'bench-unit-' || u || '@example.org'
         FROM generate_series(1, $1::int) u
       ON CONFLICT (name) DO NOTHING`,
      [units],
    );
    const [user]: { id: string }[] = await m.query(
      `INSERT INTO users (email, name, role, unit_id)
       SELECT 'bench-digest-' || gen_random_uuid() || '@example.org', '基准联络员', 'unit_member', id
         FROM units WHERE name = '基准单位0001' RETURNING id`,
    );
    const inserted: { id: string }[] = await m.query(
      `WITH u AS (
         SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM units
          WHERE name LIKE '基准单位%'),
       i AS (SELECT id, number FROM items WHERE plan_id = $1)
       INSERT INTO tasks (item_id, unit_id, role, status, due_date, due_at, reminders_planned_at)
       SELECT i.id, u.id, CASE WHEN j = 0 THEN 'lead' ELSE 'co' END,
              (ARRAY['assigned', 'acknowledged', 'in_progress', 'submitted', 'returned',
                     'closed', 'assigned', 'in_progress'])[((u.k * 7 + j) % 8) + 1],
              d::date, d::date + time '23:59:59' - interval '8 hours', now()
         FROM u CROSS JOIN generate_series(0, $2::int - 1) j
         JOIN i ON i.number = ((u.k + j * 10) % $3::int) + 1
         CROSS JOIN LATERAL (SELECT current_date + ((u.k * 7 + j * 13) % 365 - 180)::int AS d) dd
       RETURNING id`,
      [plan.id, perUnit, items],
    );
    await m.query(
      `INSERT INTO submissions (task_id, number, body, status, submitted_by, decision_comment)
       SELECT t.id, 1, '进展情况', 'returned', $2, '请补充材料'
         FROM tasks t JOIN items i ON i.id = t.item_id
        WHERE i.plan_id = $1 AND t.status = 'returned'`,
      [plan.id, user.id],
    );
    await m.query(
      `INSERT INTO extension_requests (task_id, requested_by, reason, current_due_at, proposed_due_date)
       SELECT t.id, $2, '需要更多时间', t.due_at, t.due_date + 30
         FROM tasks t JOIN items i ON i.id = t.item_id
        WHERE i.plan_id = $1 AND t.status = 'in_progress' AND t.due_at < now()`,
      [plan.id, user.id],
    );
    return inserted.length;
  });
}

/**
 * On its own (`node dist/test/bench/digests-bench.js`): the seed plan, then the digest figures,
 * on DATABASE_URL when set, else on an embedded database.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const dataDir = await mkdtemp(join(tmpdir(), 'duban-bench-digests-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? '54359',
    QUEUE_PREFIX: `duban-bench-${Date.now()}`,
  });
  const database = await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.register({ config, databaseUrl: database.url, role: 'cli' }),
    { logger: ['error'] },
  );
  try {
    const seed = readFileSync(join(projectRoot(), 'seeds', 'hongkou-2022-work-plan.txt'));
    await app.get(PlansService).importDocument(`bench-digests-${Date.now()}.txt`, seed);
    const figures = await digestFigures(app);
    process.stdout.write(`${JSON.stringify({ digests: figures }, null, 2)}\n`);
  } finally {
    await app.close();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
