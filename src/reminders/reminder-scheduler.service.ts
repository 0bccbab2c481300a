import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AfterCommit } from '../common/after-commit.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { DeliveryService } from '../notifications/delivery.service.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { OccurrencesRepository, type QueuedOccurrence } from './occurrences.repository.js';
import {
  type ReminderSource,
  type ReminderSourceName,
  SKIP_REASON,
  type SubjectPlan,
} from './reminder-source.js';

/** The queue job of an occurrence at its planned time. */
export function reminderJobId(o: { id: string; fireAt: Date }): string {
  return `occ_${o.id}_${o.fireAt.getTime()}`;
}

/** The reminder sources of this installation (task deadlines, milestone dates, …). */
export const REMINDER_SOURCE_LIST = Symbol('REMINDER_SOURCE_LIST');

export type FireOutcome = 'sent' | 'stale' | 'skipped' | 'not-scheduled';

/** An occurrence more than this late is "missed": only the latest of its subject is sent. */
const MISSED_AFTER_MS = 60_000;
const BATCH = 5_000;

/**
 * The one reminder pipeline. Sources plan occurrences inside the transaction of the change that
 * decides them (`replan`, `cancel`); after the commit, those due within the horizon go on the
 * queue. A periodic pass (`reconcile`, one process at a time) moves the horizon forward, re-queues
 * what a lost queue dropped, fires a missed reminder once, late, instead of a storm, and sends
 * messages whose delivery was interrupted. Firing takes an occurrence exactly once and writes its
 * messages to the outbox in the same transaction; they are sent right after the commit.
 */
@Injectable()
export class ReminderScheduler {
  private readonly logger = new Logger(ReminderScheduler.name);
  private readonly sources: Map<ReminderSourceName, ReminderSource>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly occurrences: OccurrencesRepository,
    private readonly queue: JobQueue,
    private readonly outbox: OutboxService,
    private readonly delivery: DeliveryService,
    private readonly afterCommit: AfterCommit,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    @Inject(REMINDER_SOURCE_LIST) sources: readonly ReminderSource[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sources = new Map(sources.map((s) => [s.name, s]));
  }

  private get horizonMs(): number {
    return this.config.reminderHorizonHours * 3600_000;
  }

  /**
   * Replaces the plans of these subjects in the caller's transaction. Call `queueSoon` with the
   * result after the commit.
   */
  async replan(
    m: EntityManager,
    source: ReminderSourceName,
    plans: readonly SubjectPlan[],
  ): Promise<QueuedOccurrence[]> {
    if (plans.length === 0) return [];
    return this.occurrences.replan(m, source, plans, SKIP_REASON.replanned);
  }

  /** Cancels everything scheduled for these subjects, in the caller's transaction. */
  async cancel(
    m: EntityManager,
    source: ReminderSourceName,
    subjectIds: readonly string[],
    reason: string = SKIP_REASON.replanned,
  ): Promise<void> {
    if (subjectIds.length > 0) await this.occurrences.cancel(m, source, subjectIds, reason);
  }

  /** After commit: queues the occurrences that fall due within the horizon, in the background. */
  queueSoon(scheduled: readonly QueuedOccurrence[]): void {
    const until = this.clock.now().getTime() + this.horizonMs;
    const soon = scheduled.filter((o) => o.fireAt.getTime() < until);
    if (soon.length === 0) return;
    this.afterCommit.run('queue reminders', () => this.enqueue(soon));
  }

