import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { occurrencesOf } from '../support/reminders.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

type Wipe = (app: TestApp, redis: PrivateRedis | null) => Promise<void>;

const backends: [string, boolean, Wipe][] = [
  [
    'redis (FLUSHALL)',
    true,
    async (_app, redis) => {
      await redis!.flush();
    },
  ],
  [
    'postgres (job tables emptied)',
    false,
    async (app) => {
      await app.db.query(`TRUNCATE bullmq.job, bullmq.job_dependency, bullmq.job_log CASCADE`);
    },
  ],
];

/**
 * A queue that loses its data is noticed within seconds (its sentinel job is gone) and rebuilt
 * from Postgres at once, so reminders still go out on time; with Redis down, requests that
 * schedule work commit and answer at once, and the work reaches the queue when Redis is back.
 */
describe.each(backends)('a wiped queue on the %s backend', (_name, useRedis, wipe) => {
  let smtp: TestSmtp;
  let redis: PrivateRedis | null = null;
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    if (useRedis) redis = await startPrivateRedis();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      redisUrl: redis?.url ?? null,
      env: { QUEUE_CHECK_SECONDS: '1' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await redis?.stop();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('is rebuilt within seconds and every reminder still goes out on time, once', async () => {
    const plan = await seededPlan(app);
    await plan.setPolicy(['-PT1S']);
    const tasks = plan.leadsOfDistinctUnits().slice(0, 5);
    const due: Date[] = [];
    for (const [i, task] of tasks.entries()) {
      await plan.contact(task, `wiped-${i}@example.org`);
      due.push(await plan.dueIn(task, 8000));
    }
    await eventually(async () => {
      for (const task of tasks) {
        const rows = await occurrencesOf(app.db, task.id);
        if (!rows.some((r) => r.status === 'scheduled' && r.queued)) return undefined;
      }
      return true;
    });
    await wipe(app, redis);
    const mails = await eventually(async () => {
      const mine = smtp.messages.filter((m) => to(m).startsWith('wiped-'));
      return mine.length >= 5 ? mine : undefined;
    }, 20_000);
    for (const [i] of tasks.entries()) {
      const mail = mails.find((m) => to(m) === `wiped-${i}@example.org`)!;
      const fireAt = due[i].getTime() - 1000;
      // Sent when due (mail dates have second precision), not at the next reconcile pass.
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(fireAt - 1000);
      expect(mail.date!.getTime()).toBeLessThan(fireAt + 4000);
    }
    await sleep(2000);
    expect(smtp.messages.filter((m) => to(m).startsWith('wiped-'))).toHaveLength(5);
  });
});

describe('Redis down', () => {
  let smtp: TestSmtp;
  let redis: PrivateRedis;
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    redis = await startPrivateRedis();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      redisUrl: redis.url,
      env: { QUEUE_CHECK_SECONDS: '1' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await redis?.stop();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('a deadline change commits and answers at once; its reminder goes out once Redis is back', async () => {
    const plan = await seededPlan(app);
    await plan.setPolicy(['-PT1S']);
    const [task] = plan.leadsOfDistinctUnits();
    await plan.contact(task, 'redis-down@example.org');
    await redis.stop();
    const started = Date.now();
    const dueAt = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000);
    const res = await plan
      .api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: dueAt.toISOString() })
      .timeout(5000);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const read = await plan.api().get(`/api/v1/tasks/${task.id}`).timeout(5000).expect(200);
    expect(read.body.dueAt).toBe(dueAt.toISOString());
    const health = await plan.api().get('/api/v1/health').timeout(8000);
    expect(health.status).toBe(503);
    expect(health.body.queue.status).toBe('down');

    await redis.start();
    const mail = await eventually(
      async () => smtp.messages.find((m) => to(m) === 'redis-down@example.org'),
      20_000,
    );
    expect(mail.subject).toContain(`第${task.item.number}项`);
    await sleep(1500);
    expect(smtp.messages.filter((m) => to(m) === 'redis-down@example.org')).toHaveLength(1);
  });
});
