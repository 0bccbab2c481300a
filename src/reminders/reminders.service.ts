import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../common/tokens.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { JobQueue, type EnqueueRequest } from '../queue/job-queue.service.js';
import { AWAITING_UNIT_SQL, awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './reminder-policy.js';
import { computeReminders, type ScheduledReminder } from './reminder-schedule.js';
import { reminderDedupeKey, reminderJobId } from './reminder-keys.js';

/** What scheduling needs to know of a task. */
export interface SchedulableTask {
  id: string;
  status: TaskStatus;
  dueAt: Date;
  remindersPlannedAt: Date;
  policy: ReminderPolicy | null;
}

interface SkippedReminder {
  taskId: string;
  reminder: ScheduledReminder;
  dueAt: Date;
  reason: string;
}

export const SKIP_REASON = {
  pastWhenScheduled: '提醒时间在设定截止时间时已过，未发送',
  superseded: '服务停机期间错过，已由更晚的提醒代替',
  noRecipient: '责任单位没有联系人，也未设置联系邮箱',
} as const;

/**
 * Turns task deadlines into delayed reminder jobs. The schedule is always derived from Postgres
 * (task deadline + plan policy), so jobs can be rebuilt at any time by `reconcile`.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueue,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  remindersOf(task: { dueAt: Date }, policy: ReminderPolicy | null): ScheduledReminder[] {
    return computeReminders(
      { dueAt: task.dueAt },
      policy ?? DEFAULT_REMINDER_POLICY,
      this.calendar,
      this.config.businessTz,
    );
  }

  /**
   * Schedules the reminders of tasks whose deadline (or policy) was just set and committed.
   * Reminders already due when the deadline was set are recorded as skipped, never sent.
   */
  async schedule(tasks: readonly SchedulableTask[]): Promise<void> {
    const now = this.clock.now();
    const jobs: EnqueueRequest<'reminder.send'>[] = [];
    const skipped: SkippedReminder[] = [];
    for (const task of tasks) {
      if (!awaitsUnit(task.status)) continue;
      for (const reminder of this.remindersOf(task, task.policy)) {
        if (reminder.fireAt.getTime() < task.remindersPlannedAt.getTime()) {
          skipped.push({
            taskId: task.id,
            reminder,
            dueAt: task.dueAt,
            reason: SKIP_REASON.pastWhenScheduled,
          });
        } else {
          jobs.push(this.job(task, reminder, now));
        }
      }
    }
    await this.recordSkipped(this.db.manager, skipped);
    await this.queue.addBulk(jobs);
  }

  /** Removes the queued reminders computed for a task's previous deadline or policy. */
  async unschedule(
    tasks: readonly Pick<SchedulableTask, 'id' | 'dueAt' | 'policy'>[],
  ): Promise<void> {
    const ids = tasks.flatMap((task) =>
      this.remindersOf(task, task.policy).map((r) =>
        reminderJobId({ taskId: task.id, offset: r.offset, dueAt: task.dueAt }),
      ),
    );
    await this.queue.remove('reminder.send', ids);
  }

  /**
   * Rebuilds the queue from Postgres: every open task's reminders that have no notification
   * record yet get their job (adding an existing job id is a no-op). Reminders missed while
   * nothing ran are sent late, but only the most recent one per task.
   */
  async reconcile(): Promise<{ tasks: number; enqueued: number; skipped: number }> {
    const now = this.clock.now();
    let lastId = '00000000-0000-0000-0000-000000000000';
    let taskCount = 0;
    let enqueued = 0;
    let skippedCount = 0;
    for (;;) {
      const rows: {
        id: string;
        due_at: Date;
        reminders_planned_at: Date;
        reminder_policy: ReminderPolicy | null;
      }[] = await this.db.query(
        `SELECT t.id, t.due_at, t.reminders_planned_at, p.reminder_policy
             FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
            WHERE t.status IN ${AWAITING_UNIT_SQL} AND t.id > $1
            ORDER BY t.id LIMIT 1000`,
        [lastId],
      );
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;
      taskCount += rows.length;
      const recorded = await this.recordedKeys(rows.map((r) => r.id));
      const jobs: EnqueueRequest<'reminder.send'>[] = [];
      const skipped: SkippedReminder[] = [];
      for (const row of rows) {
        const task: SchedulableTask = {
          id: row.id,
          status: 'assigned',
          dueAt: new Date(row.due_at),
          remindersPlannedAt: new Date(row.reminders_planned_at),
          policy: row.reminder_policy,
        };
        const pending = this.remindersOf(task, task.policy).filter(
          (r) =>
            !recorded.has(
              reminderDedupeKey({ taskId: task.id, offset: r.offset, dueAt: task.dueAt }),
            ),
        );
        const missed: ScheduledReminder[] = [];
        for (const reminder of pending) {
          if (reminder.fireAt.getTime() < task.remindersPlannedAt.getTime()) {
            skipped.push({
              taskId: task.id,
              reminder,
              dueAt: task.dueAt,
              reason: SKIP_REASON.pastWhenScheduled,
            });
          } else if (reminder.fireAt.getTime() <= now.getTime()) {
            missed.push(reminder);
          } else {
            jobs.push(this.job(task, reminder, now));
          }
        }
        const latest = missed.at(-1);
        for (const reminder of missed.slice(0, -1)) {
          skipped.push({
            taskId: task.id,
            reminder,
            dueAt: task.dueAt,
            reason: SKIP_REASON.superseded,
          });
        }
        if (latest) jobs.push(this.job(task, latest, now));
      }
      await this.recordSkipped(this.db.manager, skipped);
      await this.queue.addBulk(jobs);
      enqueued += jobs.length;
      skippedCount += skipped.length;
    }
    this.logger.log({
      message: 'reminders reconciled',
      tasks: taskCount,
      enqueued,
      skipped: skippedCount,
    });
    return { tasks: taskCount, enqueued, skipped: skippedCount };
  }

  private job(
    task: SchedulableTask,
    reminder: ScheduledReminder,
    now: Date,
  ): EnqueueRequest<'reminder.send'> {
    const ref = { taskId: task.id, offset: reminder.offset, dueAt: task.dueAt };
    return {
      name: 'reminder.send',
      jobId: reminderJobId(ref),
      delayMs: reminder.fireAt.getTime() - now.getTime(),
      data: {
        taskId: task.id,
        offset: reminder.offset,
        fireAt: reminder.fireAt.toISOString(),
        dueAt: task.dueAt.toISOString(),
      },
    };
  }

  private async recordedKeys(taskIds: readonly string[]): Promise<Set<string>> {
    const rows: { dedupe_key: string }[] = await this.db.query(
      `SELECT dedupe_key FROM notifications WHERE task_id = ANY($1::uuid[]) AND kind = 'reminder'`,
      [taskIds],
    );
    return new Set(rows.map((r) => r.dedupe_key));
  }

  private async recordSkipped(
    manager: EntityManager,
    skipped: readonly SkippedReminder[],
  ): Promise<void> {
    for (let i = 0; i < skipped.length; i += 1000) {
      const batch = skipped.slice(i, i + 1000);
      await manager.query(
        `INSERT INTO notifications (dedupe_key, kind, task_id, status, reason, scheduled_for)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [
          batch.map((s) =>
            reminderDedupeKey({ taskId: s.taskId, offset: s.reminder.offset, dueAt: s.dueAt }),
          ),
          batch.map(() => 'reminder'),
          batch.map((s) => s.taskId),
          batch.map(() => 'skipped'),
          batch.map((s) => s.reason),
          batch.map((s) => s.reminder.fireAt.toISOString()),
        ],
      );
    }
  }
}
