import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../common/tokens.js';

export interface OutgoingMail {
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

/**
 * Sends mail through SMTP_URL, or, without one, writes each message as an .eml file under
 * `<DATA_DIR>/outbox` so nothing is lost when no mail server is configured.
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  readonly outboxDir: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.outboxDir = join(config.dataDir, 'outbox');
    this.transport = config.smtpUrl
      ? nodemailer.createTransport(config.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    const messageId = String(info.messageId ?? randomUUID());
    if (this.config.smtpUrl) {
      return { messageId, destination: 'smtp' };
    }
    await mkdir(this.outboxDir, { recursive: true });
    const file = join(
      this.outboxDir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
    );
    const message = (info as { message?: unknown }).message;
    await writeFile(file, Buffer.isBuffer(message) ? message : String(message));
    this.logger.log({ message: 'mail written to outbox', file, to: mail.to });
    return { messageId, destination: file };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
