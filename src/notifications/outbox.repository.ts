import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Channel } from './outbox-message.js';
import { WEBHOOK_KIND_LABELS, type WebhookKind } from './webhook-format.js';

/** One outbox row to write: one message to one recipient on one channel. */
export interface OutboxRow {
  dedupeKey: string;
  kind: string;
  channel: Channel;
  taskId: string | null;
  milestoneId: string | null;
  occurrenceId: string | null;
  userId: string | null;
  recipient: string;
  subject: string;
  body: string;
  html: string | null;
  /** 'sent' for inbox rows (delivered by being written), 'pending' or 'sending' (claimed) otherwise. */
  status: 'pending' | 'sending' | 'sent';
  scheduledFor: Date | null;
  webhookId: string | null;
}

/** A row claimed for delivery: everything needed to send it. */
export interface ClaimedMessage {
  id: string;
  kind: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  html: string | null;
  /** The attempt now under way (1 for the first). */
  attempts: number;
  createdAt: Date;
  /** When it was due: lag is measured from here. */
  scheduledFor: Date;
}

export interface Contact {
  userId: string | null;
  email: string;
  /** The account's role; null for a unit's contact address. */
  role: string | null;
}

export interface UnitWebhook {
  id: string;
  kind: WebhookKind;
  /** "宣传科 · 企业微信群机器人": how the ledger names the recipient. */
  label: string;
}

/** How many rows written already claimed are remembered for their creator (see `insert`). */
const CLAIMED_REMEMBERED = 5_000;

/** The outbox (`notifications`): messages to people, their delivery state and the inbox. */
@Injectable()
export class OutboxRepository {
  /**
   * Rows this process wrote already claimed ('sending', attempt 1), by id, so that their creator
   * sends them after the commit without reading them back. Bounded: the ids of a transaction
   * that rolled back are never asked for and fall out.
   */
  private readonly claimedRows = new Map<string, ClaimedMessage>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Who hears about a unit's work: its active head and members (with their role); a unit without
   * any is reached at its contact address. The one definition of "the unit's contacts".
   */
  async unitContacts(
    m: EntityManager,
    unitIds: readonly string[],
  ): Promise<Map<string, Contact[]>> {
    const rows: { unit_id: string; user_id: string | null; email: string; role: string | null }[] =
      await m.query(
        `SELECT u.id AS unit_id, c.id AS user_id, c.email, c.role
           FROM units u JOIN users c ON c.unit_id = u.id AND c.active
                                     AND c.role IN ('unit_head', 'unit_member')
          WHERE u.id = ANY($1::uuid[])
         UNION ALL
         SELECT u.id, NULL, u.email, NULL FROM units u
          WHERE u.id = ANY($1::uuid[]) AND u.email IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM users c WHERE c.unit_id = u.id AND c.active
                              AND c.role IN ('unit_head', 'unit_member'))
         ORDER BY 1, 3`,
        [[...new Set(unitIds)]],
      );
    const byUnit = new Map<string, Contact[]>(unitIds.map((id) => [id, []]));
    for (const r of rows) {
      byUnit.get(r.unit_id)?.push({ userId: r.user_id, email: r.email, role: r.role });
    }
    return byUnit;
  }

  /** Active accounts: these ids, and everyone in these roles. */
  async staff(
    m: EntityManager,
    userIds: readonly string[],
    roles: readonly string[],
  ): Promise<Contact[]> {
    const rows: { id: string; email: string; role: string }[] = await m.query(
      `SELECT id, email, role FROM users
        WHERE active AND (id = ANY($1::uuid[]) OR role = ANY($2::text[])) ORDER BY email`,
      [[...new Set(userIds)], [...new Set(roles)]],
    );
    return rows.map((r) => ({ userId: r.id, email: r.email, role: r.role }));
  }

  /** The kinds of message people switched off, as "userId|kind|channel". */
  async mutedFor(m: EntityManager, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: { user_id: string; kind: string; channel: string }[] = await m.query(
      `SELECT user_id, kind, channel FROM notification_preferences
        WHERE user_id = ANY($1::uuid[]) AND NOT enabled`,
      [[...new Set(userIds)]],
    );
    return new Set(rows.map((r) => `${r.user_id}|${r.kind}|${r.channel}`));
  }

