import { randomBytes } from 'node:crypto';
import {
  createPostgresBackend,
  createRedisBackend,
  type Job,
  type Queue,
  type Worker,
  withBackend,
} from 'bullmq';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import {
  type BenchSmtp,
  deleteRedisPrefix,
  deliveryCounts,
  latencySummary,
  round,
  sleep,
  until,
} from './support.js';

export type BackendKind = 'redis' | 'postgres';

/** A mail body of about the size of a Duban reminder (text and HTML). */
const TEXT = '请按期完成工作要点所列任务，并在督办系统中报送进展。'.repeat(20);
const HTML = `<p>${TEXT}</p>`;

/**
 * Raw BullMQ doing the minimal honest equivalent of one Duban reminder: a delayed job whose
 * processor inserts one row in PostgreSQL and sends one mail through a pooled SMTP transport,
 * at the same concurrency. The ceiling the reminder pipeline is compared with.
 */
export class RawBullmq {
  private readonly name = `bench-raw-${randomBytes(3).toString('hex')}`;
  private readonly prefix = `duban-bench-raw-${randomBytes(3).toString('hex')}`;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private readonly pool: pg.Pool;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  private readonly redis: Redis | null = null;
  private readonly make: {
    Queue: new (name: string, opts: Record<string, unknown>) => unknown;
    Worker: new (
      name: string,
      processor: (job: Job<{ due: number }>) => Promise<void>,
      opts: Record<string, unknown>,
    ) => unknown;
  };
  private readonly connection: unknown;

  constructor(
    readonly backend: BackendKind,
    private readonly options: {
      redisUrl: string | null;
      databaseUrl: string;
      smtp: BenchSmtp;
      concurrency: number;
    },
  ) {
    this.make = (backend === 'redis'
      ? withBackend(createRedisBackend)
      : withBackend(createPostgresBackend)) as unknown as typeof this.make;
    if (backend === 'redis') {
      this.redis = new Redis(options.redisUrl!, { maxRetriesPerRequest: null });
      this.connection = this.redis;
    } else {
      this.connection = { connectionString: options.databaseUrl, migrate: true, max: 4 };
    }
    this.queue = new this.make.Queue(this.name, {
      connection: this.connection,
      ...(backend === 'redis' ? { prefix: this.prefix } : {}),
    }) as Queue;
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    this.transport = nodemailer.createTransport({
      url: options.smtp.url,
      pool: true,
      maxConnections: 5,
      maxMessages: 500,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async prepare(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, job_id text NOT NULL,
                                             done_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  private start(): void {
    if (this.worker) return;
    this.worker = new this.make.Worker(
      this.name,
      async (job: Job<{ due: number }>) => {
        await this.pool.query('INSERT INTO bench_raw (job_id) VALUES ($1)', [job.id]);
        await this.transport.sendMail({
          from: 'bench@bench.example',
          to: 'unit@bench.example',
          subject: '【督办提醒】工作要点任务即将到期',
          text: TEXT,
          html: HTML,
          messageId: `<raw-${job.id}@bench.example>`,
        });
      },
      {
        connection: this.connection,
        concurrency: this.options.concurrency,
        ...(this.backend === 'redis' ? { prefix: this.prefix } : {}),
      },
    ) as Worker;
    this.worker.on('error', () => undefined);
  }

  /** Adds jobs due at the given instants in batches of 1,000, with BullMQ's timestamp. */
  private async add(label: string, dues: readonly number[]): Promise<number> {
    const started = Date.now();
    for (let i = 0; i < dues.length; i += 1000) {
      const timestamp = Date.now();
      await this.queue.addBulk(
        dues.slice(i, i + 1000).map((due, j) => ({
          name: 'send',
          data: { due },
          opts: {
            jobId: `${label}-${i + j}`,
            timestamp,
            delay: Math.max(0, due - timestamp),
            removeOnComplete: true,
            removeOnFail: { age: 7 * 24 * 3600 },
            attempts: 5,
          },
        })),
      );
    }
    return Date.now() - started;
  }

  /** addBulk rate: `count` jobs due in an hour (removed afterwards, the worker not running). */
  async addBulkRate(count: number): Promise<{ jobs: number; jobsPerSecond: number }> {
    const due = Date.now() + 3600_000;
    const ms = await this.add('far', new Array<number>(count).fill(due));
    await this.queue.obliterate({ force: true });
    return { jobs: count, jobsPerSecond: Math.round(count / (ms / 1000)) };
  }

  /**
   * Runs `count` jobs due at `dueOf(k)` after a lead time for adding them; returns each mail's
   * lag (accepted by the SMTP server − due) and the delivery counts.
   */
  async run(
    label: string,
    count: number,
    dueOf: (k: number, t0: number) => number,
    timeoutMs: number,
  ): Promise<{
    lagMs: number[];
    counts: ReturnType<typeof deliveryCounts>;
    t0: number;
    lastAt: number;
  }> {
    this.start();
    this.options.smtp.reset();
    const t0 = Date.now() + 2000 + count / 5;
    const dues = Array.from({ length: count }, (_, k) => dueOf(k, t0));
    await this.add(label, dues);
    const received = this.options.smtp.received;
    const mine = (id: string) => id.startsWith(`<raw-${label}-`);
    await until(
      () =>
        new Set(received.filter((r) => mine(r.messageId)).map((r) => r.messageId)).size >= count,
      timeoutMs,
      `raw ${this.backend} ${label}: ${count} mails`,
      50,
    ).catch(() => undefined);
    await sleep(300); // late duplicates, if any
    const lagMs: number[] = [];
    let lastAt = 0;
    for (const r of received) {
      if (!mine(r.messageId)) continue;
      const k = Number(/-(\d+)@/.exec(r.messageId)?.[1]);
      lagMs.push(r.at - dues[k]);
      lastAt = Math.max(lastAt, r.at);
    }
    return { lagMs, counts: deliveryCounts(count, received, mine), t0, lastAt };
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    this.transport.close();
    await this.pool.end();
    if (this.redis) {
      await deleteRedisPrefix(this.options.redisUrl!, this.prefix);
      this.redis.disconnect();
    }
  }
}

/** The baseline figures of one backend: addBulk, spread lag, burst drain. */
export async function rawBaseline(
  raw: RawBullmq,
  sizes: { addBulk: number; spread: number; spreadMs: number; burst: number },
): Promise<{
  addBulk: { jobs: number; jobsPerSecond: number };
  spread: Record<string, unknown>;
  burst: Record<string, unknown>;
}> {
  await raw.prepare();
  const addBulk = await raw.addBulkRate(sizes.addBulk);
  const spread = await raw.run(
    'spread',
    sizes.spread,
    (k, t0) => t0 + Math.floor((k * sizes.spreadMs) / sizes.spread),
    sizes.spreadMs + 120_000,
  );
  const burst = await raw.run('burst', sizes.burst, (_k, t0) => t0, 180_000);
  return {
    addBulk,
    spread: {
      jobs: sizes.spread,
      overSeconds: sizes.spreadMs / 1000,
      mailLagMs: latencySummary(spread.lagMs),
      ...spread.counts,
    },
    burst: {
      jobs: sizes.burst,
      drainSeconds: round((burst.lastAt - burst.t0) / 1000),
      jobsPerSecond: Math.round(sizes.burst / ((burst.lastAt - burst.t0) / 1000)),
      mailLagMs: latencySummary(burst.lagMs),
      ...burst.counts,
    },
  };
}
