import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { QUEUE_BACKEND } from '../common/tokens.js';
import { type JobName, type JobPayloads, type QueueName, queueOfJob } from './job-registry.js';
import type { QueueBackend, QueueBackendKind } from './queue-backend.js';

export interface EnqueueRequest<N extends JobName> {
  name: N;
  data: JobPayloads[N];
  /** Deterministic id: adding a job whose id already exists changes nothing. */
  jobId: string;
  delayMs: number;
}

const DEFAULT_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: 14 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 60 * 24 * 3600 },
} as const;

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

  async addBulk<N extends JobName>(requests: readonly EnqueueRequest<N>[]): Promise<void> {
    const byQueue = new Map<QueueName, EnqueueRequest<N>[]>();
    for (const request of requests) {
      const queueName = queueOfJob(request.name);
      byQueue.set(queueName, [...(byQueue.get(queueName) ?? []), request]);
    }
    for (const [queueName, batch] of byQueue) {
      for (let i = 0; i < batch.length; i += 500) {
        await this.queue(queueName).addBulk(
          batch.slice(i, i + 500).map((r) => ({
            name: r.name,
            data: r.data,
            opts: { ...DEFAULT_JOB_OPTIONS, jobId: r.jobId, delay: Math.max(0, r.delayMs) },
          })),
        );
      }
    }
  }

  /** Removes waiting/delayed jobs by id; ids that no longer exist are ignored. */
  async remove(name: JobName, jobIds: readonly string[]): Promise<void> {
    const queue = this.queue(queueOfJob(name));
    for (const jobId of jobIds) {
      try {
        await queue.remove(jobId);
      } catch (error) {
        // A job that is running right now cannot be removed; its processor re-checks the task.
        this.logger.warn({ message: 'could not remove job', jobId, error: String(error) });
      }
    }
  }

  async getJob(name: JobName, jobId: string): Promise<Job | undefined> {
    return this.queue(queueOfJob(name)).getJob(jobId);
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
