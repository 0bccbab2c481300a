import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { simpleParser, type AddressObject } from 'mailparser';
import { NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';

/** File names the mailer writes: an ISO time, a short id, `.eml`. Nothing else is ever opened. */
const MESSAGE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}\.eml$/;

export interface OutboxEntry {
  name: string;
  subject: string;
  to: string;
  date: string | null;
  sizeBytes: number;
}

export interface OutboxMessage extends OutboxEntry {
  from: string;
  text: string | null;
  html: string | null;
  attachments: { fileName: string | null; contentType: string; sizeBytes: number }[];
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string =>
  (Array.isArray(a) ? a : a ? [a] : []).map((x) => x.text).join(', ');

/**
 * The mail an embedded installation wrote to `<DATA_DIR>/outbox` instead of sending it. Only when
 * no SMTP_URL is set: with a mail server, the outbox holds nothing worth showing.
 */
@Injectable()
export class OutboxService {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.dir = join(config.dataDir, 'outbox');
  }

  get enabled(): boolean {
    return this.config.smtpUrl === null;
  }

  private requireEnabled(): void {
    if (!this.enabled) throw new NotFoundError('已配置 SMTP_URL，邮件直接发出，没有本地发件箱');
  }

  async list(
    page: number,
    pageSize: number,
  ): Promise<{ items: OutboxEntry[]; total: number; page: number; pageSize: number }> {
    this.requireEnabled();
    const names = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((n) => MESSAGE_NAME.test(n))
      .sort()
      .reverse();
    const slice = names.slice((page - 1) * pageSize, page * pageSize);
    const items = await Promise.all(slice.map(async (name) => this.summary(name)));
    return { items, total: names.length, page, pageSize };
  }

  async get(name: string): Promise<OutboxMessage> {
    this.requireEnabled();
    const { raw, sizeBytes } = await this.read(name);
    const mail = await simpleParser(raw, { skipImageLinks: true });
    return {
      name,
      subject: mail.subject ?? '',
      from: addresses(mail.from),
      to: addresses(mail.to),
      date: mail.date ? mail.date.toISOString() : null,
      sizeBytes,
      text: mail.text ?? null,
      html: typeof mail.html === 'string' ? mail.html : null,
      attachments: mail.attachments.map((a) => ({
        fileName: a.filename ?? null,
        contentType: a.contentType,
        sizeBytes: a.size,
      })),
    };
  }

  private async summary(name: string): Promise<OutboxEntry> {
    const { raw, sizeBytes } = await this.read(name);
    const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
    return {
      name,
      subject: mail.subject ?? '',
      to: addresses(mail.to),
      date: mail.date ? mail.date.toISOString() : null,
      sizeBytes,
    };
  }

  private async read(name: string): Promise<{ raw: Buffer; sizeBytes: number }> {
    if (!MESSAGE_NAME.test(name)) throw new NotFoundError(`邮件 ${name} 不存在`);
    const file = join(this.dir, name);
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      return { raw: await readFile(file), sizeBytes: info.size };
    } catch {
      throw new NotFoundError(`邮件 ${name} 不存在`);
    }
  }
}
