import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { QUEUE_BACKEND } from '../src/common/tokens.js';
import {
  type JobHandlers,
  JOB_QUEUE,
  type JobName,
  isJobName,
  QueueName,
} from '../src/queue/job-registry.js';
import type { QueueBackend } from '../src/queue/queue-backend.js';
import { MilestoneRemindersService } from '../src/milestones/milestone-reminders.service.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { ReminderProcessor } from './reminder.processor.js';

/**
 * Runs one BullMQ worker per queue, after the application has started. The handler map is typed
 * by the job registry, so a job name without a handler does not compile; a job with an unknown
 * name (from an older or newer release) fails visibly instead of being dropped.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHost.name);
  private readonly workers: Worker[] = [];
  private readonly handlers: JobHandlers;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackend,
    reminders: ReminderProcessor,
    notifications: NotificationsService,
    milestoneReminders: MilestoneRemindersService,
  ) {
    this.handlers = {
      'reminder.send': (data) => reminders.process(data),
      'milestone.reminder.send': async (data) => {
        await milestoneReminders.deliver(data);
      },
      'notification.send': async (data) => {
        await notifications.deliver(data.notificationId);
      },
    };
  }

  onApplicationBootstrap(): void {
    for (const queue of Object.values(QueueName)) {
      const names = (Object.keys(JOB_QUEUE) as JobName[]).filter((n) => JOB_QUEUE[n] === queue);
      const worker = this.backend.createWorker(queue, (job: Job) => this.run(job), {
        concurrency: 8,
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

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
