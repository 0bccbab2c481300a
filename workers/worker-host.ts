import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, QUEUE_BACKEND } from '../src/common/tokens.js';
import type { AppConfig } from '../src/config/config.js';
import { DeliveryService } from '../src/notifications/delivery.service.js';
import {
  type JobHandlers,
  JOB_QUEUE,
  type JobName,
  isJobName,
  QueueName,
} from '../src/queue/job-registry.js';
import type { QueueBackend } from '../src/queue/queue-backend.js';
import { ReminderScheduler } from '../src/reminders/reminder-scheduler.service.js';
import { CadencesService } from '../src/cycles/cadences.service.js';
import { CyclesService } from '../src/cycles/cycles.service.js';

/**
 * Runs one BullMQ worker per queue, after the application has started. The handler map is typed
 * by the job registry, so a job name without a handler does not compile; a job with an unknown
 * name (from a newer release) fails visibly instead of being dropped.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHost.name);
  private readonly workers: Worker[] = [];
  private readonly handlers: JobHandlers;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    scheduler: ReminderScheduler,
    delivery: DeliveryService,
    cycles: CyclesService,
    cadences: CadencesService,
  ) {
    const dropped = (name: string) => async () => {
      this.logger.log({ message: 'job of an earlier release dropped', name });
    };
    this.handlers = {
      'reminder.fire': async (data) => {
        await scheduler.fire(data.occurrenceId, data.fireAt);
      },
      'notification.send': async (data) => {
        await delivery.deliver(data.notificationId);
      },
      'queue.sentinel': async () => undefined,
      'cycle.cadence': async (data) => {
        await cadences.tick(data.cadenceId);
      },
      'cycle.open': async (data) => {
        await cycles.openIfDue(data.cycleId);
      },
      'reminder.send': dropped('reminder.send'),
      'milestone.reminder.send': dropped('milestone.reminder.send'),
    };
  }

  onApplicationBootstrap(): void {
    for (const queue of Object.values(QueueName)) {
      const names = (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => JOB_QUEUE[n] === queue);
      const worker = this.backend.createWorker(queue, (job: Job) => this.run(job), {
        concurrency: this.config.workerConcurrency,
        lockDurationMs: this.config.jobLockSeconds * 1000,
        stalledIntervalMs: Math.max(1000, Math.round((this.config.jobLockSeconds * 1000) / 2)),
      });
      worker.on('failed', (job, error) =>
        this.logger.warn({
          message: 'job failed',
          queue,
          job: job?.id,
          attempts: job?.attemptsMade,
          error: error.message,
        }),
      );
      worker.on('error', (error) =>
        this.logger.error({ message: 'worker error', queue, error: error.message }),
      );
      this.workers.push(worker);
      this.logger.log({
        message: 'worker started',
        queue,
        jobs: names,
        backend: this.backend.kind,
      });
    }
  }

  private async run(job: Job): Promise<void> {
    if (!isJobName(job.name)) throw new Error(`no handler for job "${job.name}"`);
    const name: JobName = job.name;
    // Errors propagate so BullMQ retries and keeps failed jobs.
    await (this.handlers[name] as (data: unknown) => Promise<void>)(job.data);
  }

  /**
   * Before the database and the queues close: stop taking jobs and let running ones finish for up
   * to 10 s; a job cut short is taken over by another worker once its lock expires.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
    if ((await Promise.race([closing, timeout])) === 'timeout') {
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
  }
}
