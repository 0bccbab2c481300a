import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase, withDatabase } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

/**
 * The application's database connections are killed again and again while reminders fire: each
 * reminder is still sent exactly once and recorded as sent.
 */
describe('database connections killed around firing', () => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('sends each of six reminders once and records each as sent', async () => {
    const plan = await seededPlan(app);
    await plan.setPolicy(['-PT1S']);
    const tasks = plan.leadsOfDistinctUnits().slice(0, 6);
    for (const [i, task] of tasks.entries()) {
      await plan.contact(task, `kill-${i}@example.org`);
      await plan.dueIn(task, 5000);
    }
    // For eight seconds around the firing, every 50 ms: end the application's connections.
    let kills = 0;
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      kills += await withDatabase(
        databaseUrl,
        async (c) =>
          (
            await c.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'duban' AND pid <> pg_backend_pid()`,
            )
          ).rowCount ?? 0,
      );
      await sleep(50);
    }
    expect(kills).toBeGreaterThan(6);
    const mails = await eventually(async () => {
      const mine = smtp.messages.filter((m) => to(m).startsWith('kill-'));
      return mine.length >= 6 ? mine : undefined;
    }, 30_000);
    await sleep(3000);
    const all = smtp.messages.filter((m) => to(m).startsWith('kill-'));
    expect(all).toHaveLength(6);
    expect(new Set(all.map(to)).size).toBe(6);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(6);
    const rows = await eventually(async () => {
      const found: { status: string }[] = await app.db.query(
        `SELECT status FROM notifications WHERE kind = 'reminder' AND channel = 'email'
            AND recipient LIKE 'kill-%'`,
      );
      return found.length === 6 && found.every((r) => r.status === 'sent') ? found : undefined;
    }, 15_000);
    expect(rows).toHaveLength(6);
  });
});
