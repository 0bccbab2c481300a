import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../src/common/tokens.js';
import type { AppConfig } from '../src/config/config.js';
import { MilestoneRemindersService } from '../src/milestones/milestone-reminders.service.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { RemindersService } from '../src/reminders/reminders.service.js';

/**
 * Rebuilds reminder and mail jobs from Postgres at start-up and periodically, so a queue that lost
 * its data (Redis without persistence, a flushed queue) loses no reminder and no message.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(Reconciler.name);
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly reminders: RemindersService,
    private readonly notifications: NotificationsService,
    private readonly milestoneReminders: MilestoneRemindersService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reconcile();
    const seconds = this.config.reconcileIntervalSeconds;
    if (seconds > 0) {
      const timer = setInterval(() => void this.reconcile(), seconds * 1000);
      this.scheduler.addInterval('reminder-reconciler', timer);
    }
  }

  async reconcile(): Promise<void> {
    // Never two passes at once in one process.
    this.running ??= Promise.all([
      this.reminders.reconcile(),
      this.milestoneReminders.reconcile(),
      this.notifications.redispatchPending(),
    ])
      .catch((error: unknown) =>
        this.logger.error({ message: 'reconcile failed', error: String(error) }),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }
}
