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
import {
  parsePlanDocument,
  parsePlanText,
  PlanOverLimitError,
} from '../../src/plan-document/index.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service.js';
import { prepareDatabase, projectRoot } from '../../src/runtime.js';
import { docxBomb } from '../support/zip.js';
import { digestFigures } from './digests-bench.js';

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

/** A plan of `count` items in 20 sections, numbered 1…count, two units each. */
function largePlan(year: number, count: number): Buffer {
  const numerals = '一二三四五六七八九十';
  const lines = [`某区教育局${year}年工作要点`];
  for (let n = 1; n <= count; n++) {
    const section = Math.floor(((n - 1) * 20) / count);
    if (n === 1 || section !== Math.floor(((n - 2) * 20) / count))
      lines.push(`${section < 10 ? '' : '十'}${numerals[section % 10]}、第${section + 1}板块`);
    const units = [0, 1].map((k) => UNITS[(n + k) % UNITS.length]).join('、');
    lines.push(`${n}.推进第${n}项。${(n % 12) + 1}月底前完成。（责任科室：${units}）`);
  }
  return Buffer.from(lines.join('\n'));
}

/**
 * Runs `task`, sampling the process RSS (the parsing worker's memory included) every 10 ms: the
 * peak, and how far it rose above the RSS at the start.
 */
async function measured<T>(
  task: () => Promise<T>,
): Promise<{ result: T; ms: number; peakRssMb: number; rssGrowthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const result = await task();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      result,
      ms,
      peakRssMb: round(peak / 1024 / 1024, 1),
      rssGrowthMb: round((peak - before) / 1024 / 1024, 1),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Parse figures for plans of 10k, 32k and 100k items, in a worker and in this thread. */
async function largePlanFigures(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  for (const count of [10_000, 32_000, 100_000]) {
    const content = largePlan(2022, count);
    const inWorker = await measured(() => parsePlanDocument('large.txt', content));
    const items = inWorker.result.sections.reduce((n, s) => n + s.items.length, 0);
    const started = performance.now();
    parsePlanText(content.toString('utf8'));
    const inThreadMs = performance.now() - started;
    figures[`items${count / 1000}k`] = {
      items,
      fileMb: round(content.length / 1024 / 1024),
      workerParseMs: round(inWorker.ms),
      itemsPerSecond: Math.round(items / (inWorker.ms / 1000)),
      inThreadParseMs: round(inThreadMs),
      peakRssMb: inWorker.peakRssMb,
      rssGrowthMb: inWorker.rssGrowthMb,
    };
  }
  return figures;
}

/** How fast and in how little memory zip bombs are refused. */
async function zipBombFigures(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  const bombs = {
    declared700MiB: docxBomb({ documentMiB: 700 }),
    lyingHeader700MiB: docxBomb({ documentMiB: 700, declaredDocumentBytes: 1000 }),
  };
  for (const [name, bomb] of Object.entries(bombs)) {
    const run = await measured(async () => {
      try {
        await parsePlanDocument('bomb.docx', bomb);
        return 'accepted';
      } catch (error) {
        return error instanceof PlanOverLimitError ? `refused: ${error.limit}` : String(error);
      }
    });
    figures[name] = {
      zipKb: Math.round(bomb.length / 1024),
      outcome: run.result,
      msToRefusal: round(run.ms),
      peakRssMb: run.peakRssMb,
      rssGrowthMb: run.rssGrowthMb,
    };
  }
  return figures;
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
  // Bombs first: RSS never shrinks back, so later figures would hide theirs.
  const zipBombs = await zipBombFigures();
  const large = await largePlanFigures();

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
    const scheduler = app.get(ReminderScheduler);
    const ta = performance.now();
    const seedImport = await plans.importDocument(`bench-${Date.now()}.txt`, Buffer.from(seedText));
    const seedImportMs = performance.now() - ta;

    const tb = performance.now();
    const bigImport = await plans.importParsed('bench-big.txt', bigParsed);
    const bigImportMs = performance.now() - tb;
    const jobs = bigImport.counts.tasks * 3;

    const tc = performance.now();
    const openTasks = bigImport.counts.tasks + seedImport.counts.tasks;
    const reconciled = await scheduler.reconcile();
    const reconcileMs = performance.now() - tc;

    // Last: it adds a 1,000-unit plan the figures above must not see.
    const digests = await digestFigures(app);

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
            large,
            zipBombs,
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
            openTasks,
            queued: reconciled.queued,
            ms: round(reconcileMs),
          },
          digests,
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
