import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/permissions.js';
import { NotFoundError } from '../common/errors.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { MailerService } from './mailer.service.js';

export interface UnitMessage {
  unitId: string;
  taskId: string | null;
  /** e.g. 'submission.returned', 'nudge', 'extension.approved'. */
  kind: string;
  /** Unique per event: the same event never produces a second message. */
  dedupeKey: string;
  subject: string;
  text: string;
  html: string;
}

export interface InboxItem {
  id: string;
  kind: string;
  taskId: string | null;
  subject: string | null;
  body: string | null;
  createdAt: string;
  readAt: string | null;
}

/**
 * Messages to people, written in the same transaction as the change that causes them (outbox
 * rows), delivered afterwards: the in-app inbox at once, e-mail through the queue with retries.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueue,
    private readonly mailer: MailerService,
  ) {}

  /**
   * Records a message to a unit's contacts (its head and members): one inbox entry and one e-mail
   * each; without contacts, one e-mail to the unit's contact address. Returns the e-mail rows to
   * dispatch once the transaction has committed.
   */
  async toUnit(m: EntityManager, message: UnitMessage): Promise<string[]> {
    const contacts: { id: string; email: string }[] = await m.query(
      `SELECT id, email FROM users WHERE unit_id = $1 AND active AND role IN ('unit_head', 'unit_member')
        ORDER BY role, email`,
      [message.unitId],
    );
    const recipients: { userId: string | null; email: string }[] = contacts.map((c) => ({
      userId: c.id,
      email: c.email,
    }));
    if (recipients.length === 0) {
      const [unit]: { email: string | null }[] = await m.query(
        `SELECT email FROM units WHERE id = $1`,
        [message.unitId],
      );
      if (unit?.email) recipients.push({ userId: null, email: unit.email });
    }
    const emailIds: string[] = [];
    for (const r of recipients) {
      const key = `${message.dedupeKey}:${r.userId ?? r.email}`;
      if (r.userId) {
        await m.query(
          `INSERT INTO notifications (dedupe_key, kind, channel, task_id, user_id, recipient, subject, body, status, scheduled_for, sent_at)
           VALUES ($1, $2, 'inbox', $3, $4, $5, $6, $7, 'sent', now(), now()) ON CONFLICT (dedupe_key) DO NOTHING`,
          [
            `${key}:inbox`,
            message.kind,
            message.taskId,
            r.userId,
            r.email,
            message.subject,
            message.text,
          ],
        );
      }
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO notifications (dedupe_key, kind, channel, task_id, user_id, recipient, subject, body, html, status, scheduled_for)
         VALUES ($1, $2, 'email', $3, $4, $5, $6, $7, $8, 'pending', now()) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          `${key}:email`,
          message.kind,
          message.taskId,
          r.userId,
          r.email,
          message.subject,
          message.text,
          message.html,
        ],
      );
      if (row) emailIds.push(row.id);
    }
    return emailIds;
  }

  /** Queues delivery of committed e-mail rows (the job id is the row id: queuing twice is harmless). */
  async dispatch(notificationIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      notificationIds.map((id) => ({
        name: 'notification.send' as const,
        jobId: `notification_${id}`,
        delayMs: 0,
        data: { notificationId: id },
      })),
    );
  }

  /** Sends one pending e-mail row; a row already sent is left alone. Errors propagate for a retry. */
  async deliver(notificationId: string): Promise<'sent' | 'duplicate'> {
    const failed: { error?: Error } = {};
    const outcome = await this.db.transaction(async (m): Promise<'sent' | 'duplicate'> => {
      const [row]: {
        id: string;
        status: string;
        recipient: string;
        subject: string;
        body: string;
        html: string | null;
      }[] = await m.query(
        `SELECT id, status, recipient, subject, body, html FROM notifications
            WHERE id = $1 AND channel = 'email' FOR UPDATE`,
        [notificationId],
      );
      if (!row || row.status === 'sent' || row.status === 'skipped') return 'duplicate';
      try {
        const sent = await this.mailer.send({
          to: row.recipient,
          subject: row.subject,
          text: row.body,
          html: row.html ?? '',
        });
        await m.query(
          `UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $2, reason = NULL,
                  attempts = attempts + 1 WHERE id = $1`,
          [row.id, sent.messageId],
        );
        return 'sent';
      } catch (error) {
        failed.error = error instanceof Error ? error : new Error(String(error));
        await m.query(
          `UPDATE notifications SET status = 'failed', reason = $2, attempts = attempts + 1 WHERE id = $1`,
          [row.id, failed.error.message],
        );
        return 'duplicate';
      }
    });
    if (failed.error) throw failed.error;
    return outcome;
  }

  /** Re-queues e-mail rows still pending or failed (a queue that lost its jobs loses no mail). */
  async redispatchPending(): Promise<number> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM notifications WHERE channel = 'email' AND status IN ('pending', 'failed') AND attempts < 10
        AND created_at > now() - interval '7 days' ORDER BY created_at LIMIT 5000`,
    );
    await this.dispatch(rows.map((r) => r.id));
    return rows.length;
  }

  async inbox(actor: Actor, page: number, pageSize: number, unreadOnly: boolean) {
    const filter = unreadOnly ? 'AND read_at IS NULL' : '';
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM notifications WHERE user_id = $1 AND channel = 'inbox' ${filter}`,
      [actor.userId],
    );
    const rows: {
      id: string;
      kind: string;
      task_id: string | null;
      subject: string | null;
      body: string | null;
      created_at: Date;
      read_at: Date | null;
    }[] = await this.db.query(
      `SELECT id, kind, task_id, subject, body, created_at, read_at FROM notifications
          WHERE user_id = $1 AND channel = 'inbox' ${filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [actor.userId, pageSize, (page - 1) * pageSize],
    );
    const items: InboxItem[] = rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      taskId: r.task_id,
      subject: r.subject,
      body: r.body,
      createdAt: new Date(r.created_at).toISOString(),
      readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    }));
    return { items, total, page, pageSize };
  }

  /** Marks one of the caller's own inbox entries read; anyone else's is "not found". */
  async markRead(actor: Actor, id: string): Promise<void> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND user_id = $2 AND channel = 'inbox' RETURNING id`,
      [id, actor.userId],
    );
    if (rows.length === 0) throw new NotFoundError(`通知 ${id} 不存在`);
  }
}
