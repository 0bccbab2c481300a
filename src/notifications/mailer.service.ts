import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../common/tokens.js';

export interface OutgoingMail {
  /** The outbox row's id: it names the message (Message-ID) and its .eml file, on every attempt. */
  id: string;
  /** When the message was decided; the .eml file name starts with it so files sort by time. */
  createdAt: Date;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SentMail {
  messageId: string;
  /** Where the message went: the SMTP server, or the .eml file written to the outbox. */
  destination: string;
}

/** A send the receiving server refused for good (a 5xx answer to the recipient): no retry helps. */
export class PermanentDeliveryError extends Error {}

/**
 * Sends mail through SMTP_URL over a small connection pool, or, without one, writes each
 * message as an .eml file under `<DATA_DIR>/outbox` so nothing is lost when no mail server is
 * configured. Every message carries a Message-ID derived from its outbox row, the same on every
 * attempt, so a receiver can recognise a message sent twice after a crash.
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  readonly outboxDir: string;
  private readonly domain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.outboxDir = join(config.dataDir, 'outbox');
    this.domain = /@([^>\s]+)>?\s*$/.exec(config.mailFrom)?.[1] ?? 'duban.localhost';
    this.transport = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          pool: true,
          maxConnections: 5,
          maxMessages: 500,
          // A server that accepts the connection and then stalls is given up on quickly.
          connectionTimeout: Math.min(10_000, config.smtpTimeoutMs),
          greetingTimeout: Math.min(10_000, config.smtpTimeoutMs),
          socketTimeout: config.smtpTimeoutMs,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  messageIdOf(id: string): string {
    return `<${id}@${this.domain}>`;
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = this.messageIdOf(mail.id);
    let info: { messageId?: string; message?: unknown };
    try {
      info = await this.transport.sendMail({
        from: this.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
      });
    } catch (error) {
      const e = error as { responseCode?: number; command?: string; message?: string };
      if (
        typeof e.responseCode === 'number' &&
        e.responseCode >= 500 &&
        /RCPT/i.test(e.command ?? '')
      ) {
        throw new PermanentDeliveryError(`收件人被拒绝（${e.responseCode}）：${e.message ?? ''}`);
      }
      throw error;
    }
    if (this.config.smtpUrl) return { messageId, destination: 'smtp' };
    await mkdir(this.outboxDir, { recursive: true });
    // Named by the message, written atomically: a retried message replaces its file.
    const stamp = mail.createdAt.toISOString().replace(/[:.]/g, '-');
    const file = join(this.outboxDir, `${stamp}-${mail.id}.eml`);
    const message = info.message;
    // Written beside the folder (same file system) and moved in whole: readers never see half a file.
    const partial = join(this.config.dataDir, `.${stamp}-${mail.id}.eml.partial`);
    await writeFile(partial, Buffer.isBuffer(message) ? message : String(message));
    await rename(partial, file);
    this.logger.log({ message: 'mail written to outbox', file, to: mail.to });
    return { messageId, destination: file };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