  /**
   * Puts occurrences on the queue, each as a job named by the occurrence and its fire time: an
   * occurrence moved by a replan (another send time, another calendar) gets a new job, and the
   * old one, when it runs, finds nothing to fire at its time. `now`: due already, run at once.
   */
  private async enqueue(list: readonly QueuedOccurrence[], now = false): Promise<void> {
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = list.slice(i, i + BATCH);
      const runNow = this.clock.now();
      await this.queue.addBulk(
        batch.map((o) => ({
          name: 'reminder.fire' as const,
          jobId: reminderJobId(o),
          runAt: now ? runNow : o.fireAt,
          data: { occurrenceId: o.id, fireAt: o.fireAt.toISOString() },
        })),
      );
      await this.occurrences.markQueued(batch.map((o) => o.id));
    }
  }

  /**
   * Fires one occurrence: takes it (once), lets its source decide the messages, writes them to the
   * outbox — already claimed for delivery — and commits; then sends them. The occurrence's task is
   * locked first, in the order every change of a task takes its locks: a report submitted at the
   * same moment either comes first (and the reminder is cancelled) or waits for it.
   */
  async fire(occurrenceId: string, fireAt?: string): Promise<FireOutcome> {
    const now = this.clock.now();
    const nothing = { deliveryIds: [] as string[], next: [] as QueuedOccurrence[] };
    const decided = await this.db.transaction(async (m) => {
      await this.occurrences.lockTaskOf(m, occurrenceId);
      const occurrence = await this.occurrences.take(
        m,
        occurrenceId,
        fireAt ? new Date(fireAt) : null,
      );
      if (!occurrence) return { outcome: 'not-scheduled' as const, ...nothing };
      const source = this.sources.get(occurrence.source);
      if (!source) throw new Error(`no reminder source "${occurrence.source}"`);
      const result = await source.fire(m, occurrence, now);
      if (result.kind === 'stale') {
        await this.occurrences.settle(m, occurrence.id, 'cancelled', result.reason);
        return { outcome: 'stale' as const, ...nothing };
      }
      const skip = async (reason: string) => {
        await this.occurrences.settle(m, occurrence.id, 'skipped', reason);
        this.metrics.messages.inc({
          kind: occurrence.source,
          channel: 'email',
          outcome: 'skipped',
        });
        return { outcome: 'skipped' as const, ...nothing };
      };
      if (result.kind === 'skipped') return skip(result.reason);
      // Lag is measured from when the reminder was due, not from when it was taken.
      const messages = result.messages.map((msg) => ({
        ...msg,
        scheduledFor: msg.scheduledFor ?? occurrence.fireAt,
      }));
      const recorded = await this.outbox.record(m, messages, { claim: true });
      const next = await this.occurrences.add(m, occurrence.source, occurrence, result.next ?? []);
      if (recorded.recipients === 0) return { ...(await skip(SKIP_REASON.noRecipient)), next };
      return { outcome: 'sent' as const, deliveryIds: recorded.deliveryIds, next };
    });
    this.queueSoon(decided.next);
    let deliveries: string[] = [];
    try {
      if (decided.deliveryIds.length > 0)
        deliveries = await this.delivery.deliverClaimed(decided.deliveryIds);
    } catch (error) {
      // Committed and claimed: when the claim's lease runs out, the reconciler sends them.
      this.logger.warn({
        message: 'reminder messages not sent yet; resumed after their lease',
        occurrenceId,
        error: String(error),
      });
    }
    if (decided.outcome !== 'not-scheduled') {
      this.logger.log({
        message: 'reminder delivered',
        occurrenceId,
        outcome: decided.outcome,
        sent: deliveries.filter((d) => d === 'sent').length,
        retrying: deliveries.filter((d) => d === 'retrying').length,
      });
    }
    return decided.outcome;
  }

  /**
   * One pass of the reconciler: missed occurrences fired once (latest per subject), the horizon
   * queued, interrupted deliveries resumed. Its cost follows what falls due soon, not the size of
   * the plan. Returns what it did.
   */
  async reconcile(): Promise<{ late: number; queued: number; resumed: number }> {
    const timer = this.metrics.reconcileDuration.startTimer();
    try {
      return await this.reconcilePass();
    } finally {
      timer();
    }
  }

  private async reconcilePass(): Promise<{ late: number; queued: number; resumed: number }> {
    const late = await this.occurrences.catchUp(MISSED_AFTER_MS, SKIP_REASON.superseded, BATCH);
    if (late.length > 0) {
      // Due already: a job that still exists for one of them is left as it is (same id).
      await this.enqueue(late, true);
    }
    let queued = 0;
    const until = new Date(this.clock.now().getTime() + this.horizonMs);
    for (;;) {
      const batch = await this.occurrences.unqueued(until, BATCH);
      if (batch.length === 0) break;
      await this.enqueue(batch);
      queued += batch.length;
      if (batch.length < BATCH) break;
    }
    const stranded = await this.outboxStranded();
    return { late: late.length, queued, resumed: stranded };
  }

  private async outboxStranded(): Promise<number> {
    const rows = await this.outbox.stranded(30_000, BATCH);
    if (rows.length === 0) return 0;
    await this.outbox.enqueue(
      rows.map((r) => r.id),
      rows.map((r) => r.attempts),
    );
    return rows.length;
  }

  /** After the queue lost its data: everything scheduled goes back on it in the next pass. */
  async queueLost(): Promise<void> {
    const count = await this.occurrences.forgetQueued();
    this.logger.warn({ message: 'queue data lost; re-queuing from Postgres', occurrences: count });
  }

  /**
   * Re-plans every subject of every source from its current state — after a change that moves
   * reminders of many subjects at once (the working calendar). Returns the subjects planned.
   */
  async replanAll(): Promise<number> {
    let planned = 0;
    for (const source of this.sources.values()) {
      const scheduled = await this.db.transaction(async (m) => {
        const plans = await source.backfill(m, this.clock.now());
        planned += plans.length;
        return this.replan(m, source.name, plans);
      });
      this.queueSoon(scheduled);
    }
    return planned;
  }

  /**
   * Plans the subjects of every source that has nothing stored yet (a database from before the
   * source existed). Once a source has any occurrence, its plans are kept by the changes that
   * decide them.
   */
  async backfillIfEmpty(): Promise<number> {
    let planned = 0;
    for (const source of this.sources.values()) {
      if (!(await this.occurrences.isEmpty(source.name))) continue;
      const scheduled = await this.db.transaction(async (m) => {
        const plans = await source.backfill(m, this.clock.now());
        planned += plans.length;
        return this.replan(m, source.name, plans);
      });
      this.queueSoon(scheduled);
    }
    if (planned > 0) this.logger.log({ message: 'reminder plans backfilled', subjects: planned });
    return planned;
  }
}