  /** The enabled group-robot webhooks of these units, with a name for the ledger. */
  async unitWebhooks(
    m: EntityManager,
    unitIds: readonly string[],
  ): Promise<Map<string, UnitWebhook[]>> {
    const rows: { id: string; unit_id: string; kind: WebhookKind; unit_name: string }[] =
      await m.query(
        `SELECT w.id, w.unit_id, w.kind, u.name AS unit_name FROM unit_webhooks w
           JOIN units u ON u.id = w.unit_id
          WHERE w.unit_id = ANY($1::uuid[]) AND w.enabled ORDER BY w.created_at, w.id`,
        [[...new Set(unitIds)]],
      );
    const byUnit = new Map<string, UnitWebhook[]>();
    for (const r of rows) {
      const list = byUnit.get(r.unit_id) ?? [];
      list.push({
        id: r.id,
        kind: r.kind,
        label: `${r.unit_name} · ${WEBHOOK_KIND_LABELS[r.kind]}`,
      });
      byUnit.set(r.unit_id, list);
    }
    return byUnit;
  }

  /** Where a webhook message goes (its secret address), read when it is sent. */
  async webhookTarget(
    id: string,
  ): Promise<{ kind: WebhookKind; url: string; secret: string | null } | null> {
    const [row]: { kind: WebhookKind; url: string; secret: string | null }[] = await this.db.query(
      `SELECT w.kind, w.url, w.secret FROM notifications n JOIN unit_webhooks w ON w.id = n.webhook_id
        WHERE n.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Writes rows in the caller's transaction; a row whose key exists is left alone (the same event
   * never makes a second message). Returns the new rows' ids and channels.
   */
  async insert(
    m: EntityManager,
    rows: readonly OutboxRow[],
    leaseMs: number,
  ): Promise<{ id: string; channel: Channel }[]> {
    const inserted: { id: string; channel: Channel }[] = [];
    const byKey = new Map(rows.map((r) => [r.dedupeKey, r]));
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      const col = <K extends keyof OutboxRow>(k: K) => batch.map((r) => r[k]);
      const result: {
        id: string;
        channel: Channel;
        dedupe_key: string;
        created_at: Date;
        scheduled_for: Date;
      }[] = await m.query(
        `INSERT INTO notifications (dedupe_key, kind, channel, task_id, milestone_id, occurrence_id,
                                    user_id, recipient, subject, body, html, status, scheduled_for,
                                    sent_at, attempts, lease_until, updated_at, webhook_id)
         SELECT r.dedupe_key, r.kind, r.channel, r.task_id, r.milestone_id, r.occurrence_id,
                r.user_id, r.recipient, r.subject, r.body, r.html, r.status,
                coalesce(r.scheduled_for, now()),
                CASE WHEN r.status = 'sent' THEN now() END,
                CASE WHEN r.status = 'sending' THEN 1 ELSE 0 END,
                CASE WHEN r.status = 'sending' THEN now() + make_interval(secs => $13 / 1000.0) END,
                now(), r.webhook_id
           FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[],
                       $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                       $14::timestamptz[], $15::uuid[])
                AS r(dedupe_key, kind, channel, task_id, milestone_id, occurrence_id, user_id,
                     recipient, subject, body, html, status, scheduled_for, webhook_id)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, channel, dedupe_key, created_at, scheduled_for`,
        [
          col('dedupeKey'),
          col('kind'),
          col('channel'),
          col('taskId'),
          col('milestoneId'),
          col('occurrenceId'),
          col('userId'),
          col('recipient'),
          col('subject'),
          col('body'),
          col('html'),
          col('status'),
          leaseMs,
          batch.map((r) => r.scheduledFor?.toISOString() ?? null),
          col('webhookId'),
        ],
      );
      for (const r of result) {
        inserted.push({ id: r.id, channel: r.channel });
        const row = byKey.get(r.dedupe_key);
        if (row?.status === 'sending') this.rememberClaimed(row, r);
      }
    }
    return inserted;
  }

  private rememberClaimed(
    row: OutboxRow,
    stored: { id: string; created_at: Date; scheduled_for: Date },
  ): void {
    if (this.claimedRows.size >= CLAIMED_REMEMBERED) {
      const oldest = this.claimedRows.keys().next().value;
      if (oldest !== undefined) this.claimedRows.delete(oldest);
    }
    this.claimedRows.set(stored.id, {
      id: stored.id,
      kind: row.kind,
      channel: row.channel,
      recipient: row.recipient,
      subject: row.subject,
      body: row.body,
      html: row.html,
      attempts: 1,
      createdAt: new Date(stored.created_at),
      scheduledFor: new Date(stored.scheduled_for),
    });
  }

  /**
   * Takes a message for delivery: one that is pending, failed and due for its next attempt, or
   * whose previous claim's lease has run out (its sender died). The claim commits at once, so no
   * transaction stays open while the message is sent.
   */
  async claim(id: string, leaseMs: number): Promise<ClaimedMessage | null> {
    const [rows]: [ClaimedRow[], number] = await this.db.query(
      `UPDATE notifications
          SET status = 'sending', attempts = attempts + 1, updated_at = now(), next_attempt_at = NULL,
              lease_until = now() + make_interval(secs => $2 / 1000.0)
        WHERE id = $1 AND channel <> 'inbox'
          AND (status = 'pending'
               OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= now())
               OR (status = 'sending' AND lease_until < now()))
        RETURNING id, kind, channel, recipient, subject, body, html, attempts, created_at, scheduled_for`,
      [id, leaseMs],
    );
    const row = rows[0];
    return row ? claimed(row) : null;
  }

  /**
   * A row inserted already claimed by its creator (status 'sending', attempt 1): as this process
   * wrote it, or read back when it was written elsewhere (or forgotten).
   */
  async claimedByCreator(id: string): Promise<ClaimedMessage | null> {
    const remembered = this.claimedRows.get(id);
    if (remembered) {
      this.claimedRows.delete(id);
      return remembered;
    }
    const [row]: ClaimedRow[] = await this.db.query(
      `SELECT id, kind, channel, recipient, subject, body, html, attempts, created_at, scheduled_for
         FROM notifications WHERE id = $1 AND status = 'sending' AND attempts = 1`,
      [id],
    );
    return row ? claimed(row) : null;
  }

  /** Records a successful send of the given attempt (a later attempt's claim is not overwritten). */
  async markSent(id: string, attempt: number, messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $3, reason = NULL,
              lease_until = NULL, next_attempt_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt, messageId],
    );
  }

  /** Records a failed attempt: retried at `nextAttemptAt`, or dead-lettered when it is null. */
  async markFailed(
    id: string,
    attempt: number,
    error: string,
    nextAttemptAt: Date | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'failed', reason = $3, next_attempt_at = $4,
              lease_until = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt, error.slice(0, 2000), nextAttemptAt],
    );
  }

  /** Sets a message that cannot be sent aside with the reason (no more attempts). */
  async markSkipped(id: string, attempt: number, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'skipped', reason = $3, lease_until = NULL,
              next_attempt_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt, reason],
    );
  }

  /**
   * Messages whose delivery job may have been lost: pending for longer than `graceMs`, failed and
   * overdue for their retry by `graceMs`, or claimed by a sender whose lease ran out. Each with
   * the attempt its next job is for.
   */
  async stranded(
    graceMs: number,
    limit: number,
  ): Promise<{ id: string; attempts: number; dueAt: Date }[]> {
    const rows: { id: string; attempts: number; due_at: Date }[] = await this.db.query(
      `SELECT id, attempts, coalesce(next_attempt_at, lease_until, created_at) AS due_at
         FROM notifications
        WHERE status IN ('pending', 'sending', 'failed') AND channel <> 'inbox'
          AND coalesce(next_attempt_at, lease_until, created_at) < now() - make_interval(secs => $1 / 1000.0)
          AND (status <> 'failed' OR next_attempt_at IS NOT NULL)
        ORDER BY coalesce(next_attempt_at, lease_until, created_at)
        LIMIT $2`,
      [graceMs, limit],
    );
    return rows.map((r) => ({ id: r.id, attempts: r.attempts, dueAt: new Date(r.due_at) }));
  }

  /** Puts a dead-lettered (or failed) message back for an attempt now; false if it is not failed. */
  async requeue(id: string): Promise<{ attempts: number } | null> {
    const [rows]: [{ attempts: number }[], number] = await this.db.query(
      `UPDATE notifications SET next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'failed' AND channel <> 'inbox' RETURNING attempts`,
      [id],
    );
    return rows[0] ?? null;
  }
}

interface ClaimedRow {
  id: string;
  kind: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
  html: string | null;
  attempts: number;
  created_at: Date;
  scheduled_for: Date;
}

function claimed(row: ClaimedRow): ClaimedMessage {
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    html: row.html,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    scheduledFor: new Date(row.scheduled_for),
  };
}
