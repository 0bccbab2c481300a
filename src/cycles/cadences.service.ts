import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import type { Actor } from '../auth/permissions.js';
import { isValidDate } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { AfterCommit } from '../common/after-commit.js';
import { Clock } from '../common/clock.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG, PROCESS_ROLE, type ProcessRole } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { QueueName } from '../queue/job-registry.js';
import {
  type CadenceKind,
  type CadencePeriod,
  cronProblem,
  currentPeriod,
  tickPattern,
} from './cycle-rules.js';
import { type Cadence, CyclesRepository } from './cycles.repository.js';
import { cadenceSchedulerId, CyclesService } from './cycles.service.js';

export interface CadenceInput {
  kind: CadenceKind;
  /** For kind 'cron': five fields (minute hour day month weekday), business time zone. */
  cron?: string;
  /** 'HH:mm' at which month and quarter periods open; default 09:00. */
  openAt?: string;
  title?: string;
  scope?: unknown;
  dueWorkdays: number;
  reminders?: string[];
  /** No period starting before this business date is opened; default today. */
  startsOn?: string;
}

export interface CadenceView {
  id: string;
  planId: string;
  kind: CadenceKind;
  cron: string | null;
  openAt: string;
  title: string;
  scope: Cadence['scope'];
  dueWorkdays: number;
  reminders: string[];
  startsOn: string;
  active: boolean;
  /** The period open now (or last opened), if any has started. */
  currentPeriod: { key: string; label: string; opensOn: string } | null;
}

const view = (c: Cadence, period: CadencePeriod | null): CadenceView => ({
  id: c.id,
  planId: c.planId,
  kind: c.kind,
  cron: c.cron,
  openAt: c.openAt,
  title: c.title,
  scope: c.scope,
  dueWorkdays: c.dueWorkdays,
  reminders: c.reminderOffsets,
  startsOn: c.startsOn,
  active: c.active,
  currentPeriod: period ? { key: period.key, label: period.label, opensOn: period.opensOn } : null,
});

/**
 * Recurring review cycles: a cadence (monthly, quarterly or cron) of a plan. Each has a BullMQ job
 * scheduler that ticks it (`cycle.cadence`); a tick opens the cadence's current period unless it
 * is open already. Schedulers never backfill, so when workers start (and every reconcile
 * interval) every cadence is caught up the same way: the period that started while nothing ran
 * is opened once — the unique (plan, cadence, period) index makes a second opening, in this
 * process or another, a no-op.
 */
