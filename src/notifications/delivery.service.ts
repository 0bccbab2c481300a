import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DELIVERY_LEASE_MS, retryDelayMs } from './delivery-rules.js';
import { MailerService, PermanentDeliveryError } from './mailer.service.js';
import { type ClaimedMessage, OutboxRepository } from './outbox.repository.js';
import { WebhookSender } from './webhook.sender.js';
import { OutboxService } from './outbox.service.js';

export type DeliveryOutcome = 'sent' | 'retrying' | 'dead' | 'not-due';

/**
 * Delivers one outbox message: claim it (a short committed UPDATE with a lease), send it with
 * short timeouts and a stable Message-ID outside any transaction, then record the outcome. A
 * failure is rescheduled with growing delays and finally dead-lettered; a sender that dies
 * mid-send is replaced when its lease runs out.
 *
 * What remains at-least-once: a crash after the mail server accepted the message (SMTP 250) and
 * before the outcome is recorded — a window of one UPDATE, milliseconds — sends it once more
 * when the lease runs out, with the same Message-ID.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly repo: OutboxRepository,
    private readonly outbox: OutboxService,
    private readonly mailer: MailerService,
    private readonly webhooks: WebhookSender,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Claims and delivers; a message that is not due (sent, or another sender has it) is left. */
  async deliver(notificationId: string): Promise<DeliveryOutcome> {
    const message = await this.repo.claim(notificationId, DELIVERY_LEASE_MS);
    if (!message) return 'not-due';
    return this.send(message);
  }

  /** Delivers rows the caller wrote already claimed (the reminder that just fired). */
  async deliverClaimed(notificationIds: readonly string[]): Promise<DeliveryOutcome[]> {
    return Promise.all(
      notificationIds.map(async (id) => {
        const message = await withRetries(() => this.repo.claimedByCreator(id));
        return message ? this.send(message) : 'not-due';
      }),
    );
  }

  private async send(message: ClaimedMessage): Promise<DeliveryOutcome> {
    let messageId: string;
    try {
      messageId = await this.transmit(message);
    } catch (error) {
      return this.failed(message, error);
    }
    await withRetries(() => this.repo.markSent(message.id, message.attempts, messageId));
    this.metrics.messages.inc({ kind: message.kind, channel: message.channel, outcome: 'sent' });
    this.metrics.reminderLag.observe(
      { source: message.kind, channel: message.channel },
      Math.max(0, Date.now() - message.scheduledFor.getTime()) / 1000,
    );
    return 'sent';
  }

  /** Hands the message to its channel; returns the id it was accepted under. */
  private async transmit(message: ClaimedMessage): Promise<string> {
    if (message.channel === 'webhook') {
      const target = await withRetries(() => this.repo.webhookTarget(message.id));
      if (!target) throw new PermanentDeliveryError('群机器人已删除');
      await this.webhooks.send(target, message.subject, message.body);
      return `webhook:${message.id}`;
    }
    const sent = await this.mailer.send({
      id: message.id,
      createdAt: message.createdAt,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      html: message.html ?? '',
    });
    return sent.messageId;
  }

  private async failed(message: ClaimedMessage, error: unknown): Promise<DeliveryOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    const delay =
      error instanceof PermanentDeliveryError
        ? null
        : retryDelayMs(
            message.attempts,
            this.config.deliveryRetryBaseMs,
            this.config.deliveryMaxAttempts,
          );
    const next = delay === null ? null : new Date(Date.now() + delay);
    await withRetries(() => this.repo.markFailed(message.id, message.attempts, reason, next));
    this.logger.warn({
      message: next ? 'delivery failed, will retry' : 'delivery failed, dead-lettered',
      notificationId: message.id,
      kind: message.kind,
      attempt: message.attempts,
      retryAt: next?.toISOString(),
      error: reason,
    });
    this.metrics.messages.inc({
      kind: message.kind,
      channel: message.channel,
      outcome: next ? 'failed' : 'dead',
    });
    if (!next) return 'dead';
    // The next attempt's job; if it is lost, the reconciler finds the row overdue.
    await this.outbox
      .enqueue([message.id], message.attempts, next)
      .catch((e: unknown) => this.logger.warn({ message: 'retry not queued', error: String(e) }));
    return 'retrying';
  }

  /** Puts a failed (or dead-lettered) message back for an attempt now. */
  async retry(notificationId: string): Promise<boolean> {
    const row = await this.repo.requeue(notificationId);
    if (!row) return false;
    await this.outbox.enqueue([notificationId], row.attempts);
    return true;
  }
}

/** Reads and records around a send are retried briefly: a dropped connection must not strand a message. */
async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 100 * 4 ** (attempt - 1)));
    }
  }
}
