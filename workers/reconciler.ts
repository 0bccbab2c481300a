import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../src/common/tokens.js';
import type { AppConfig } from '../src/config/config.js';
import { withTryLock } from '../src/database/advisory-lock.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { ReminderScheduler } from '../src/reminders/reminder-scheduler.service.js';

/**
 * Keeps the queue in step with Postgres: at start-up and every RECONCILE_INTERVAL_SECONDS it moves
 * the reminder horizon forward, fires missed reminders once, and resumes interrupted deliveries;
 * every QUEUE_CHECK_SECONDS it checks that the queue still holds its data and rebuilds it at once
 * when not. One process at a time does the work (an advisory lock); the others skip the turn.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scheduler: ReminderScheduler,
    private readonly queue: JobQueue,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.guard(async () => {
      await this.scheduler.backfillIfEmpty();
      await this.checkQueue();
      await this.scheduler.reconcile();
    });
    const every = this.config.reconcileIntervalSeconds;
    if (every > 0) {
      this.registry.addInterval(
        'reminder-reconciler',
        setInterval(() => void this.reconcile(), every * 1000),
      );
    }
    const check = this.config.queueCheckSeconds;
    if (check > 0) {
      this.registry.addInterval(
        'queue-check',
        setInterval(() => void this.guard(() => this.checkQueue(true)), check * 1000),
      );
    }
  }

  /** No new pass once shutdown begins; the one under way finishes first. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of ['reminder-reconciler', 'queue-check']) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    this.stopped = true;
    await this.running;
  }

  /** One reconcile pass (if no other process is running one). */
  async reconcile(): Promise<void> {
    await this.guard(async () => {
      const result = await this.scheduler.reconcile();
      if (result.late || result.queued || result.resumed) {
        this.logger.log({ message: 'reconciled', ...result });
      }
    });
  }

  /** Checks the queue for lost data now (as the periodic check does), rebuilding it if needed. */
  async checkQueueNow(): Promise<void> {
    await this.guard(() => this.checkQueue(true));
  }

  /** A queue without its sentinel job lost its data: re-queue everything from Postgres now. */
  private async checkQueue(thenReconcile = false): Promise<void> {
    if (await this.queue.sentinelsPresent()) return;
    await this.scheduler.queueLost();
    await this.queue.placeSentinels();
    if (thenReconcile) await this.scheduler.reconcile();
  }

  /** Never two passes at once in this process, and only in one process at a time. */
  private async guard(work: () => Promise<void>): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = withTryLock(this.db, 'reconciler', work)
      .catch((error: unknown) =>
        this.logger.error({ message: 'reconcile failed', error: String(error) }),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }
}
