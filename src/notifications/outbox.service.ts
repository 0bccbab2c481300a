import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterCommit } from '../common/after-commit.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { DELIVERY_LEASE_MS } from './delivery-rules.js';
import { renderMail, renderMarkdown } from './mail-layout.js';
import { isMandatory } from './message-kinds.js';
import type { Channel, OutboxMessage, PersonalChannel } from './outbox-message.js';
import {
  type Contact,
  OutboxRepository,
  type OutboxRow,
  type UnitWebhook,
} from './outbox.repository.js';

/** One recipient on one channel. */
export interface Route {
  channel: Channel;
  /** The address (e-mail) or the robot's name. */
  to: string;
  userId: string | null;
  webhookId: string | null;
}

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
    const routes = await this.route(m, messages);
    const rows: OutboxRow[] = [];
    let recipients = 0;
    const status = options.claim ? ('sending' as const) : ('pending' as const);
    messages.forEach((msg, i) => {
      const mail = renderMail(msg.content);
      recipients += new Set(routes[i].map((r) => r.to)).size;
      for (const route of routes[i]) {
        rows.push({
          kind: msg.kind,
          taskId: msg.taskId,
          milestoneId: msg.milestoneId ?? null,
          occurrenceId: msg.occurrenceId ?? null,
          subject: mail.subject,
          scheduledFor: msg.scheduledFor ?? null,
          userId: route.userId,
          webhookId: route.webhookId,
          recipient: route.to,
          channel: route.channel,
          dedupeKey: `${msg.dedupeKey}:${route.userId ?? route.webhookId ?? route.to}:${route.channel}`,
          body: route.channel === 'webhook' ? renderMarkdown(msg.content) : mail.text,
          html: route.channel === 'email' ? mail.html : null,
          status: route.channel === 'inbox' ? 'sent' : status,
        });
      }
    });
    const inserted = await this.repo.insert(m, rows, DELIVERY_LEASE_MS);
    return {
      deliveryIds: inserted.filter((r) => r.channel !== 'inbox').map((r) => r.id),
      recipients,
    };
  }

  /**
   * Where each message goes — one route per recipient and channel — with people's preferences
   * applied (not to mandatory kinds). The same answer for sending and for the schedule preview.
   */
  async route(
    m: EntityManager,
    messages: readonly Pick<OutboxMessage, 'kind' | 'audience' | 'mandatory'>[],
  ): Promise<Route[][]> {
    const targets = await this.resolve(m, messages);
    const muted = await this.repo.mutedFor(
      m,
      targets.flatMap((t) => t.people.flatMap((c) => c.userId ?? [])),
    );
    return messages.map((msg, i) => {
      const wants = (userId: string | null, channel: PersonalChannel) =>
        msg.mandatory ||
        isMandatory(msg.kind) ||
        userId === null ||
        !muted.has(`${userId}|${msg.kind}|${channel}`);
      const routes: Route[] = [];
      for (const c of targets[i].people) {
        if (c.userId && wants(c.userId, 'inbox')) {
          routes.push({ channel: 'inbox', to: c.email, userId: c.userId, webhookId: null });
        }
        if (wants(c.userId, 'email')) {
          routes.push({ channel: 'email', to: c.email, userId: c.userId, webhookId: null });
        }
      }
      for (const w of targets[i].webhooks) {
        routes.push({ channel: 'webhook', to: w.label, userId: null, webhookId: w.id });
      }
      return routes;
    });
  }

  /** The people and group robots each message reaches. */
  private async resolve(
    m: EntityManager,
    messages: readonly Pick<OutboxMessage, 'audience'>[],
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
