import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import {
  parsePlanDocument,
  parsePlanText,
  PlanDocumentRefusal,
} from '../../src/plan-document/index.js';
import { JobQueue } from '../../src/queue/job-queue.service.js';
import { QueueName } from '../../src/queue/job-registry.js';
import { projectRoot } from '../../src/runtime.js';
import {
  type Cluster,
  collectMails,
  planReminders,
  startCluster,
  startWorker,
  stopWorker,
} from '../bench/cluster.js';
import type { BackendKind } from '../bench/raw-bullmq.js';
import { deleteRedisPrefix, round, sleep, until } from '../bench/support.js';
import { freePort, type RunningProcess, startProcess } from '../support/processes.js';

/**
 * `npm run test:faults [-- --quick] [--only name,…]`: the reliability scenarios end to end on
 * both queue backends (worker processes, a real SMTP server, PostgreSQL, Redis), each counting
 * the reminders expected, delivered, lost and duplicated; then a time-boxed fuzz run of the plan
 * parser. Prints a table and writes bench-results/faults.json. Not part of `npm test`.
 */

interface Row {
  scenario: string;
  backend: BackendKind | '-';
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  note: string;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const N = quick ? 300 : 2000;
const log = (message: string) =>
  process.stderr.write(`[faults ${new Date().toISOString()}] ${message}\n`);

function cutRows(
  label: string,
  backend: BackendKind,
  run: Awaited<ReturnType<typeof collectMails>>,
  note: string,
): Row {
  return { scenario: label, backend, ...run.counts, note };
}

/** One cluster per backend, shared by the scenarios (each plans reminders of its own). */
const clusters = new Map<BackendKind, Cluster>();

async function withCluster<T>(
  backend: BackendKind,
  tasks: number,
  work: (c: Cluster) => Promise<T>,
): Promise<T> {
  let cluster = clusters.get(backend);
  if (!cluster) {
    cluster = await startCluster({
      pgServerUrl: process.env.DATABASE_URL!,
      backend,
      redisUrl: process.env.REDIS_URL || null,
      tasks,
      concurrency: 8,
      // As in production, the reconciler runs (here often, so that recovery shows in minutes).
      workerEnv: { RECONCILE_INTERVAL_SECONDS: '5' },
    });
    clusters.set(backend, cluster);
  }
  cluster.smtp.refusing = false;
  cluster.smtp.reset();
  return work(cluster);
}

/** Two workers; one is killed with SIGKILL once a third of the burst is delivered. */
async function workerKilled(backend: BackendKind): Promise<Row> {
  return withCluster(backend, N, async (c) => {
    const workers = [await startWorker(c), await startWorker(c)];
    try {
      const { t0 } = await planReminders(c.planner, c.tasks, 'kill', (_k, t) => t);
      await until(() => c.smtp.received.length >= N / 3, 120_000, 'a third delivered', 20);
      workers[0].child.kill('SIGKILL');
      const killedAt = Date.now();
      const run = await collectMails(c.pool, c.smtp, 'kill', N, 300_000);
      return cutRows(
        'worker kill -9 mid-burst',
        backend,
        run,
        `killed at ${round((killedAt - t0) / 1000, 1)} s; last mail ${round((run.lastAt - killedAt) / 1000, 1)} s after the kill`,
      );
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
    }
  });
}

/** The queue's data is wiped while reminders wait on it; the reconciler rebuilds it. */
async function queueWiped(backend: BackendKind): Promise<Row> {
  return withCluster(backend, N, async (c) => {
    const worker = await startWorker(c, {
      RECONCILE_INTERVAL_SECONDS: '5',
      QUEUE_CHECK_SECONDS: '2',
    });
    try {
      const spreadMs = 10_000;
      const { t0 } = await planReminders(
        c.planner,
        c.tasks,
        'wipe',
        (k, t) => t + Math.floor((k * spreadMs) / N),
      );
      await sleep(Math.max(0, t0 + 3000 - Date.now()));
      const wipedAt = Date.now();
      if (backend === 'redis') await deleteRedisPrefix(c.redisUrl!, c.prefix);
      else {
        const queue = c.planner.app.get(JobQueue);
        for (const name of Object.values(QueueName)) {
          await queue.queue(name).obliterate({ force: true });
        }
      }
      const run = await collectMails(c.pool, c.smtp, 'wipe', N, 180_000);
      return cutRows(
        'queue wiped, then reconciled',
        backend,
        run,
        `wiped ${round((wipedAt - t0) / 1000, 1)} s into a 10 s spread; last mail ${round((run.lastAt - wipedAt) / 1000, 1)} s after`,
      );
    } finally {
      await stopWorker(worker);
    }
  });
}

/** The mail server refuses every message for a while, then accepts again. */
async function smtpRefusing(backend: BackendKind): Promise<Row> {
  const refuseMs = quick ? 15_000 : 60_000;
  return withCluster(backend, N, async (c) => {
    const worker = await startWorker(c, { DELIVERY_RETRY_BASE_MS: '1000' });
    try {
      c.smtp.refusing = true;
      const { t0 } = await planReminders(c.planner, c.tasks, 'smtp', (_k, t) => t);
      await sleep(Math.max(0, t0 + refuseMs - Date.now()));
      c.smtp.refusing = false;
      const backAt = Date.now();
      const run = await collectMails(c.pool, c.smtp, 'smtp', N, 240_000);
      return cutRows(
        `SMTP refusing ${refuseMs / 1000} s, then back`,
        backend,
        run,
        `all delivered ${round((run.lastAt - backAt) / 1000, 1)} s after it came back`,
      );
    } finally {
      await stopWorker(worker);
    }
  });
}

/** A TCP proxy to PostgreSQL whose connections can be cut (and refused) for a while. */
async function pgProxy(target: URL): Promise<{
  url: (dbUrl: string) => string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: (dbUrl) => {
      const u = new URL(dbUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * The database connection of the API and the worker is cut for 10 s under load: the API answers
 * 503 meanwhile and recovers by itself; reminders due in the cut are delivered once; no
 * occurrence is left fired without its message.
 */
async function databaseCut(backend: BackendKind): Promise<Row> {
  const proxy = await pgProxy(new URL(process.env.DATABASE_URL!));
  try {
    return await withCluster(backend, N, async (c) => {
      const viaProxy = proxy.url(c.databaseUrl);
      const worker = await startWorker(c, { DATABASE_URL: viaProxy });
      const port = await freePort();
      const api = startProcess(
        join(projectRoot(), 'dist', 'src', 'main.js'),
        [],
        c.env({
          DATABASE_URL: viaProxy,
          PORT: String(port),
          ADMIN_EMAIL: 'admin@bench.example',
          ADMIN_PASSWORD: 'steady-harbor-91',
          LOG_LEVEL: 'warn',
        }),
      );
      const base = `http://127.0.0.1:${port}/api/v1`;
      const statuses = {
        before: new Map<number, number>(),
        cut: new Map<number, number>(),
        after: new Map<number, number>(),
      };
      let phase: keyof typeof statuses = 'before';
      let stop = false;
      let recoveredAt = 0;
      let restoredAt: number;
      try {
        await until(
          async () => (await fetch(`${base}/health`).catch(() => null))?.status === 200,
          90_000,
          'api up',
          100,
        );
        const login = await fetch(`${base}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@bench.example', password: 'steady-harbor-91' }),
        });
        const { accessToken } = (await login.json()) as { accessToken: string };
        const loaders = Array.from({ length: 10 }, async () => {
          while (!stop) {
            const res = await fetch(`${base}/tasks?status=open&pageSize=20`, {
              headers: { authorization: `Bearer ${accessToken}` },
              signal: AbortSignal.timeout(15_000),
            }).catch(() => null);
            const status = res?.status ?? 0;
            await res?.arrayBuffer().catch(() => undefined);
            const map = statuses[phase];
            map.set(status, (map.get(status) ?? 0) + 1);
            if (phase === 'after' && status === 200 && !recoveredAt) recoveredAt = Date.now();
            if (status !== 200) await sleep(50);
          }
        });
        const { t0 } = await planReminders(
          c.planner,
          c.tasks,
          'dbcut',
          (k, t) => t + Math.floor((k * 5000) / N),
        );
        await sleep(Math.max(0, t0 + 1000 - Date.now()));
        proxy.cut();
        phase = 'cut';
        await sleep(10_000);
        proxy.restore();
        restoredAt = Date.now();
        phase = 'after';
        const run = await collectMails(c.pool, c.smtp, 'dbcut', N, 180_000);
        stop = true;
        await Promise.all(loaders);
        const {
          rows: [partial],
        } = await c.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM reminder_occurrences o
            WHERE o.occurrence_key LIKE 'bench-dbcut@%' AND o.status = 'fired'
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.occurrence_id = o.id)`,
        );
        const fmt = (m: Map<number, number>) =>
          [...m].map(([s, n]) => `${s || 'conn-error'}×${n}`).join(' ');
        return cutRows(
          'database cut 10 s under load',
          backend,
          run,
          `API during cut: ${fmt(statuses.cut)}; 200 again ${recoveredAt ? round((recoveredAt - restoredAt) / 1000, 1) : '—'} s after; fired without message: ${partial.n}`,
        );
      } finally {
        stop = true;
        await stopWorker(worker);
        await stopProcessGracefully(api);
      }
    });
  } finally {
    await proxy.close();
  }
}

async function stopProcessGracefully(p: RunningProcess): Promise<void> {
  if (p.child.exitCode !== null) return;
  p.child.kill('SIGTERM');
  await Promise.race([p.exited, sleep(15_000)]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

/** `count` worker processes race for one burst. */
async function racing(backend: BackendKind, count: number): Promise<Row> {
  return withCluster(backend, N, async (c) => {
    const workers: RunningProcess[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(await startWorker(c));
      const { t0 } = await planReminders(c.planner, c.tasks, `race${count}`, (_k, t) => t);
      const run = await collectMails(c.pool, c.smtp, `race${count}`, N, 240_000);
      return cutRows(
        `${count} workers racing`,
        backend,
        run,
        `drained in ${round((run.lastAt - t0) / 1000, 1)} s`,
      );
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
    }
  });
}

// ------------------------------------------------------------------- parser fuzz

const SEED_LINES = [
  '某区教育局2030年工作要点',
  '一、加强党的建设',
  '1.深化理论学习。3月底前完成专题学习。（责任科室：组织科、宣传科）',
  '（一）推进制度建设',
  '2.完善工作机制，6月底前制定方案。（牵头科室：办公室；配合科室：人事科）',
  '二、推动教育高质量发展',
  '3.实施课程改革，每季度末报送进展。（责任科室：中教科）',
  '4.开展督导检查，12月31日前完成。（责任科室：督导室、计财科）',
];

const NASTY = [
  '',
  '\u0000',
  '\uFEFF',
  '（',
  '）',
  '、',
  '责任科室：',
  '<script>alert(1)</script>',
  '9'.repeat(40),
  '十十十十十、',
  '月底前',
  '\u202E',
  '😀',
  '（责任科室：' + '科'.repeat(5000) + '）',
  '\r',
  '\t',
  '第'.repeat(1000),
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function mutate(random: () => number): Buffer {
  const lines = [...SEED_LINES];
  const steps = 1 + Math.floor(random() * 8);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(random() * (lines.length + 1));
    switch (Math.floor(random() * 7)) {
      case 0:
        lines.splice(at, 0, NASTY[Math.floor(random() * NASTY.length)]);
        break;
      case 1:
        lines.splice(at, 1);
        break;
      case 2:
        lines.splice(at, 0, ...lines.slice(0, Math.floor(random() * lines.length)));
        break;
      case 3: {
        const line = lines[at % Math.max(1, lines.length)] ?? '';
        const cut = Math.floor(random() * line.length);
        lines[at % Math.max(1, lines.length)] =
          line.slice(0, cut) + NASTY[Math.floor(random() * NASTY.length)] + line.slice(cut);
        break;
      }
      case 4:
        for (let k = 0; k < 200; k++)
          lines.push(`${k + 5}.第${k}项工作，${(k % 12) + 1}月底前完成。（责任科室：办公室）`);
        break;
      case 5:
        lines.reverse();
        break;
      default:
        lines.push(lines.join(''));
    }
  }
  const bytes = Buffer.from(lines.join(random() < 0.2 ? '\r\n' : '\n'));
  // Raw byte flips now and then: not even valid UTF-8.
  if (random() < 0.3) {
    for (let k = 0; k < 5; k++)
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  }
  return bytes;
}

async function fuzz(): Promise<Record<string, unknown>> {
  const budgetMs = quick ? 20_000 : 120_000;
  const target = 10_000;
  const random = rng(20301);
  const started = Date.now();
  let documents = 0;
  let refused = 0;
  let parsed = 0;
  const crashes: { input: string; error: string }[] = [];
  let slowest = { ms: 0, bytes: 0, head: '' };
  let slowestWhole = 0;
  let throughWorker = 0;
  while (documents < target && Date.now() - started < budgetMs) {
    const doc = mutate(random);
    documents++;
    // Every document through the parser in this thread (its own cost); every 50th also the
    // whole way, through the worker thread that reads uploads (which costs a thread start).
    const whole = documents % 50 === 1;
    const t = performance.now();
    try {
      if (whole) {
        throughWorker++;
        await parsePlanDocument(random() < 0.5 ? 'plan.txt' : '计划.TXT', doc);
      } else parsePlanText(doc.toString('utf8'));
      parsed++;
    } catch (error) {
      if (error instanceof PlanDocumentRefusal) refused++;
      else crashes.push({ input: doc.toString('base64').slice(0, 200), error: String(error) });
    }
    const ms = performance.now() - t;
    if (!whole && ms > slowest.ms)
      slowest = { ms: round(ms, 1), bytes: doc.length, head: doc.toString('utf8').slice(0, 80) };
    if (whole) slowestWhole = Math.max(slowestWhole, ms);
  }
  return {
    documents,
    throughWorker,
    slowestThroughWorkerMs: round(slowestWhole, 1),
    seconds: round((Date.now() - started) / 1000, 1),
    parsed,
    refused,
    crashes: crashes.length,
    crashSamples: crashes.filter((c) => c.error).slice(0, 5),
    slowest,
  };
}

// ------------------------------------------------------------------- main

function table(rows: Row[]): string {
  const head: (keyof Row)[] = [
    'scenario',
    'backend',
    'expected',
    'delivered',
    'lost',
    'duplicated',
    'note',
  ];
  const cells = [head.map(String), ...rows.map((r) => head.map((h) => String(r[h])))];
  const width = head.map((_, i) => Math.max(...cells.map((c) => [...c[i]].length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === c.length - 1 ? v : v + ' '.repeat(width[i] - [...v].length))).join(' | ')} |`;
  return [
    line(cells[0]),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  if (!process.env.DATABASE_URL) {
    process.stderr.write(
      '需要 DATABASE_URL（故障测试在该 PostgreSQL 服务器上创建并删除自己的数据库）\n',
    );
    process.exit(2);
  }
  const backends: BackendKind[] = process.env.REDIS_URL ? ['redis', 'postgres'] : ['postgres'];
  const scenarios: [string, (b: BackendKind) => Promise<Row>][] = [
    ['kill', workerKilled],
    ['wipe', queueWiped],
    ['smtp', smtpRefusing],
    ['dbcut', databaseCut],
    ['race2', (b) => racing(b, 2)],
    ['race4', (b) => racing(b, 4)],
  ];
  const rows: Row[] = [];
  for (const [name, run] of scenarios) {
    if (only && !only.includes(name)) continue;
    for (const backend of backends) {
      log(`${name} on ${backend}`);
      try {
        rows.push(await run(backend));
      } catch (error) {
        rows.push({
          scenario: name,
          backend,
          expected: N,
          delivered: NaN,
          lost: NaN,
          duplicated: NaN,
          note: `failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      log(JSON.stringify(rows.at(-1)));
    }
  }
  for (const cluster of clusters.values()) await cluster.close();
  const fuzzed = !only || only.includes('fuzz') ? await fuzz() : null;
  const text = table(rows);
  const out = join(projectRoot(), 'bench-results', 'faults.json');
  mkdirSync(join(projectRoot(), 'bench-results'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), quick, rows, fuzz: fuzzed }, null, 2)}\n`,
  );
  process.stdout.write(`${text}\n`);
  if (fuzzed) process.stdout.write(`\nparser fuzz: ${JSON.stringify(fuzzed)}\n`);
  const bad =
    rows.some((r) => r.lost !== 0 || r.duplicated !== 0) ||
    (fuzzed && (fuzzed.crashes as number) > 0);
  process.exit(bad ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `faults failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
