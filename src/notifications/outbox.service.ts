import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterCommit } from '../common/after-commit.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { DELIVERY_LEASE_MS } from './delivery-rules.js';
import { renderMail, renderMarkdown } from './mail-layout.js';
import { isMandatory } from './message-kinds.js';
import type { OutboxMessage, PersonalChannel } from './outbox-message.js';
import {
  type Contact,
  OutboxRepository,
  type OutboxRow,
  type UnitWebhook,
} from './outbox.repository.js';

export interface RecordedMessages {
  /** The rows the delivery job sends (e-mail and webhooks): pending, or claimed with `claim`. */
  deliveryIds: string[];
  /** Recipients reached: people, contact addresses and group robots. */
  recipients: number;
}

/**
 * Every message Duban sends goes through here: it is expanded into one outbox row per recipient
 * and channel — its content fixed and stored with the row — in the transaction that decides it,
 * and delivered after the commit by the delivery job (see DeliveryService). People's preferences
 * (which kinds of message they want by which channel) are applied here, except to mandatory
 * messages (red cards).
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
   * e-mail and webhook rows are `pending` — or, with `claim`, already claimed by the caller, who
   * sends them right after the commit (a crash in between is covered by the claim's lease).
   */
  async record(
    m: EntityManager,
    messages: readonly OutboxMessage[],
    options: { claim?: boolean } = {},
  ): Promise<RecordedMessages> {
    const targets = await this.resolve(m, messages);
    const people = messages.flatMap((_, i) => targets[i].people.flatMap((c) => c.userId ?? []));
    const muted = await this.repo.mutedFor(m, people);
    const rows: OutboxRow[] = [];
    let recipients = 0;
    messages.forEach((msg, i) => {
      const { people: contacts, webhooks } = targets[i];
      const mail = renderMail(msg.content);
      const base = {
        kind: msg.kind,
        taskId: msg.taskId,
        milestoneId: msg.milestoneId ?? null,
        occurrenceId: msg.occurrenceId ?? null,
        subject: mail.subject,
        scheduledFor: msg.scheduledFor ?? null,
        webhookId: null,
      };
      const wants = (userId: string | null, channel: PersonalChannel) =>
        msg.mandatory ||
        isMandatory(msg.kind) ||
        userId === null ||
        !muted.has(`${userId}|${msg.kind}|${channel}`);
      const status = options.claim ? ('sending' as const) : ('pending' as const);
      for (const c of contacts) {
        const who = c.userId ?? c.email;
        let reached = false;
        if (c.userId && wants(c.userId, 'inbox')) {
          reached = true;
          rows.push({
            ...base,
            userId: c.userId,
            recipient: c.email,
            body: mail.text,
            dedupeKey: `${msg.dedupeKey}:${who}:inbox`,
            channel: 'inbox',
            html: null,
            status: 'sent',
          });
        }
        if (wants(c.userId, 'email')) {
          reached = true;
          rows.push({
            ...base,
            userId: c.userId,
            recipient: c.email,
            body: mail.text,
            dedupeKey: `${msg.dedupeKey}:${who}:email`,
            channel: 'email',
            html: mail.html,
            status,
          });
        }
        if (reached) recipients++;
      }
      for (const w of webhooks) {
        recipients++;
        rows.push({
          ...base,
          userId: null,
          recipient: w.label,
          body: renderMarkdown(msg.content),
          dedupeKey: `${msg.dedupeKey}:${w.id}:webhook`,
          channel: 'webhook',
          html: null,
          status,
          webhookId: w.id,
        });
      }
    });
    const inserted = await this.repo.insert(m, rows, DELIVERY_LEASE_MS);
    return {
      deliveryIds: inserted.filter((r) => r.channel !== 'inbox').map((r) => r.id),
      recipients,
    };
  }

  /** The people and group robots each message reaches. */
  private async resolve(
    m: EntityManager,
    messages: readonly OutboxMessage[],
  ): Promise<{ people: Contact[]; webhooks: UnitWebhook[] }[]> {
    const unitIds: string[] = [];
    const userIds: string[] = [];
    const roles: string[] = [];
    for (const { audience } of messages) {
      if ('unitId' in audience) unitIds.push(audience.unitId);
      else {
        userIds.push(...(audience.userIds ?? []));
        if ('roles' in audience) roles.push(...audience.roles);
      }
    }
    const [byUnit, staff, hooks] = await Promise.all([
      unitIds.length ? this.repo.unitContacts(m, unitIds) : new Map<string, Contact[]>(),
      userIds.length || roles.length ? this.repo.staff(m, userIds, roles) : [],
      unitIds.length ? this.repo.unitWebhooks(m, unitIds) : new Map<string, UnitWebhook[]>(),
    ]);
    return messages.map(({ audience }) => {
      if ('unitId' in audience) {
        const all = byUnit.get(audience.unitId) ?? [];
        const wanted = audience.unitRoles;
        const chosen = wanted ? all.filter((c) => c.role && wanted.includes(c.role as never)) : all;
        return {
          people: chosen.length > 0 ? chosen : all,
          webhooks: audience.webhooks === false ? [] : (hooks.get(audience.unitId) ?? []),
        };
      }
      const ids = new Set(audience.userIds ?? []);
      const inRoles = new Set<string>('roles' in audience ? audience.roles : []);
      return {
        people: staff.filter((c) => ids.has(c.userId!) || (c.role !== null && inRoles.has(c.role))),
        webhooks: [],
      };
    });
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
