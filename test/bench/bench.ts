import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/config.js';
import { parsePlanText } from '../../src/plan-document/index.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { RemindersService } from '../../src/reminders/reminders.service.js';
import { prepareDatabase, projectRoot } from '../../src/runtime.js';

/**
 * `npm run bench`: prints JSON figures for parsing, importing, reminder scheduling and the
 * reconciler, on DATABASE_URL / REDIS_URL when set, else on an embedded database.
 */

const UNITS = [
  '办公室',
  '组织科',
  '宣传科',
  '人事科',
  '计财科',
  '中教科',
  '小幼教科',
  '德育',
  '教育学院',
  '事务中心',
];

function syntheticPlan(year: number, sections: number, itemsPerSection: number): string {
  const numerals = '一二三四五六七八九十';
  const lines = [`某区教育局${year}年工作要点`];
  let n = 0;
  for (let s = 0; s < sections; s++) {
    lines.push(
      `${numerals[s % 10]}${s >= 10 ? numerals[Math.floor(s / 10) - 1] : ''}、第${s + 1}板块重点工作`,
    );
    for (let i = 0; i < itemsPerSection; i++) {
      n++;
      const units = [0, 1, 2, 3, 4].map((k) => UNITS[(n + k) % UNITS.length]).join('、');
      lines.push(
        `${n}.推进第${n}项重点工作。完善工作机制，${(n % 12) + 1}月底前完成阶段目标。（责任科室：${units}）`,
      );
    }
  }
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  let peakRss = 0;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const sampler = setInterval(sample, 20);

  const seedText = readFileSync(join(projectRoot(), 'seeds', 'hongkou-2022-work-plan.txt'), 'utf8');
  for (let i = 0; i < 20; i++) parsePlanText(seedText);
  const seedRuns: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    parsePlanText(seedText);
    seedRuns.push(performance.now() - t);
  }
  const big = syntheticPlan(new Date().getFullYear() + 1, 20, 45);
  const t0 = performance.now();
  const bigParsed = parsePlanText(big);
  const bigParseMs = performance.now() - t0;
  const bigItems = bigParsed.sections.reduce((n, s) => n + s.items.length, 0);

  const dataDir = await mkdtemp(join(tmpdir(), 'duban-bench-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? '54349',
    QUEUE_PREFIX: `duban-bench-${Date.now()}`,
  });
  const database = await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.register({ config, databaseUrl: database.url, role: 'cli' }),
    { logger: ['error'] },
  );
  try {
    const plans = app.get(PlansService);
    const reminders = app.get(RemindersService);
    const ta = performance.now();
    const seedImport = await plans.importDocument(`bench-${Date.now()}.txt`, Buffer.from(seedText));
    const seedImportMs = performance.now() - ta;

    const tb = performance.now();
    const bigImport = await plans.importParsed('bench-big.txt', bigParsed);
    const bigImportMs = performance.now() - tb;
    const jobs = bigImport.counts.tasks * 3;

    const tc = performance.now();
    const reconciled = await reminders.reconcile();
    const reconcileMs = performance.now() - tc;

    sample();
    process.stdout.write(
      `${JSON.stringify(
        {
          queueBackend: config.redisUrl ? 'redis' : 'postgres',
          database: config.databaseUrl ? 'external' : 'embedded',
          parse: {
            seedMedianMs: round(median(seedRuns)),
            seedItems: 36,
            bigPlanItems: bigItems,
            bigPlanParseMs: round(bigParseMs),
            bigPlanItemsPerSecond: Math.round(bigItems / (bigParseMs / 1000)),
          },
          import: {
            seedMs: round(seedImportMs),
            seedCreated: seedImport.created,
            seedTasks: seedImport.counts.tasks,
            bigPlanTasks: bigImport.counts.tasks,
            bigPlanReminderJobs: jobs,
            bigPlanImportAndScheduleMs: round(bigImportMs),
            reminderJobsScheduledPerSecond: Math.round(jobs / (bigImportMs / 1000)),
          },
          reconcile: {
            openTasks: reconciled.tasks,
            ms: round(reconcileMs),
            tasksPerSecond: Math.round(reconciled.tasks / (reconcileMs / 1000)),
          },
          memory: { peakRssMb: round(peakRss / 1024 / 1024, 1) },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    clearInterval(sampler);
    await app.close();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
