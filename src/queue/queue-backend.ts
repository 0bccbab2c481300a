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
}): QueueBackend {
  return options.redisUrl
    ? redisQueueBackend(options.redisUrl, options.prefix)
    : postgresQueueBackend(options.databaseUrl);
}

function redisQueueBackend(url: string, prefix: string): QueueBackend {
  const { Queue, Worker } = withBackend(createRedisBackend);
  // Workers need maxRetriesPerRequest: null; one client is shared and duplicated by BullMQ.
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', () => undefined);
  return {
    kind: 'redis',
    createQueue: (name) => new Queue(name, { connection, prefix }),
    createWorker: (name, processor, settings) =>
      new Worker(name, processor, {
        connection,
        prefix,
        concurrency: settings.concurrency,
      }),
    close: async () => {
      connection.disconnect();
    },
  };
}

function postgresQueueBackend(connectionString: string): QueueBackend {
  const { Queue, Worker } = withBackend(createPostgresBackend);
  const connection = { connectionString, migrate: true, max: 4 };
  return {
    kind: 'postgres',
    createQueue: (name) => new Queue(name, { connection }) as unknown as Queue,
    createWorker: (name, processor, settings) =>
      new Worker(name, processor, {
        connection,
        concurrency: settings.concurrency,
      }) as unknown as Worker,
    close: async () => undefined,
  };
}
