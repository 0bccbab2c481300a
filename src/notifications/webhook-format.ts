/**
 * Group-robot webhooks (群机器人): the request a message becomes for 企业微信 (WeCom) and 钉钉
 * (DingTalk). Pure: no Nest, no network.
 */
import { createHmac } from 'node:crypto';

export const WEBHOOK_KINDS = ['wecom', 'dingtalk'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = {
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
};

export interface WebhookRequest {
  url: string;
  body: unknown;
}

/** WeCom caps markdown at 4096 bytes, DingTalk at 20000 characters: long text is cut. */
function clip(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text;
  while (Buffer.byteLength(`${cut}…`) > maxBytes) cut = cut.slice(0, Math.floor(cut.length * 0.95));
  return `${cut}…`;
}

/**
 * DingTalk's signature: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), sent with the
 * timestamp (ms) as query parameters.
 */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** The request that posts a message (its subject and markdown, see renderMarkdown) to a robot. */
export function webhookRequest(
  kind: WebhookKind,
  url: string,
  secret: string | null,
  subject: string,
  markdown: string,
  now: number,
): WebhookRequest {
  if (kind === 'wecom') {
    return { url, body: { msgtype: 'markdown', markdown: { content: clip(markdown, 4096) } } };
  }
  const signed = new URL(url);
  if (secret) {
    signed.searchParams.set('timestamp', String(now));
    signed.searchParams.set('sign', dingtalkSign(secret, now));
  }
  return {
    url: signed.toString(),
    body: {
      msgtype: 'markdown',
      markdown: { title: subject.slice(0, 64), text: clip(markdown, 20_000) },
    },
  };
}

/** Both robots answer 200 with `{"errcode": 0}` when they took the message. */
export function webhookAccepted(status: number, body: unknown): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}`;
  const errcode = (body as { errcode?: unknown } | null)?.errcode;
  if (errcode !== undefined && errcode !== 0) {
    const errmsg = (body as { errmsg?: unknown }).errmsg;
    return `errcode ${JSON.stringify(errcode)}${typeof errmsg === 'string' ? `：${errmsg}` : ''}`;
  }
  return null;
}

/** A webhook address shown to people: the host and a hint of the key, never the whole secret. */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const key = u.searchParams.get('key') ?? u.searchParams.get('access_token') ?? u.pathname;
    const hint = key.length > 8 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '…';
    return `${u.protocol}//${u.host}/…${hint}`;
  } catch {
    return '…';
  }
}
