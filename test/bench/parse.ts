import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  parsePlanDocument,
  parsePlanText,
  PlanOverLimitError,
} from '../../src/plan-document/index.js';
import { projectRoot } from '../../src/runtime.js';
import { docxBomb } from '../support/zip.js';
import type { BenchContext, BenchSection } from './support.js';

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
async function largePlanFigures(quick: boolean): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  for (const count of quick ? [10_000] : [10_000, 32_000, 100_000]) {
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

/** A task table (任务分解表) of `rows` tab-separated rows in groups of 100 by category. */
function taskTable(year: number, rows: number): Buffer {
  const lines = [
    `某区教育局${year}年重点工作任务分解表`,
    '序号\t类别\t重点工作任务\t主要责任单位\t协同配合单位\t完成时限\t分管局领导',
  ];
  for (let n = 1; n <= rows; n++) {
    const category = n % 100 === 1 ? `第${Math.ceil(n / 100)}类` : '';
    const lead = UNITS[n % UNITS.length];
    const co = UNITS[(n + 1) % UNITS.length];
    lines.push(
      `${n}\t${category}\t推进第${n}项重点工作。细化工作措施。\t${lead}\t${co}\t${(n % 12) + 1}月底前\t张三`,
    );
  }
  return Buffer.from(lines.join('\n'));
}

/** Parse figures for a task table (5,000 rows; 500 in quick mode), in a worker and in this thread. */
async function taskTableFigures(quick: boolean): Promise<Record<string, unknown>> {
  const content = taskTable(2025, quick ? 500 : 5000);
  const inWorker = await measured(() => parsePlanDocument('table.txt', content));
  const started = performance.now();
  parsePlanText(content.toString('utf8'));
  return {
    rows: inWorker.result.sections.reduce((n, s) => n + s.items.length, 0),
    workerParseMs: Math.round(inWorker.ms),
    inThreadParseMs: Math.round(performance.now() - started),
    peakRssMb: inWorker.peakRssMb,
    rssGrowthMb: inWorker.rssGrowthMb,
  };
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

/** Plan parsing: the seed plan, a 900-item plan, zip bombs and plans of 10k–100k items. */
export const parseSection: BenchSection = {
  name: 'parse',
  async run(ctx: BenchContext) {
    const seedText = readFileSync(
      join(projectRoot(), 'seeds', 'hongkou-2022-work-plan.txt'),
      'utf8',
    );
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
    const large = await largePlanFigures(ctx.quick);
    const taskTable = await taskTableFigures(ctx.quick);
    return {
      seedMedianMs: round(median(seedRuns)),
      seedItems: 36,
      bigPlanItems: bigItems,
      bigPlanParseMs: round(bigParseMs),
      bigPlanItemsPerSecond: Math.round(bigItems / (bigParseMs / 1000)),
      large,
      taskTable,
      zipBombs,
    };
  },
};
