import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { runMigrations } from '../../src/database/data-source.js';

/** What every bench section is given. */
export interface BenchContext {
  /** 1 for the full run, 0.1 for `--quick`. */
  scale: number;
  quick: boolean;
  /** PostgreSQL server (the bench creates and drops its own databases on it). */
  pgServerUrl: string;
  /** Redis for the Redis-backend figures; null skips them. */
  redisUrl: string | null;
  /** Worker concurrency of Duban and of the raw baseline alike. */
  concurrency: number;
  log(message: string): void;
}

/** A bench section: one file under test/bench/, one key of the JSON document. */
export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<unknown>;
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latencySummary(values: readonly number[]): {
  p50: number;
  p99: number;
  max: number;
} {
  return {
    p50: round(percentile(values, 50), 1),
    p99: round(percentile(values, 99), 1),
    max: round(values.length ? Math.max(...values) : NaN, 1),
  };
}

export const ratio = (ours: number, theirs: number): number =>
  theirs > 0 && Number.isFinite(ours) ? round(ours / theirs, 2) : NaN;

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** Polls until `probe` is true, or throws after `timeoutMs`. */
export async function until(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------- databases

export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database on the server, migrated; `drop()` removes it. */
export async function freshDatabase(
  server: string,
  label: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `duban_bench_${label}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  const url = databaseUrl(server, name);
  await runMigrations(url);
  return {
    url,
    name,
    drop: () => adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface SeededTasks {
  planId: string;
  unitIds: string[];
  taskIds: string[];
}

/**
 * Writes a plan of `tasks` tasks over `units` units (each reached at one contact address, no
 * accounts) straight in SQL: what an import of that size leaves behind, in seconds. Task `k`
 * (0-based) is due at `dueAt(k)`; with `statusMix` a quarter each is assigned, in progress,
 * submitted and closed, else all are assigned (waiting for their unit).
 */
export async function seedTasks(
  db: pg.Pool,
  options: {
    tasks: number;
    units: number;
    firstDueMs: number;
    stepMs: number;
    statusMix?: boolean;
    label?: string;
  },
): Promise<SeededTasks> {
  const label = options.label ?? randomBytes(4).toString('hex');
  const existing = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM units`);
  const offset = existing.rows[0].n;
  const units = await db.query<{ id: string }>(
    `INSERT INTO units (name, email)
     SELECT '基准单位' || ($1::int + g), 'unit' || ($1::int + g) || '@bench.example'
       FROM generate_series(1, $2::int) g
     RETURNING id`,
    [offset, options.units],
  );
  const unitIds = units.rows.map((r) => r.id);
  const {
    rows: [plan],
  } = await db.query<{ id: string }>(
    `INSERT INTO plans (title, year, source_hash, source_name)
     VALUES ($1, 2030, $2, 'bench.txt') RETURNING id`,
    [`基准工作要点 ${label}`, `bench-${label}`],
  );
  const {
    rows: [section],
  } = await db.query<{ id: string }>(
    `INSERT INTO sections (plan_id, ordinal, title) VALUES ($1, 1, '基准板块') RETURNING id`,
    [plan.id],
  );
  const statusExpr = options.statusMix
    ? `(ARRAY['assigned','in_progress','submitted','closed'])[1 + (i.ordinal % 4)]`
    : `'assigned'`;
  const CHUNK = 50_000;
  const taskIds: string[] = [];
  for (let start = 0; start < options.tasks; start += CHUNK) {
    const count = Math.min(CHUNK, options.tasks - start);
    await db.query(
      `INSERT INTO items (plan_id, section_id, ordinal, number, title, body)
       SELECT $1, $2, g, g + 1, '推进第' || (g + 1) || '项重点工作', '完善工作机制，按期完成。'
         FROM generate_series($3::int, $3::int + $4::int - 1) g`,
      [plan.id, section.id, start, count],
    );
    const result = await db.query<{ id: string }>(
      `WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM units WHERE id = ANY($5::uuid[]))
       INSERT INTO tasks (item_id, unit_id, role, status, due_date, due_at, reminders_planned_at)
       SELECT i.id, u.id, 'lead', ${statusExpr},
              (d.due AT TIME ZONE 'Asia/Shanghai')::date, d.due, now() - interval '1 day'
         FROM items i
         JOIN u ON u.k = i.ordinal % $6::int
         CROSS JOIN LATERAL (SELECT to_timestamp(($3::float8 + i.ordinal * $4::float8) / 1000.0) AS due) d
        WHERE i.plan_id = $1 AND i.ordinal >= $2::int AND i.ordinal < $2::int + $7::int
        ORDER BY i.ordinal
       RETURNING id`,
      [plan.id, start, options.firstDueMs, options.stepMs, unitIds, unitIds.length, count],
    );
    taskIds.push(...result.rows.map((r) => r.id));
  }
  await db.query('ANALYZE units, plans, items, tasks');
  return { planId: plan.id, unitIds, taskIds };
}

// ---------------------------------------------------------------- mail

export interface ReceivedMail {
  messageId: string;
  at: number;
}

/**
 * A local SMTP server that accepts (or refuses) everything and notes each message's Message-ID
 * and the instant it was accepted. It reads headers only: the figures are about delivery.
 */
export interface BenchSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  refusing: boolean;
  reset(): void;
  close(): Promise<void>;
}

export async function startBenchSmtp(port = 0): Promise<BenchSmtp> {
  const state = { refusing: false };
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      if (state.refusing) {
        const error = new Error('service not available') as Error & { responseCode: number };
        error.responseCode = 421;
        return callback(error);
      }
      callback();
    },
    onMailFrom(_address, _session, callback) {
      if (state.refusing) {
        const error = new Error('try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      let headerDone = false;
      stream.on('data', (chunk: Buffer) => {
        if (!headerDone) {
          chunks.push(chunk);
          if (chunk.includes('\r\n\r\n')) headerDone = true;
        }
      });
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('latin1');
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? `<none-${received.length}>`;
        received.push({ messageId: id, at: Date.now() });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const actual = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${actual}`,
    port: actual,
    received,
    get refusing() {
      return state.refusing;
    },
    set refusing(value: boolean) {
      state.refusing = value;
    },
    reset() {
      received.length = 0;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Counts for a set of messages that should each arrive exactly once. */
export function deliveryCounts(
  expected: number,
  received: readonly ReceivedMail[],
  belongs: (messageId: string) => boolean = () => true,
): { expected: number; delivered: number; lost: number; duplicated: number } {
  const mine = received.filter((r) => belongs(r.messageId));
  const distinct = new Set(mine.map((r) => r.messageId)).size;
  return {
    expected,
    delivered: distinct,
    lost: Math.max(0, expected - distinct),
    duplicated: mine.length - distinct,
  };
}

// ---------------------------------------------------------------- redis

export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}
