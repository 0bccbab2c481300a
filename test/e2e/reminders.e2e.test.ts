import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import request from 'supertest';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../support/databases.js';
import { signIn, startTestApp, uniquePrefix, type TestApp } from '../support/app.js';
import { eventually, seedPlan, SEED_FILE, shanghaiDateTime, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { occurrencesOf } from '../support/reminders.js';
import { reminderJobId } from '../../src/reminders/reminder-scheduler.service.js';

const redisUrl = testRedisUrl();
const backends: [string, string | null][] = [['postgres', null]];
if (redisUrl) backends.push(['redis', redisUrl]);
else
  process.stderr.write(
    '\n*** reminders e2e on the Redis backend did NOT run: no Redis available ***\n\n',
  );

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: string;
  status: string;
  dueAt: string;
}

describe.each(backends)('reminders end to end on the %s queue backend', (backend, redis) => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;
  const prefix = uniquePrefix();
  let planId: string;
  const start = () =>
    startTestApp({ databaseUrl, redisUrl: redis, smtpUrl: smtp.url, queuePrefix: prefix });
  let authorization = '';
  const api = () => request.agent(app.baseUrl).set('Authorization', authorization);

  /** A task of the seed plan whose unit mails to `email`, due `secondsAhead` from now. */
  async function taskDueIn(
    itemNumber: number,
    email: string,
    secondsAhead: number,
  ): Promise<TaskView> {
    const list = await api().get('/api/v1/tasks').query({ planId, pageSize: 200 }).expect(200);
    const task = (list.body.items as TaskView[]).find(
      (t) => t.item.number === itemNumber && t.role === 'lead',
    )!;
    await api().patch(`/api/v1/units/${task.unit.id}`).send({ email }).expect(200);
    const dueAt = new Date(Date.now() + secondsAhead * 1000).toISOString();
    const moved = await api().patch(`/api/v1/tasks/${task.id}`).send({ dueAt }).expect(200);
    return moved.body as TaskView;
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await start();
    authorization = (await signIn(app, 'supervisor')).authorization;
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (redis) {
      const client = new Redis(redis);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length) await client.del(...keys);
      client.disconnect();
    }
  });

  it('imports the seed plan once, and a second import changes nothing', async () => {
    const first = await api()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    expect(first.body).toMatchObject({
      created: true,
      title: '虹口区教育局2022年工作要点',
      year: 2022,
      counts: { sections: 7, items: 36 },
    });
    planId = first.body.planId;
    const again = await api()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(200);
    expect(again.body).toMatchObject({ created: false, planId, counts: first.body.counts });
    expect(again.body.message).toContain('未做任何更改');
    const [{ plans }] = await app.db.query(`SELECT count(*)::int AS plans FROM plans`);
    expect(plans).toBe(1);
  });

  it('sends no mail for a past year: every reminder is recorded as skipped', async () => {
    const rows: { source: string; step: string | null; status: string; n: number }[] =
      await app.db.query(
        `SELECT source, detail->>'step' AS step, status, count(*)::int AS n
           FROM reminder_occurrences GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      );
    const [{ tasks }] = await app.db.query(`SELECT count(*)::int AS tasks FROM tasks`);
    // Default policy: three reminders per task; default ladder: the first overdue reminder, the
    // yellow and the red card — all of them in 2022.
    expect(rows).toEqual([
      { source: 'task.deadline', step: null, status: 'skipped', n: tasks * 3 },
      { source: 'task.escalation', step: 'overdue', status: 'skipped', n: tasks },
      { source: 'task.escalation', step: 'red', status: 'skipped', n: tasks },
      { source: 'task.escalation', step: 'yellow', status: 'skipped', n: tasks },
    ]);
    const [{ messages }] = await app.db.query(
      `SELECT count(*)::int AS messages FROM notifications`,
    );
    expect(messages).toBe(0);
    await sleep(500);
    expect(smtp.messages).toHaveLength(0);
  });

  it(`keeps its jobs on the ${backend} backend and nowhere else`, async () => {
    // Reminders 3, 2 and 1 hours before a deadline 10 hours away: all within the queue's horizon.
    await api()
      .put(`/api/v1/plans/${planId}/policy`)
      .send({ offsets: ['-PT3H', '-PT2H', '-PT1H'] })
      .expect(200);
    const task = await taskDueIn(30, 'jcc@example.org', 10 * 3600);
    const ids = await eventually(async () => {
      const rows = await occurrencesOf(app.db, task.id);
      const scheduled = rows.filter(
        (r) => r.source === 'task.deadline' && r.status === 'scheduled',
      );
      return scheduled.length === 3 && scheduled.every((r) => r.queued)
        ? scheduled.map((r) => reminderJobId(r))
        : undefined;
    });
    const [{ n: pgJobs }]: { n: number }[] = await app.db
      .query(
        `SELECT count(*)::int AS n FROM bullmq.job WHERE queue = 'reminders' AND id = ANY($1)`,
        [ids],
      )
      .catch(() => [{ n: 0 }]);
    let redisJobs = 0;
    if (redisUrl) {
      const client = new Redis(redisUrl);
      for (const id of ids) redisJobs += await client.exists(`${prefix}:reminders:${id}`);
      client.disconnect();
    }
    expect(backend === 'postgres' ? [pgJobs, redisJobs] : [redisJobs, pgJobs]).toEqual([3, 0]);
    const health = await api().get('/api/v1/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      queue: { status: 'up', backend },
    });
  });

  it('mails the unit a reminder seconds before its deadline', async () => {
    await api()
      .put(`/api/v1/plans/${planId}/policy`)
      .send({ offsets: ['-PT4S'] })
      .expect(200);
    const before = smtp.messages.length;
    const task = await taskDueIn(1, 'xck@example.org', 6);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.to).toMatchObject({ text: 'xck@example.org' });
    expect(mail.subject).toContain('第1项');
    expect(mail.subject).toContain('坚持用习近平新时代中国特色社会主义思想铸魂育人');
    expect(mail.text).toContain(shanghaiDateTime(new Date(task.dueAt)));
    expect(mail.text).toContain('宣传科');
    // The mail leaves before its record commits: wait for the record.
    const row = await eventually(async () => {
      const rows: { status: string; recipient: string }[] = await app.db.query(
        `SELECT status, recipient FROM notifications WHERE task_id = $1 AND status = 'sent'`,
        [task.id],
      );
      return rows[0];
    });
    expect(row).toEqual({ status: 'sent', recipient: 'xck@example.org' });
  });

  it('sends only the reminder of a moved deadline', async () => {
    const before = smtp.messages.length;
    const task = await taskDueIn(2, 'dy@example.org', 7);
    const newDueAt = new Date(Date.now() + 9000);
    await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: newDueAt.toISOString() })
      .expect(200);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.text).toContain(shanghaiDateTime(newDueAt));
    expect(mail.text).not.toContain(shanghaiDateTime(new Date(task.dueAt)));
    await sleep(2500);
    expect(smtp.messages).toHaveLength(before + 1);
  });

  it('sends nothing for a task marked done before its reminder', async () => {
    const before = smtp.messages.length;
    const task = await taskDueIn(3, 'zj@example.org', 6);
    const done = await api().patch(`/api/v1/tasks/${task.id}`).send({ status: 'done' }).expect(200);
    expect(done.body.status).toBe('closed');
    await sleep(4500);
    expect(smtp.messages).toHaveLength(before);
    const sent = await app.db.query(
      `SELECT 1 FROM notifications WHERE task_id = $1 AND status = 'sent'`,
      [task.id],
    );
    expect(sent).toHaveLength(0);
  });

  it('delivers exactly once when the service restarts between scheduling and firing', async () => {
    const before = smtp.messages.length;
    const task = await taskDueIn(4, 'ty@example.org', 8);
    await app.close();
    app = await start();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.subject).toContain('第4项');
    // Restarting again re-runs the reconciler; the reminder must not go out a second time.
    await app.close();
    app = await start();
    await sleep(2000);
    expect(smtp.messages).toHaveLength(before + 1);
    const rows = await app.db.query(
      `SELECT status FROM notifications WHERE task_id = $1 AND status = 'sent'`,
      [task.id],
    );
    expect(rows).toHaveLength(1);
  });
});
