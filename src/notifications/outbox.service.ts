import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterCommit } from '../common/after-commit.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { DELIVERY_LEASE_MS } from './delivery-rules.js';
import { renderMail } from './mail-layout.js';
import type { OutboxMessage } from './outbox-message.js';
import { type Contact, OutboxRepository, type OutboxRow } from './outbox.repository.js';

export interface RecordedMessages {
  /** E-mail rows written (pending, or already claimed when `claim` was asked). */
  emailIds: string[];
  /** Recipients reached, on any channel. */
  recipients: number;
}

/**
 * Every message Duban sends goes through here: it is expanded into one outbox row per recipient
 * and channel — its content fixed and stored with the row — in the transaction that decides it,
 * and delivered after the commit by the delivery job (see DeliveryService).
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly repo: OutboxRepository,
    private readonly queue: JobQueue,
    private readonly afterCommit: AfterCommit,
  ) {}

  /**
   * Writes the messages in the caller's transaction. Inbox rows are delivered by being written;
   * e-mail rows are `pending` — or, with `claim`, already claimed by the caller, who sends them
   * right after the commit (a crash in between is covered by the claim's lease).
   */
  async record(
    m: EntityManager,
    messages: readonly OutboxMessage[],
    options: { claim?: boolean } = {},
  ): Promise<RecordedMessages> {
    const unitIds = messages.flatMap((msg) =>
      'unitId' in msg.audience ? [msg.audience.unitId] : [],
    );
    const userIds = messages.flatMap((msg) =>
      'userIds' in msg.audience ? [...msg.audience.userIds] : [],
    );
    const byUnit = unitIds.length ? await this.repo.unitContacts(m, unitIds) : new Map();
    const users = userIds.length ? await this.repo.usersById(m, userIds) : [];
    const userById = new Map(users.map((u) => [u.userId, u]));
    const rows: OutboxRow[] = [];
    let recipients = 0;
    for (const msg of messages) {
      const contacts: Contact[] =
        'unitId' in msg.audience
          ? (byUnit.get(msg.audience.unitId) ?? [])
          : msg.audience.userIds.flatMap((id) => userById.get(id) ?? []);
      if (contacts.length === 0) continue;
      const mail = renderMail(msg.content);
      recipients += contacts.length;
      for (const c of contacts) {
        const base = {
          kind: msg.kind,
          taskId: msg.taskId,
          milestoneId: msg.milestoneId ?? null,
          occurrenceId: msg.occurrenceId ?? null,
          userId: c.userId,
          recipient: c.email,
          subject: mail.subject,
          body: mail.text,
          scheduledFor: msg.scheduledFor ?? null,
        };
        const who = c.userId ?? c.email;
        if (c.userId) {
          rows.push({
            ...base,
            dedupeKey: `${msg.dedupeKey}:${who}:inbox`,
            channel: 'inbox',
            html: null,
            status: 'sent',
          });
        }
        rows.push({
          ...base,
          dedupeKey: `${msg.dedupeKey}:${who}:email`,
          channel: 'email',
          html: mail.html,
          status: options.claim ? 'sending' : 'pending',
        });
      }
    }
    const inserted = await this.repo.insert(m, rows, DELIVERY_LEASE_MS);
    return {
      emailIds: inserted.filter((r) => r.channel === 'email').map((r) => r.id),
      recipients,
    };
  }

  /** After commit: queues delivery of pending rows, without making the caller wait for the queue. */
  dispatch(notificationIds: readonly string[]): void {
    if (notificationIds.length === 0) return;
    this.afterCommit.run('dispatch notifications', () => this.enqueue(notificationIds, 0));
  }

  /** Queues the delivery jobs of rows, for their given attempt (part of the job id). */
  async enqueue(
    notificationIds: readonly string[],
    attempt: number | readonly number[],
    runAt: Date | readonly Date[] = new Date(0),
  ): Promise<void> {
    await this.queue.addBulk(
      notificationIds.map((id, i) => ({
        name: 'notification.send' as const,
        // A new id per attempt: the job of an earlier attempt never blocks the next one.
        jobId: `notification_${id}_${typeof attempt === 'number' ? attempt : attempt[i]}`,
        runAt: runAt instanceof Date ? runAt : runAt[i],
        data: { notificationId: id },
      })),
    );
  }

  /** Messages whose delivery job may have been lost (see OutboxRepository.stranded). */
  stranded(graceMs: number, limit: number) {
    return this.repo.stranded(graceMs, limit);
  }
}
