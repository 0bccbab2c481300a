import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { DigestsService } from './digests.service.js';

/**
 * Sends the weekly digests from the worker processes: every DIGEST_CHECK_SECONDS it asks whether
 * a week's digest time (DIGEST_CRON, moved to the next working day on a day off) has come and its
 * run has not finished. Any number of workers may run it: one takes the turn (an advisory lock),
 * and each recipient's digest is claimed once per week in Postgres, so a restart or a second
 * worker never sends one twice. A week missed while no worker ran is sent late within that week.
 */
@Injectable()
export class DigestTrigger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DigestTrigger.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly digests: DigestsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.digest.checkSeconds;
    if (every > 0) this.timer = setInterval(() => void this.check(), every * 1000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One check (skipped while the previous one in this process is still running). */
  async check(): Promise<void> {
    if (this.running) return;
    this.running = this.digests
      .runDue()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error({ message: 'weekly digests failed', error: String(error) }),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }
}
