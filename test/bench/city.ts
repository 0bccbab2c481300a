import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { CITY, CITY_PEAK_WINDOW_JOBS } from './pipeline.js';
import {
  type BenchContext,
  type BenchSection,
  deleteRedisPrefix,
  freshDatabase,
  round,
  seedTasks,
  timed,
} from './support.js';

/**
 * The reconciler over a synthetic city (640k open tasks, 2.5M scheduled reminders over the
 * coming year; a tenth with `--quick`): the first pass queues the next day's reminders (a busy
 * month-end day), the next passes find nothing to do. Nothing fires: no worker runs.
 */
export const citySection: BenchSection = {
  name: 'city',
  async run(ctx: BenchContext) {
    const tasks = Math.round(CITY.tasks * ctx.scale);
    const perTask = CITY.remindersPerYear / CITY.tasks;
    const windowJobs = Math.round(CITY_PEAK_WINDOW_JOBS * ctx.scale);
    const database = await freshDatabase(ctx.pgServerUrl, 'city');
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const prefix = `duban-bench-${randomBytes(3).toString('hex')}`;
    let app: TestApp | null = null;
    try {
      ctx.log(`city: seeding ${tasks} tasks`);
      const seedStarted = Date.now();
      const now = Date.now();
      const seeded = await seedTasks(pool, {
        tasks,
        units: 2000,
        firstDueMs: now + 2 * 86_400_000,
        stepMs: (360 * 86_400_000) / tasks,
      });
      // ~3.9 reminders per task; `windowJobs` of them due within the next day.
      const total = Math.round(tasks * perTask);
      const windowFraction = windowJobs / total;
      const CHUNK = 50_000;
      for (let i = 0; i < seeded.taskIds.length; i += CHUNK) {
        await pool.query(
          `INSERT INTO reminder_occurrences (source, subject_id, task_id, occurrence_key, fire_at,
                                             status, detail)
           SELECT 'task.deadline', t.id, t.id, 'city-' || g || '@' || t.due_at,
                  CASE WHEN random() < $2::float8
                       THEN now() + interval '1 hour' + random() * interval '22 hours'
                       ELSE now() + interval '25 hours' + random() * interval '360 days'
                  END,
                  'scheduled', jsonb_build_object('offset', '-P1D', 'dueAt', t.due_at)
             FROM tasks t CROSS JOIN generate_series(1, 4) g
            WHERE t.id = ANY($1::uuid[]) AND (g < 4 OR random() < $3::float8)`,
          [seeded.taskIds.slice(i, i + CHUNK), windowFraction, perTask - 3],
        );
      }
      await pool.query('ANALYZE reminder_occurrences');
      const {
        rows: [counts],
      } = await pool.query<{ total: number; window: number }>(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE fire_at < now() + interval '24 hours')::int AS window
           FROM reminder_occurrences WHERE status = 'scheduled'`,
      );
      const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);
      app = await startTestApp({
        databaseUrl: database.url,
        redisUrl: ctx.redisUrl,
        queuePrefix: prefix,
        workers: false,
      });
      const scheduler = app.app.get(ReminderScheduler);
      ctx.log(`city: reconcile over ${counts.total} reminders`);
      const first = await timed(() => scheduler.reconcile());
      const steady: number[] = [];
      for (let i = 0; i < 3; i++) steady.push((await timed(() => scheduler.reconcile())).ms);
      return {
        backend: ctx.redisUrl ? 'redis' : 'postgres',
        openTasks: tasks,
        scheduledReminders: counts.total,
        dueWithinHorizon: counts.window,
        seedSeconds,
        firstPass: { ms: Math.round(first.ms), ...first.result },
        steadyPassMs: steady.map((ms) => Math.round(ms)),
      };
    } finally {
      await app?.close();
      await pool.end();
      if (ctx.redisUrl) await deleteRedisPrefix(ctx.redisUrl, prefix);
      await database.drop();
    }
  },
};
