import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { MailerService } from '../notifications/mailer.service.js';
import { type EnqueueRequest, JobQueue } from '../queue/job-queue.service.js';
import type { JobPayloads } from '../queue/job-registry.js';
import { parseOffset, type ReminderPolicy } from '../reminders/reminder-policy.js';
import type { ScheduledReminder } from '../reminders/reminder-schedule.js';
import { RemindersService, SKIP_REASON } from '../reminders/reminders.service.js';
import { AWAITING_UNIT_SQL, awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import {
  composeMilestoneReminderMail,
  describeDeadline,
  milestoneReminderDedupeKey,
  milestoneReminderJobId,
} from './milestone-rules.js';

/** Notification kind of milestone reminders. */
export const MILESTONE_REMINDER_KIND = 'milestone.reminder';

/** What scheduling needs to know of a milestone. */
export interface SchedulableMilestone {
  id: string;
  taskId: string;
  dueAt: Date;
  /** Reminders due before this instant are recorded as skipped, never sent. */
  remindersPlannedAt: Date;
  policy: ReminderPolicy | null;
}

interface SkippedReminder {
  milestone: SchedulableMilestone;
  reminder: ScheduledReminder;
  reason: string;
}

export type MilestoneDeliveryOutcome = 'sent' | 'stale' | 'duplicate' | 'skipped';

interface DeliveryRow {
  id: string;
  task_id: string;
  title: string;
  due_at: Date;
  done_at: Date | null;
  task_status: TaskStatus;
  task_due_at: Date;
  unit_name: string;
  unit_email: string | null;
  item_number: number;
  item_title: string;
  plan_title: string;
  reminder_policy: ReminderPolicy | null;
}

/**
 * Milestone reminders: the plan's reminder policy applied to each open milestone's date, queued as
 * delayed jobs with deterministic ids. Like task reminders, the schedule is derived from Postgres
 * and rebuilt by `reconcile`; the processor re-reads everything before sending.
 */
@Injectable()
export class MilestoneRemindersService {
  private readonly logger = new Logger(MilestoneRemindersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reminders: RemindersService,
    private readonly queue: JobQueue,
    private readonly mailer: MailerService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues the reminders of milestones whose date was just set (committed). Reminders already due
   * when the date was set are recorded as skipped.
   */
  async schedule(milestones: readonly SchedulableMilestone[]): Promise<void> {
    const now = this.clock.now();
    const jobs: EnqueueRequest<'milestone.reminder.send'>[] = [];
    const skipped: SkippedReminder[] = [];
    for (const milestone of milestones) {
      for (const reminder of this.reminders.remindersOf(milestone, milestone.policy)) {
        if (reminder.fireAt.getTime() < milestone.remindersPlannedAt.getTime()) {
          skipped.push({ milestone, reminder, reason: SKIP_REASON.pastWhenScheduled });
        } else {
          jobs.push(this.job(milestone, reminder, now));
        }
      }
    }
    await this.recordSkipped(skipped);
    await this.queue.addBulk(jobs);
  }

  /** Removes the queued reminders computed for a milestone's previous date (or policy). */
  async unschedule(
    milestones: readonly Pick<SchedulableMilestone, 'id' | 'dueAt' | 'policy'>[],
  ): Promise<void> {
    const ids = milestones.flatMap((m) =>
      this.reminders
        .remindersOf(m, m.policy)
        .map((r) =>
          milestoneReminderJobId({ milestoneId: m.id, offset: r.offset, dueAt: m.dueAt }),
        ),
    );
    await this.queue.remove('milestone.reminder.send', ids);
  }

  /**
   * After a plan's reminder policy changed (and committed): replaces the queued reminders of its
   * open milestones. Reminders of the new policy already due now are recorded as skipped. Until
   * this is called, the processor drops the old policy's jobs and the next reconcile pass queues
   * the new ones.
   */
  async replan(
    planId: string,
    previous: ReminderPolicy | null,
    next: ReminderPolicy | null,
  ): Promise<void> {
    const now = this.clock.now();
    const rows: { id: string; task_id: string; due_at: Date }[] = await this.db.query(
      `SELECT m.id, m.task_id, m.due_at FROM milestones m JOIN tasks t ON t.id = m.task_id
         JOIN items i ON i.id = t.item_id
        WHERE i.plan_id = $1 AND m.done_at IS NULL AND t.status IN ${AWAITING_UNIT_SQL}`,
      [planId],
    );
    const milestones = rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      dueAt: new Date(r.due_at),
      remindersPlannedAt: now,
    }));
    await this.unschedule(milestones.map((m) => ({ ...m, policy: previous })));
    await this.schedule(milestones.map((m) => ({ ...m, policy: next })));
  }

  /**
   * Rebuilds the queue from Postgres: every open milestone of a task awaiting its unit gets the
   * jobs of its reminders that have no notification record yet. Reminders missed while nothing ran
   * are sent late, but only the most recent one per milestone. A reminder due before the milestone
   * date was set, or before the task last (re)started waiting for its unit or had its policy
   * changed, is recorded as skipped.
   */
  async reconcile(): Promise<{ milestones: number; enqueued: number; skipped: number }> {
    const now = this.clock.now();
    let lastId = '00000000-0000-0000-0000-000000000000';
    let count = 0;
    let enqueued = 0;
    let skippedCount = 0;
    for (;;) {
      const rows: {
        id: string;
        task_id: string;
        due_at: Date;
        planned_at: Date;
        reminder_policy: ReminderPolicy | null;
      }[] = await this.db.query(
        `SELECT m.id, m.task_id, m.due_at,
                greatest(m.reminders_planned_at, t.reminders_planned_at) AS planned_at,
                p.reminder_policy
           FROM milestones m JOIN tasks t ON t.id = m.task_id
           JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
          WHERE m.done_at IS NULL AND t.status IN ${AWAITING_UNIT_SQL} AND m.id > $1
          ORDER BY m.id LIMIT 1000`,
        [lastId],
      );
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      count += rows.length;
      const recorded = await this.recordedKeys(rows.map((r) => r.task_id));
      const jobs: EnqueueRequest<'milestone.reminder.send'>[] = [];
      const skipped: SkippedReminder[] = [];
      for (const row of rows) {
        const milestone: SchedulableMilestone = {
          id: row.id,
          taskId: row.task_id,
          dueAt: new Date(row.due_at),
          remindersPlannedAt: new Date(row.planned_at),
          policy: row.reminder_policy,
        };
        const pending = this.reminders.remindersOf(milestone, milestone.policy).filter(
          (r) =>
            !recorded.has(
              milestoneReminderDedupeKey({
                milestoneId: milestone.id,
                offset: r.offset,
                dueAt: milestone.dueAt,
              }),
            ),
        );
        const missed: ScheduledReminder[] = [];
        for (const reminder of pending) {
          if (reminder.fireAt.getTime() < milestone.remindersPlannedAt.getTime()) {
            skipped.push({ milestone, reminder, reason: SKIP_REASON.pastWhenScheduled });
          } else if (reminder.fireAt.getTime() <= now.getTime()) {
            missed.push(reminder);
          } else {
            jobs.push(this.job(milestone, reminder, now));
          }
        }
        const latest = missed.at(-1);
        for (const reminder of missed.slice(0, -1)) {
          skipped.push({ milestone, reminder, reason: SKIP_REASON.superseded });
        }
        if (latest) jobs.push(this.job(milestone, latest, now));
      }
      await this.recordSkipped(skipped);
      await this.queue.addBulk(jobs);
      enqueued += jobs.length;
      skippedCount += skipped.length;
    }
    this.logger.log({
      message: 'milestone reminders reconciled',
      milestones: count,
      enqueued,
      skipped: skippedCount,
    });
    return { milestones: count, enqueued, skipped: skippedCount };
  }

  /**
   * Delivers one milestone reminder job. Everything is re-read; a reminder that no longer belongs
   * to the milestone's schedule (milestone done or deleted, task no longer awaiting its unit, date
   * or policy changed) is dropped. The notification row, locked while the mail is sent, makes a
   * retried or re-enqueued job send nothing twice.
   */
  async deliver(job: JobPayloads['milestone.reminder.send']): Promise<MilestoneDeliveryOutcome> {
    const [row]: DeliveryRow[] = await this.db.query(
      `SELECT m.id, m.task_id, m.title, m.due_at, m.done_at,
              t.status AS task_status, t.due_at AS task_due_at, u.name AS unit_name,
              coalesce((SELECT string_agg(c.email, ', ' ORDER BY c.role, c.email) FROM users c
                         WHERE c.unit_id = t.unit_id AND c.active AND c.role IN ('unit_head', 'unit_member')),
                       u.email) AS unit_email,
              i.number AS item_number, i.title AS item_title, p.title AS plan_title, p.reminder_policy
         FROM milestones m JOIN tasks t ON t.id = m.task_id JOIN units u ON u.id = t.unit_id
         JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE m.id = $1`,
      [job.milestoneId],
    );
    const dueAt = row ? new Date(row.due_at) : null;
    const stillScheduled =
      row !== undefined &&
      dueAt !== null &&
      row.done_at === null &&
      awaitsUnit(row.task_status) &&
      dueAt.getTime() === Date.parse(job.dueAt) &&
      this.reminders
        .remindersOf({ dueAt }, row.reminder_policy)
        .some((r) => r.offset === job.offset && r.fireAt.getTime() === Date.parse(job.fireAt));
    if (!row || !dueAt || !stillScheduled) {
      this.logger.log({ message: 'stale milestone reminder dropped', ...job });
      return 'stale';
    }

    const dedupeKey = milestoneReminderDedupeKey({
      milestoneId: row.id,
      offset: job.offset,
      dueAt,
    });
    const tz = this.config.businessTz;
    const failed: { error?: Error } = {};
    const outcome = await this.db.transaction(async (m): Promise<MilestoneDeliveryOutcome> => {
      await m.query(
        `INSERT INTO notifications (dedupe_key, kind, task_id, milestone_id, recipient, status, scheduled_for)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (dedupe_key) DO NOTHING`,
        [dedupeKey, MILESTONE_REMINDER_KIND, row.task_id, row.id, row.unit_email, job.fireAt],
      );
      const [note]: { id: string; status: string }[] = await m.query(
        `SELECT id, status FROM notifications WHERE dedupe_key = $1 FOR UPDATE`,
        [dedupeKey],
      );
      if (!note) throw new Error(`notification ${dedupeKey} vanished`);
      if (note.status === 'sent' || note.status === 'skipped') return 'duplicate';
      if (!row.unit_email) {
        await m.query(`UPDATE notifications SET status = 'skipped', reason = $2 WHERE id = $1`, [
          note.id,
          SKIP_REASON.noRecipient,
        ]);
        return 'skipped';
      }
      const mail = composeMilestoneReminderMail({
        planTitle: row.plan_title,
        itemNumber: row.item_number,
        itemTitle: row.item_title,
        unitName: row.unit_name,
        milestoneTitle: row.title,
        deadline: describeDeadline(dueAt, tz),
        taskDeadline: describeDeadline(new Date(row.task_due_at), tz),
        offset: parseOffset(job.offset),
      });
      try {
        const sent = await this.mailer.send({ to: row.unit_email, ...mail });
        await m.query(
          `UPDATE notifications SET status = 'sent', sent_at = now(), subject = $2, recipient = $3,
                  body = $4, html = $5, message_id = $6, reason = NULL, attempts = attempts + 1
            WHERE id = $1`,
          [note.id, mail.subject, row.unit_email, mail.text, mail.html, sent.messageId],
        );
        return 'sent';
      } catch (error) {
        failed.error = error instanceof Error ? error : new Error(String(error));
        await m.query(
          `UPDATE notifications SET status = 'failed', subject = $2, body = $3, html = $4,
                  reason = $5, attempts = attempts + 1 WHERE id = $1`,
          [note.id, mail.subject, mail.text, mail.html, failed.error.message],
        );
        return 'skipped';
      }
    });
    // Let the queue retry a failed send; the failure is already on the notification record.
    if (failed.error) throw failed.error;
    this.logger.log({
      message: 'milestone reminder delivered',
      outcome,
      milestoneId: row.id,
      offset: job.offset,
    });
    return outcome;
  }

  private job(
    milestone: SchedulableMilestone,
    reminder: ScheduledReminder,
    now: Date,
  ): EnqueueRequest<'milestone.reminder.send'> {
    const ref = { milestoneId: milestone.id, offset: reminder.offset, dueAt: milestone.dueAt };
    return {
      name: 'milestone.reminder.send',
      jobId: milestoneReminderJobId(ref),
      delayMs: reminder.fireAt.getTime() - now.getTime(),
      data: {
        milestoneId: milestone.id,
        offset: reminder.offset,
        fireAt: reminder.fireAt.toISOString(),
        dueAt: milestone.dueAt.toISOString(),
      },
    };
  }

  /** Dedupe keys of the milestone reminders already recorded for these tasks (task_id is indexed). */
  private async recordedKeys(taskIds: readonly string[]): Promise<Set<string>> {
    const rows: { dedupe_key: string }[] = await this.db.query(
      `SELECT dedupe_key FROM notifications WHERE task_id = ANY($1::uuid[]) AND kind = $2`,
      [[...new Set(taskIds)], MILESTONE_REMINDER_KIND],
    );
    return new Set(rows.map((r) => r.dedupe_key));
  }

  private async recordSkipped(skipped: readonly SkippedReminder[]): Promise<void> {
    for (let i = 0; i < skipped.length; i += 1000) {
      const batch = skipped.slice(i, i + 1000);
      // A milestone deleted meanwhile has nothing to record (its rows would cascade away anyway).
      await this.db.query(
        `INSERT INTO notifications (dedupe_key, kind, task_id, milestone_id, status, reason, scheduled_for)
         SELECT s.key, $1, s.task_id, s.milestone_id, 'skipped', s.reason, s.fire_at
           FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[])
                AS s(key, task_id, milestone_id, reason, fire_at)
          WHERE EXISTS (SELECT 1 FROM milestones WHERE id = s.milestone_id)
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [
          MILESTONE_REMINDER_KIND,
          batch.map((s) =>
            milestoneReminderDedupeKey({
              milestoneId: s.milestone.id,
              offset: s.reminder.offset,
              dueAt: s.milestone.dueAt,
            }),
          ),
          batch.map((s) => s.milestone.taskId),
          batch.map((s) => s.milestone.id),
          batch.map((s) => s.reason),
          batch.map((s) => s.reminder.fireAt.toISOString()),
        ],
      );
    }
  }
}
