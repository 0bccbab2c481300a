import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUE_BACKEND } from '../common/tokens.js';
import {
  type JobName,
  type JobPayloads,
  QueueName,
  queueOfJob,
  SENTINEL_JOB_ID,
} from './job-registry.js';
import type { QueueBackend, QueueBackendKind } from './queue-backend.js';

export interface EnqueueRequest<N extends JobName> {
  name: N;
  data: JobPayloads[N];
  /** Deterministic id: adding a job whose id already exists changes nothing. */
  jobId: string;
  /** When the job should run; now or earlier means at once. */
  runAt: Date;
}

/**
 * Postgres holds the truth; a job only says "look at this row now". Completed jobs are removed at
 * once (nothing reads them), failed ones kept a week for inspection. A job is retried a few times
 * by BullMQ when its handler throws (the database was unreachable); business failures, such as a
 * mail server refusing, are recorded in Postgres and rescheduled there.
 */
const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

const BATCH = 1000;
/** Ten years: long enough never to run. */
const SENTINEL_DELAY_MS = 10 * 365 * 24 * 3600 * 1000;

/** Typed access to the queues: the job name fixes the payload type. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(QUEUE_BACKEND) private readonly backend: QueueBackend) {}

  get backendKind(): QueueBackendKind {
    return this.backend.kind;
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.backend.createQueue(name);
      queue.on('error', (error: Error) =>
        this.logger.error({ message: 'queue error', queue: name, error: error.message }),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Adds jobs in batches. Each batch's delays are computed against the same instant that is given
   * to BullMQ as the jobs' timestamp, so a job runs at its `runAt`, not later by the time spent
   * enqueuing earlier batches.
   */
  async addBulk<N extends JobName>(requests: readonly EnqueueRequest<N>[]): Promise<void> {
    const byQueue = new Map<QueueName, EnqueueRequest<N>[]>();
    for (const request of requests) {
      const queueName = queueOfJob(request.name);
      let list = byQueue.get(queueName);
      if (!list) byQueue.set(queueName, (list = []));
      list.push(request);
    }
    for (const [queueName, list] of byQueue) {
      for (let i = 0; i < list.length; i += BATCH) {
        const timestamp = Date.now();
        await this.queue(queueName).addBulk(
          list.slice(i, i + BATCH).map((r) => ({
            name: r.name,
            data: r.data,
            opts: {
              ...DEFAULT_JOB_OPTIONS,
              jobId: r.jobId,
              timestamp,
              delay: Math.max(0, r.runAt.getTime() - timestamp),
            },
          })),
        );
      }
    }
  }

  /** True when every queue still holds its sentinel job (its data was not wiped). */
  async sentinelsPresent(): Promise<boolean> {
    for (const name of Object.values(QueueName)) {
      if (!(await this.queue(name).getJob(SENTINEL_JOB_ID))) return false;
    }
    return true;
  }

  async placeSentinels(): Promise<void> {
    for (const name of Object.values(QueueName)) {
      await this.queue(name).add(
        'queue.sentinel',
        {},
        { jobId: SENTINEL_JOB_ID, delay: SENTINEL_DELAY_MS, removeOnComplete: true },
      );
    }
  }

  /** Jobs waiting or delayed in a queue (for health and metrics). */
  async counts(name: QueueName): Promise<Record<string, number>> {
    return this.queue(name).getJobCounts('waiting', 'delayed', 'active', 'failed');
  }

  /** Round trip to the queue's datastore, for health checks. */
  async ping(name: QueueName): Promise<void> {
    await this.queue(name).getJobCounts('delayed');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    await this.backend.close();
  }
}
