import {
  createPostgresBackend,
  createRedisBackend,
  withBackend,
  type Processor,
  type Queue,
  type Worker,
} from 'bullmq';
import { Redis } from 'ioredis';

export type QueueBackendKind = 'redis' | 'postgres';

export interface WorkerSettings {
  concurrency: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is taken over after it. */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock expired. */
  stalledIntervalMs: number;
}

/**
 * Which datastore BullMQ runs on, chosen once per process: Redis when REDIS_URL is set,
 * otherwise BullMQ's PostgreSQL backend inside the application database. The factory is bound
 * explicitly with `withBackend`, never through connection options alone, because Postgres
 * options without the factory silently fall back to Redis on localhost.
 */
export interface QueueBackend {
  readonly kind: QueueBackendKind;
  createQueue(name: string): Queue;
  createWorker(name: string, processor: Processor, settings: WorkerSettings): Worker;
  close(): Promise<void>;
}

export function createQueueBackend(options: {
  redisUrl: string | null;
  databaseUrl: string;
  prefix: string;
  /** Whether the PostgreSQL backend may migrate its schema (false: it was migrated by the owner). */
  migrate?: boolean;
}): QueueBackend {
  return options.redisUrl
    ? redisQueueBackend(options.redisUrl, options.prefix)
    : postgresQueueBackend(options.databaseUrl, options.migrate ?? true);
}

function redisQueueBackend(url: string, prefix: string): QueueBackend {
  const { Queue, Worker } = withBackend(createRedisBackend);
  // Workers block on Redis and must wait through an outage (maxRetriesPerRequest: null); one
  // connection is shared and duplicated by BullMQ.
  const workerConnection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  workerConnection.on('error', () => undefined);
  // Producers answer HTTP requests: with Redis down a command fails at once instead of queueing
  // in memory and hanging the request. Postgres keeps the work; the reconciler re-queues it.
  const producerConnection = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
  producerConnection.on('error', () => undefined);
  return {
    kind: 'redis',
    createQueue: (name) => new Queue(name, { connection: producerConnection, prefix }),
    createWorker: (name, processor, settings) =>
      new Worker(name, processor, {
        connection: workerConnection,
        prefix,
        concurrency: settings.concurrency,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
      }),
    close: async () => {
      workerConnection.disconnect();
      producerConnection.disconnect();
    },
  };
}

function postgresQueueBackend(connectionString: string, migrate: boolean): QueueBackend {
  const { Queue, Worker } = withBackend(createPostgresBackend);
  const connection = { connectionString, migrate, max: 4 };
  return {
    kind: 'postgres',
    createQueue: (name) => new Queue(name, { connection }) as unknown as Queue,
    createWorker: (name, processor, settings) =>
      new Worker(name, processor, {
        connection,
        concurrency: settings.concurrency,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
      }) as unknown as Worker,
    close: async () => undefined,
  };
}
