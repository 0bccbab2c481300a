import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan, type FixtureTask } from '../support/plan-fixture.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

/** Every message arrived once: no two with the same Message-ID or the same recipient+subject. */
function expectNoDuplicates(mails: ParsedMail[]): void {
  const ids = mails.map((m) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  const keys = mails.map((m) => `${to(m)}|${m.subject}`);
  expect(new Set(keys).size).toBe(keys.length);
}

/**
 * Mail is sent outside any database transaction, its content stored when it is decided, and
 * retried on a schedule that outlasts an outage of the mail server; a message that cannot be sent
 * is dead-lettered where people see it and can retry it.
 */
describe('mail delivery when the mail server misbehaves', () => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;
  let plan: Awaited<ReturnType<typeof seededPlan>>;
  let free: FixtureTask[];
  /** Lead tasks of distinct units not used by an earlier test. */
  const take = (n: number) => free.splice(0, n);

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      env: {
        SMTP_TIMEOUT_MS: '1500',
        DELIVERY_RETRY_BASE_MS: '300',
        DELIVERY_MAX_ATTEMPTS: '14',
        RECONCILE_INTERVAL_SECONDS: '1',
      },
    });
    plan = await seededPlan(app);
    free = plan.leadsOfDistinctUnits();
    await plan.setPolicy(['-PT1S']);
  });

  afterEach(() => smtp.setMode('accept'));

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  async function idleInTransaction(): Promise<number> {
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return n;
  }

  it('a server that never answers DATA holds no database connection and does not stop the API', async () => {
    smtp.setMode('stall');
    const tasks = take(12);
    for (const [i, task] of tasks.entries()) await plan.contact(task, `stall-${i}@example.org`);
    const nudged = await Promise.all(
      tasks.map((t) => plan.api().post(`/api/v1/tasks/${t.id}/nudge`).send({ note: '请尽快报送' })),
    );
    expect(nudged.map((r) => r.status)).toEqual(Array(12).fill(202));
    // While twelve sends hang on the server: no open transaction, and the API answers.
    for (let i = 0; i < 5; i++) {
      expect(await idleInTransaction()).toBe(0);
      await request(app.baseUrl).get('/api/v1/health').timeout(3000).expect(200);
      await plan.api().get('/api/v1/tasks').query({ pageSize: 5 }).timeout(3000).expect(200);
      await sleep(200);
    }
    // The stalled sends time out, are recorded as failed and are tried again.
    const retried = await eventually(async () => {
      const rows: { attempts: number; reason: string | null }[] = await app.db.query(
        `SELECT attempts, reason FROM notifications
          WHERE kind = 'nudge' AND channel = 'email' AND recipient LIKE 'stall-%'`,
      );
      return rows.length === 12 && rows.every((r) => r.attempts >= 2) ? rows : undefined;
    }, 15_000);
    expect(retried.every((r) => /timeout/i.test(r.reason ?? ''))).toBe(true);
    expect(await idleInTransaction()).toBe(0);
    expect(smtp.attempts).toBeGreaterThanOrEqual(12);
    smtp.setMode('accept');
    const arrived = await eventually(async () => {
      const mine = smtp.messages.filter((m) => to(m).startsWith('stall-'));
      return mine.length >= 12 ? mine : undefined;
    }, 20_000);
    await sleep(1500);
    const mine = smtp.messages.filter((m) => to(m).startsWith('stall-'));
    expect(mine).toHaveLength(12);
    expectNoDuplicates(mine);
    expect(arrived.every((m) => m.text?.includes('请尽快报送'))).toBe(true);
  });

  it('an outage longer than the old retry budget loses no reminder and sends none empty', async () => {
    smtp.setMode('refuse');
    const tasks = take(6);
    for (const [i, task] of tasks.entries()) await plan.contact(task, `outage-${i}@example.org`);
    for (const task of tasks) await plan.dueIn(task, 3000);
    // Twelve seconds refused: at 300 ms growing to 6 s, every message is tried about six times.
    await sleep(12_000);
    const during = smtp.messages.filter((m) => to(m).startsWith('outage-'));
    expect(during).toHaveLength(0);
    const rows: { status: string; attempts: number; body: string | null }[] = await app.db.query(
      `SELECT status, attempts, body FROM notifications
        WHERE kind = 'reminder' AND channel = 'email' AND recipient LIKE 'outage-%'`,
    );
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'failed' || r.status === 'sending')).toBe(true);
    expect(Math.min(...rows.map((r) => r.attempts))).toBeGreaterThanOrEqual(4);
    expect(rows.every((r) => (r.body ?? '').length > 50)).toBe(true);

    smtp.setMode('accept');
    const arrived = await eventually(async () => {
      const mine = smtp.messages.filter((m) => to(m).startsWith('outage-'));
      return mine.length >= 6 ? mine : undefined;
    }, 20_000);
    await sleep(1500);
    expect(smtp.messages.filter((m) => to(m).startsWith('outage-'))).toHaveLength(6);
    expectNoDuplicates(arrived);
    for (const [i, task] of tasks.entries()) {
      const mail = arrived.find((m) => to(m) === `outage-${i}@example.org`)!;
      expect(mail.subject).toContain(`第${task.item.number}项`);
      expect(mail.text).toContain(task.item.title);
      expect(mail.text).toContain('截止时间');
      expect(mail.html).toContain(`第${task.item.number}项`);
    }
  });

  it('every message carries a stable Message-ID naming its outbox row', async () => {
    const [task] = take(1);
    await plan.contact(task, 'msgid@example.org');
    await plan.api().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(202);
    const mail = await eventually(
      async () => smtp.messages.find((m) => to(m) === 'msgid@example.org'),
      10_000,
    );
    const [row]: { id: string; message_id: string }[] = await eventually(async () => {
      const rows: { id: string; message_id: string | null }[] = await app.db.query(
        `SELECT id, message_id FROM notifications WHERE recipient = 'msgid@example.org' AND channel = 'email'`,
      );
      return rows[0]?.message_id ? (rows as { id: string; message_id: string }[]) : undefined;
    });
    expect(mail.messageId).toBe(row.message_id);
    expect(row.message_id).toContain(row.id);
  });
});

