import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

interface LedgerRow {
  id: string;
  kind: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  reason: string | null;
  nextAttemptAt: string | null;
}

/**
 * Units' group robots (企业微信, 钉钉) as a channel: the payloads each platform expects, 钉钉's
 * signature, the secret address masked, and a robot that fails for a while — retried with backoff,
 * visible in the ledger meanwhile, then delivered exactly once.
 */
describe('group-robot webhooks', () => {
  let smtp: TestSmtp;
  let receiver: WebhookReceiver;
  let databaseUrl: string;
  let app: TestApp;
  let plan: Awaited<ReturnType<typeof seededPlan>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      // Retries after 1 s, 2 s, 4 s … instead of 30 s, 1 min, 2 min …
      env: { DELIVERY_RETRY_BASE_MS: '1000' },
    });
    plan = await seededPlan(app);
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await receiver?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('posts a nudge to the unit’s 企业微信 and 钉钉 robots in their formats, 钉钉 signed; the address stays masked', async () => {
    const [task] = plan.leadsOfDistinctUnits();
    await plan.contact(task, 'office@example.org');
    const wecom = await plan
      .api()
      .post(`/api/v1/units/${task.unit.id}/webhooks`)
      .send({ kind: 'wecom', url: `${receiver.url}/cgi-bin/webhook/send?key=wecom-secret-key-123` })
      .expect(201);
    const secret = 'SECdingtalk-signing-secret-456';
    await plan
      .api()
      .post(`/api/v1/units/${task.unit.id}/webhooks`)
      .send({
        kind: 'dingtalk',
        url: `${receiver.url}/robot/send?access_token=dingtalk-token-789`,
        secret,
      })
      .expect(201);
    const listed = await plan.api().get(`/api/v1/units/${task.unit.id}/webhooks`).expect(200);
    const shown = JSON.stringify(listed.body);
    expect(shown).not.toContain('wecom-secret-key-123');
    expect(shown).not.toContain('dingtalk-token-789');
    expect(shown).not.toContain(secret);
    expect(wecom.body.id).toEqual(expect.any(String));

    await plan
      .api()
      .post(`/api/v1/tasks/${task.id}/nudge`)
      .send({ note: '请本周内报送' })
      .expect(202);
    const hooks = await eventually(
      async () => (receiver.received.length >= 2 ? receiver.received : undefined),
      30_000,
    );
    const wecomHook = hooks.find((h) => h.path === '/cgi-bin/webhook/send')!;
    expect(wecomHook.query.get('key')).toBe('wecom-secret-key-123');
    const wecomBody = wecomHook.body as { msgtype: string; markdown: { content: string } };
    expect(wecomBody.msgtype).toBe('markdown');
    expect(wecomBody.markdown.content).toContain(task.item.title.slice(0, 10));
    expect(wecomBody.markdown.content).toContain('请本周内报送');

    const dingHook = hooks.find((h) => h.path === '/robot/send')!;
    const dingBody = dingHook.body as {
      msgtype: string;
      markdown: { title: string; text: string };
    };
    expect(dingBody.msgtype).toBe('markdown');
    expect(dingBody.markdown.title).toContain('催办');
    expect(dingBody.markdown.text).toContain('请本周内报送');
    // 钉钉 加签: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), timestamp in ms.
    const timestamp = dingHook.query.get('timestamp')!;
    expect(Math.abs(Number(timestamp) - dingHook.at)).toBeLessThan(60_000);
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}\n${secret}`)
      .digest('base64');
    expect(dingHook.query.get('sign')).toBe(expected);
    expect(dingHook.query.get('access_token')).toBe('dingtalk-token-789');
  });

  it('a robot answering 500 is retried with backoff, shown as failing meanwhile, then delivered once', async () => {
    const [, task] = plan.leadsOfDistinctUnits();
    await plan
      .api()
      .post(`/api/v1/units/${task.unit.id}/webhooks`)
      .send({ kind: 'wecom', url: `${receiver.url}/flaky?key=k` })
      .expect(201);
    receiver.failing = true;
    const before = receiver.received.length;
    await plan.api().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(202);

    const ledger = async () => {
      const res = await plan
        .api()
        .get('/api/v1/notifications/ledger')
        .query({ channel: 'webhook', taskId: task.id })
        .expect(200);
      return res.body.items as LedgerRow[];
    };
    // While the robot fails: the message is not lost, it waits for its next attempt, with the error.
    const failing = await eventually(async () => {
      const [row] = await ledger();
      return row && row.attempts >= 2 && row.status !== 'sent' ? row : undefined;
    }, 30_000);
    expect(failing.reason).toContain('500');
    expect(failing.nextAttemptAt).not.toBeNull();
    expect(failing.recipient).not.toContain('key=k');

    receiver.failing = false;
    const sent = await eventually(async () => {
      const [row] = await ledger();
      return row?.status === 'sent' ? row : undefined;
    }, 30_000);
    expect(sent.attempts).toBeGreaterThan(failing.attempts);
    await sleep(3000);
    expect(receiver.received.filter((h) => h.path === '/flaky')).toHaveLength(1);
    expect(receiver.received.length).toBe(before + 1);
  });
});