@Injectable()
export class CadencesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CadencesService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: CyclesRepository,
    private readonly cycles: CyclesService,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    private readonly queue: JobQueue,
    private readonly afterCommit: AfterCommit,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  private get runsJobs(): boolean {
    return this.role === 'worker' || this.role === 'all';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsJobs) return;
    await this.catchUpSafely();
    const every = this.config.reconcileIntervalSeconds;
    if (every > 0) {
      this.timer = setInterval(() => void this.catchUpSafely(), every * 1000);
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async catchUpSafely(): Promise<void> {
    if (this.running) return;
    this.running = this.catchUp()
      .catch((error: unknown) =>
        this.logger.error({ message: 'cycle catch-up failed', error: String(error) }),
      )
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  /**
   * Every active cadence: its job scheduler is in place and its current period open; every
   * scheduled ad hoc cycle whose day has come is open. Returns the cycles this call opened.
   */
  async catchUp(): Promise<string[]> {
    const opened: string[] = [];
    for (const cadence of await this.repo.activeCadences(this.repo.manager)) {
      // A queue that cannot take the scheduler now does not hold the period back: the next
      // catch-up places it again.
      await this.ensureScheduler(cadence).catch((error: unknown) =>
        this.logger.warn({
          message: 'cadence scheduler not placed',
          cadenceId: cadence.id,
          error: String(error),
        }),
      );
      const id = await this.openCurrent(cadence);
      if (id) opened.push(id);
    }
    for (const id of await this.repo.scheduledDue(this.repo.manager, this.cycles.today())) {
      if (await this.cycles.openIfDue(id)) opened.push(id);
    }
    if (opened.length) this.logger.log({ message: 'review cycles opened on catch-up', opened });
    return opened;
  }

  /** The `cycle.cadence` job: opens the cadence's current period if it is not open yet. */
  async tick(cadenceId: string): Promise<string | null> {
    const cadence = await this.repo.cadence(this.repo.manager, cadenceId);
    if (!cadence || !cadence.active) return null;
    return this.openCurrent(cadence);
  }

  private async openCurrent(cadence: Cadence): Promise<string | null> {
    const period = this.periodOf(cadence);
    return period ? this.cycles.openPeriod(cadence, period) : null;
  }

  private periodOf(cadence: Cadence): CadencePeriod | null {
    return currentPeriod(cadence, this.clock.now(), this.calendar, this.config.businessTz);
  }

  /**
   * Puts the cadence's job scheduler in place unless it is there already. Two processes placing it
   * at the same moment may make one of them fail; that one finds it placed and is content.
   */
  private async ensureScheduler(cadence: Cadence): Promise<void> {
    const queue = this.queue.queue(QueueName.Reminders);
    const id = cadenceSchedulerId(cadence.id);
    const pattern = tickPattern(cadence);
    const tz = this.config.businessTz;
    const placed = async () => {
      const existing = await queue.getJobScheduler(id);
      return existing?.pattern === pattern && existing.tz === tz;
    };
    if (await placed()) return;
    try {
      await queue.upsertJobScheduler(
        id,
        { pattern, tz },
        {
          name: 'cycle.cadence',
          data: { cadenceId: cadence.id },
          opts: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
        },
      );
    } catch (error) {
      if (!(await placed())) throw error;
    }
  }

  async create(actor: Actor, planId: string, input: CadenceInput): Promise<CadenceView> {
    this.authorizer.require(actor, 'cycle.manage');
    const scope = this.cycles.parseScopeOrFail(input.scope);
    const reminders = this.cycles.parseRemindersOrFail(input.reminders);
    this.cycles.checkDueWorkdays(input.dueWorkdays);
    const bad = (field: string, message: string) =>
      new InvalidInputException(`${field}：${message}`, [{ field, message }]);
    let cron: string | null = null;
    if (input.kind === 'cron') {
      if (!input.cron?.trim()) throw bad('cron', 'kind 为 cron 时必填，例如 0 9 1 * *');
      cron = input.cron.trim();
      const problem = cronProblem(cron, this.config.businessTz);
      if (problem) throw bad('cron', problem);
    } else if (input.cron) {
      throw bad('cron', '只在 kind 为 cron 时使用');
    }
    const openAt = input.openAt ?? '09:00';
    const hm = /^(\d{2}):(\d{2})$/.exec(openAt);
    if (!hm || Number(hm[1]) > 23 || Number(hm[2]) > 59) {
      throw bad('openAt', '须为 HH:mm（00:00–23:59），例如 09:00');
    }
    const startsOn = input.startsOn ?? this.cycles.today();
    if (!isValidDate(startsOn)) throw bad('startsOn', '须为有效日期 YYYY-MM-DD');
    // A period's cycle is called '<period label><title>': '2022年第二季度督导'.
    const title = input.title?.trim() || '督导';
    const id = await this.tx.run(async (m) => {
      await this.cycles.requirePlan(m, planId);
      await this.cycles.checkScopeOfPlan(m, planId, scope);
      const row = {
        planId,
        kind: input.kind,
        cron,
        openAt,
        title,
        scope,
        dueWorkdays: input.dueWorkdays,
        reminderOffsets: reminders,
        startsOn,
        createdBy: actor.userId,
      };
      const cadenceId = await this.repo.insertCadence(m, row);
      await this.audit.record(m, {
        actor,
        action: 'cadence.create',
        entityType: 'review_cadence',
        entityId: cadenceId,
        after: row,
      });
      return cadenceId;
    });
    const cadence = (await this.repo.cadence(this.repo.manager, id))!;
    this.afterCommit.run('schedule review cadence', async () => {
      await this.ensureScheduler(cadence);
      await this.openCurrent(cadence);
    });
    return view(cadence, this.periodOf(cadence));
  }

  async list(actor: Actor, planId: string): Promise<CadenceView[]> {
    this.authorizer.require(actor, 'plan.read');
    await this.cycles.requirePlan(this.repo.manager, planId);
    const cadences = await this.repo.cadencesOfPlan(this.repo.manager, planId);
    return cadences.map((c) => view(c, c.active ? this.periodOf(c) : null));
  }

  /** Stops a cadence: no further period opens; cycles already opened stay as they are. */
  async stop(actor: Actor, cadenceId: string): Promise<CadenceView> {
    this.authorizer.require(actor, 'cycle.manage');
    await this.tx.run(async (m) => {
      const cadence = await this.repo.cadence(m, cadenceId);
      if (!cadence) throw new NotFoundError(`督导周期计划 ${cadenceId} 不存在`);
      if (await this.repo.stopCadence(m, cadenceId)) {
        await this.audit.record(m, {
          actor,
          action: 'cadence.stop',
          entityType: 'review_cadence',
          entityId: cadenceId,
          before: { active: true },
          after: { active: false },
        });
      }
    });
    this.afterCommit.run('remove review cadence scheduler', () =>
      this.queue.queue(QueueName.Reminders).removeJobScheduler(cadenceSchedulerId(cadenceId)),
    );
    const cadence = (await this.repo.cadence(this.repo.manager, cadenceId))!;
    return view(cadence, null);
  }
}