describe('a message that cannot be delivered is dead-lettered, visible and retryable', () => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      env: { SMTP_TIMEOUT_MS: '1500', DELIVERY_RETRY_BASE_MS: '200', DELIVERY_MAX_ATTEMPTS: '3' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('gives up after the last attempt, shows it in the ledger, and sends it once on retry', async () => {
    const plan = await seededPlan(app);
    const [task] = plan.leadsOfDistinctUnits();
    await plan.contact(task, 'dead@example.org');
    smtp.setMode('refuse');
    await plan.api().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(202);
    const dead = await eventually(async () => {
      const res = await plan
        .api()
        .get('/api/v1/notifications/ledger')
        .query({ deadLetter: true, recipient: 'dead@example.org' })
        .expect(200);
      return res.body.total === 1 ? res.body.items[0] : undefined;
    }, 15_000);
    expect(dead).toMatchObject({
      kind: 'nudge',
      channel: 'email',
      status: 'failed',
      attempts: 3,
      nextAttemptAt: null,
      deadLetter: true,
      recipient: 'dead@example.org',
      reason: expect.stringContaining('421'),
    });
    // A unit member may not see the ledger.
    const { authorization } = await (
      await import('../support/app.js')
    ).signIn(app, 'unit_member', task.unit.name);
    await request(app.baseUrl)
      .get('/api/v1/notifications/ledger')
      .set('Authorization', authorization)
      .expect(403);

    smtp.setMode('accept');
    await sleep(1000);
    expect(smtp.messages).toHaveLength(0);
    await plan.api().post(`/api/v1/notifications/ledger/${dead.id}/retry`).expect(202);
    const mail = await eventually(async () => smtp.messages[0], 10_000);
    expect(to(mail)).toBe('dead@example.org');
    const sent = await eventually(async () => {
      const res = await plan
        .api()
        .get('/api/v1/notifications/ledger')
        .query({ recipient: 'dead@example.org' });
      return res.body.items[0]?.status === 'sent' ? res.body.items[0] : undefined;
    });
    expect(sent).toMatchObject({ status: 'sent', attempts: 4, deadLetter: false });
    await sleep(1000);
    expect(smtp.messages).toHaveLength(1);
    // Retrying a sent message is refused.
    await plan.api().post(`/api/v1/notifications/ledger/${dead.id}/retry`).expect(404);
  });
});
