import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../common/tokens.js';
import { businessDateOf } from '../calendar/business-time.js';
import { MailerService } from '../notifications/mailer.service.js';
import { composeReminderMail } from '../notifications/reminder-mail.js';
import type { JobPayloads } from '../queue/job-registry.js';
import { awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import { parseOffset, type ReminderPolicy } from './reminder-policy.js';
import { reminderDedupeKey } from './reminder-keys.js';
import { RemindersService, SKIP_REASON } from './reminders.service.js';

interface TaskRow {
  id: string;
  status: TaskStatus;
  role: 'lead' | 'co';
  due_at: Date;
  unit_name: string;
  unit_email: string | null;
  item_number: number;
  item_title: string;
  plan_title: string;
  reminder_policy: ReminderPolicy | null;
}

export type DeliveryOutcome = 'sent' | 'stale' | 'duplicate' | 'skipped';

/**
 * Delivers one reminder job. The job only says which reminder; everything else is re-read, and a
 * reminder that no longer belongs to the task's schedule (task finished, deadline moved, policy
 * changed) is dropped. The notification row, locked while the mail is sent, makes a retried or
 * re-enqueued job send nothing twice.
 */
@Injectable()
export class ReminderDeliveryService {
  private readonly logger = new Logger(ReminderDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reminders: RemindersService,
    private readonly mailer: MailerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(job: JobPayloads['reminder.send']): Promise<DeliveryOutcome> {
    const [task]: TaskRow[] = await this.db.query(
      `SELECT t.id, t.status, t.role, t.due_at, u.name AS unit_name,
              coalesce((SELECT string_agg(c.email, ', ' ORDER BY c.role, c.email) FROM users c
                         WHERE c.unit_id = t.unit_id AND c.active AND c.role IN ('unit_head', 'unit_member')),
                       u.email) AS unit_email,
              i.number AS item_number, i.title AS item_title, p.title AS plan_title, p.reminder_policy
         FROM tasks t JOIN units u ON u.id = t.unit_id
         JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE t.id = $1`,
      [job.taskId],
    );
    const dueAt = task ? new Date(task.due_at) : null;
    const stillScheduled =
      task !== undefined &&
      dueAt !== null &&
      awaitsUnit(task.status) &&
      dueAt.getTime() === Date.parse(job.dueAt) &&
      this.reminders
        .remindersOf({ dueAt }, task.reminder_policy)
        .some((r) => r.offset === job.offset && r.fireAt.getTime() === Date.parse(job.fireAt));
    if (!task || !dueAt || !stillScheduled) {
      this.logger.log({ message: 'stale reminder dropped', ...job });
      return 'stale';
    }

    const dedupeKey = reminderDedupeKey({ taskId: task.id, offset: job.offset, dueAt });
    const failed: { error?: Error } = {};
    const outcome = await this.db.transaction(async (m): Promise<DeliveryOutcome> => {
      await m.query(
        `INSERT INTO notifications (dedupe_key, kind, task_id, recipient, status, scheduled_for)
         VALUES ($1, 'reminder', $2, $3, 'pending', $4) ON CONFLICT (dedupe_key) DO NOTHING`,
        [dedupeKey, task.id, task.unit_email, job.fireAt],
      );
      const [row]: { id: string; status: string }[] = await m.query(
        `SELECT id, status FROM notifications WHERE dedupe_key = $1 FOR UPDATE`,
        [dedupeKey],
      );
      if (!row) throw new Error(`notification ${dedupeKey} vanished`);
      if (row.status === 'sent' || row.status === 'skipped') return 'duplicate';
      if (!task.unit_email) {
        await m.query(`UPDATE notifications SET status = 'skipped', reason = $2 WHERE id = $1`, [
          row.id,
          SKIP_REASON.noRecipient,
        ]);
        return 'skipped';
      }
      const offset = parseOffset(job.offset);
      const mail = composeReminderMail({
        planTitle: task.plan_title,
        itemNumber: task.item_number,
        itemTitle: task.item_title,
        unitName: task.unit_name,
        role: task.role,
        deadline: formatDeadline(dueAt, this.config.businessTz),
        workdaysLeft: offset.kind === 'workdays' ? -offset.workdays : null,
        msLeft: offset.kind === 'exact' ? -offset.milliseconds : null,
      });
      try {
        const sent = await this.mailer.send({ to: task.unit_email, ...mail });
        await m.query(
          `UPDATE notifications SET status = 'sent', sent_at = now(), subject = $2, recipient = $3,
                  message_id = $4, reason = NULL WHERE id = $1`,
          [row.id, mail.subject, task.unit_email, sent.messageId],
        );
        return 'sent';
      } catch (error) {
        failed.error = error instanceof Error ? error : new Error(String(error));
        await m.query(
          `UPDATE notifications SET status = 'failed', subject = $2, reason = $3 WHERE id = $1`,
          [row.id, mail.subject, failed.error.message],
        );
        return 'skipped';
      }
    });
    // Let the queue retry a failed send; the failure is already on the notification record.
    if (failed.error) throw failed.error;
    this.logger.log({
      message: 'reminder delivered',
      outcome,
      taskId: task.id,
      offset: job.offset,
    });
    return outcome;
  }
}

function formatDeadline(dueAt: Date, tz: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(dueAt);
  return `${businessDateOf(dueAt, tz)} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}
