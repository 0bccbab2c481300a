import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { webhookAccepted, webhookRequest, type WebhookKind } from './webhook-format.js';

/** A webhook that refused or could not be reached; the message is retried like any other. */
export class WebhookDeliveryError extends Error {}

/** Posts a message to a group robot (企业微信, 钉钉) and checks that it took it. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(
    target: { kind: WebhookKind; url: string; secret: string | null },
    subject: string,
    markdown: string,
  ): Promise<void> {
    // The stored markdown is the message; the request around it (signature, time) is made now.
    const request = webhookRequest(
      target.kind,
      target.url,
      target.secret,
      subject,
      markdown,
      Date.now(),
    );
    let res: Response;
    try {
      res = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.config.smtpTimeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new WebhookDeliveryError(`群机器人无法连接：${(error as Error).message}`);
    }
    const answer: unknown = await res.json().catch(() => null);
    const refused = webhookAccepted(res.status, answer);
    if (refused) throw new WebhookDeliveryError(`群机器人拒收：${refused}`);
  }
}
