import type { RunningProcess } from '../support/processes.js';
import { collectMails, planReminders, startCluster, startWorker, stopWorker } from './cluster.js';
import { type BenchContext, type BenchSection, latencySummary, round } from './support.js';

/**
 * 1, 2 and 4 worker processes on Redis drain the same burst (10k reminders due at one instant,
 * 1k with `--quick`): throughput for each count, and proof that none is delivered twice.
 */
export const scaleOutSection: BenchSection = {
  name: 'scaleOut',
  async run(ctx: BenchContext) {
    if (!ctx.redisUrl) return { skipped: 'no REDIS_URL' };
    const n = Math.round(10_000 * ctx.scale);
    const cluster = await startCluster({
      pgServerUrl: ctx.pgServerUrl,
      backend: 'redis',
      redisUrl: ctx.redisUrl,
      tasks: n,
      concurrency: ctx.concurrency,
    });
    const results: Record<string, unknown>[] = [];
    try {
      for (const count of [1, 2, 4]) {
        ctx.log(`scale-out: ${count} worker process(es)`);
        const workers: RunningProcess[] = [];
        try {
          for (let i = 0; i < count; i++) workers.push(await startWorker(cluster));
          cluster.smtp.reset();
          const label = `scale${count}`;
          const { t0 } = await planReminders(cluster.planner, cluster.tasks, label, (_k, t) => t);
          const run = await collectMails(cluster.pool, cluster.smtp, label, n, 300_000);
          const seconds = (run.lastAt - t0) / 1000;
          results.push({
            workers: count,
            reminders: n,
            drainSeconds: round(seconds),
            remindersPerSecond: Math.round(n / seconds),
            lagMs: latencySummary(run.lagMs),
            ...run.counts,
          });
        } finally {
          await Promise.all(workers.map((w) => stopWorker(w)));
        }
      }
    } finally {
      await cluster.close();
    }
    const base = (results[0]?.remindersPerSecond as number) || NaN;
    return {
      backend: 'redis',
      concurrencyPerProcess: ctx.concurrency,
      runs: results.map((r) => ({
        ...r,
        speedup: round((r.remindersPerSecond as number) / base, 2),
      })),
    };
  },
};
