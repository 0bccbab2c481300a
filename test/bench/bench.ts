import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { projectRoot } from '../../src/runtime.js';
import { apiSection } from './api.js';
import { citySection } from './city.js';
import { digestsSection } from './digests.js';
import { parseSection } from './parse.js';
import { backendFigures } from './pipeline.js';
import { scaleOutSection } from './scale-out.js';
import type { BenchContext, BenchSection } from './support.js';

/**
 * `npm run bench [-- --quick] [--only a,b] [--out file]`: one JSON document on stdout (and in
 * bench-results/latest.json) with, for each queue backend, raw BullMQ doing the same work and
 * Duban's reminder pipeline side by side, then the city figures, the API, cold start and
 * scale-out. PostgreSQL comes from DATABASE_URL (the bench creates and drops its own
 * databases), Redis from REDIS_URL (without it the Redis figures are skipped).
 *
 * Each section is one file under test/bench/ exporting a `BenchSection`; add one to SECTIONS.
 */
const SECTIONS: BenchSection[] = [
  parseSection,
  {
    name: 'redis',
    run: (ctx) =>
      ctx.redisUrl ? backendFigures(ctx, 'redis') : Promise.resolve({ skipped: 'no REDIS_URL' }),
  },
  { name: 'postgres', run: (ctx) => backendFigures(ctx, 'postgres') },
  citySection,
  digestsSection,
  apiSection,
  scaleOutSection,
];

function argValue(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? null) : null;
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = argValue(args, '--only')?.split(',') ?? null;
  const out = argValue(args, '--out') ?? join(projectRoot(), 'bench-results', 'latest.json');
  const pgServerUrl = process.env.DATABASE_URL;
  if (!pgServerUrl) {
    process.stderr.write(
      '需要 DATABASE_URL（基准测试在该 PostgreSQL 服务器上创建并删除自己的数据库）\n',
    );
    process.exit(2);
  }
  const ctx: BenchContext = {
    quick,
    scale: quick ? 0.1 : 1,
    pgServerUrl,
    redisUrl: process.env.REDIS_URL || null,
    concurrency: Number(process.env.WORKER_CONCURRENCY ?? 8),
    log: (message) => process.stderr.write(`[bench ${new Date().toISOString()}] ${message}\n`),
  };
  const started = Date.now();
  const figures: Record<string, unknown> = {};
  let peakRss = 0;
  const sampler = setInterval(
    () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
    1000,
  ).unref();
  for (const section of SECTIONS) {
    if (only && !only.includes(section.name)) continue;
    ctx.log(`section ${section.name}`);
    const t = Date.now();
    try {
      figures[section.name] = await section.run(ctx);
    } catch (error) {
      figures[section.name] = {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
    ctx.log(`section ${section.name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  clearInterval(sampler);
  const document = {
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    mode: quick ? 'quick (1/10 size)' : 'full',
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
    },
    workerConcurrency: ctx.concurrency,
    ...figures,
    benchSeconds: Math.round((Date.now() - started) / 1000),
    benchPeakRssMb: Math.round(peakRss / 1024 / 1024),
  };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  process.stdout.write(text);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
