import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { signIn, startTestApp, uniquePrefix, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';
import { occurrencesOf } from '../support/reminders.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

/**
 * Task deadlines and milestone dates are two sources of one pipeline: the same occurrences, the
 * same outbox, one message per recipient, each sent once — also across a worker restart.
 */
describe('one reminder pipeline for every source', () => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;
  const prefix = uniquePrefix();
  const redisUrl = testRedisUrl();
  const start = () =>
    startTestApp({ databaseUrl, smtpUrl: smtp.url, redisUrl, queuePrefix: prefix });

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await start();
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('a task reminder and a milestone reminder reach each of two contacts once, across a restart', async () => {
    const plan = await seededPlan(app);
    await plan.setPolicy(['-PT2S']);
    const [task] = plan.leadsOfDistinctUnits();
    const head = await signIn(app, 'unit_head', task.unit.name);
    const member = await signIn(app, 'unit_member', task.unit.name);
    const dueAt = await plan.dueIn(task, 12_000);
    const milestoneAt = new Date(dueAt.getTime() - 3000);
    const milestone = await plan
      .api()
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .send({ title: '方案定稿', dueAt: milestoneAt.toISOString() })
      .expect(201);
    // Both are planned in the same table, by their own source.
    const taskPlan = await occurrencesOf(app.db, task.id);
    const milestonePlan = await occurrencesOf(app.db, milestone.body.id);
    // The task's deadline reminder, and its escalation ladder (days away, after the deadline).
    expect(taskPlan.filter((o) => o.status === 'scheduled').map((o) => o.source)).toEqual([
      'task.deadline',
      'task.escalation',
      'task.escalation',
      'task.escalation',
    ]);
    const escalations = taskPlan.filter(
      (o) => o.source === 'task.escalation' && o.status === 'scheduled',
    );
    expect(Math.min(...escalations.map((o) => o.fireAt.getTime()))).toBeGreaterThan(
      dueAt.getTime() + 3600_000,
    );
    expect(milestonePlan.map((o) => [o.source, o.status])).toEqual([
      ['milestone.deadline', 'scheduled'],
    ]);

    // The worker goes away before anything fires, and comes back.
    await app.close();
    await sleep(1000);
    app = await start();

    await eventually(async () => {
      const mine = smtp.messages.filter((m) => [head.email, member.email].includes(to(m)));
      return mine.length >= 4 ? mine : undefined;
    }, 30_000);
    await sleep(3000);
    const all = smtp.messages.filter((m) => [head.email, member.email].includes(to(m)));
    expect(all).toHaveLength(4);
    const kinds = (email: string) =>
      all
        .filter((m) => to(m) === email)
        .map((m) => (m.subject?.startsWith('【节点提醒】') ? 'milestone' : 'task'))
        .sort();
    expect(kinds(head.email)).toEqual(['milestone', 'task']);
    expect(kinds(member.email)).toEqual(['milestone', 'task']);

    // One outbox row per recipient and channel, for either source.
    const rows: { kind: string; channel: string; recipient: string; status: string }[] =
      await app.db.query(
        `SELECT kind, channel, recipient, status FROM notifications
          WHERE task_id = $1 ORDER BY kind, channel, recipient`,
        [task.id],
      );
    const emails = [head.email, member.email].sort();
    expect(rows).toEqual([
      ...emails.map((r) => ({
        kind: 'milestone.reminder',
        channel: 'email',
        recipient: r,
        status: 'sent',
      })),
      ...emails.map((r) => ({
        kind: 'milestone.reminder',
        channel: 'inbox',
        recipient: r,
        status: 'sent',
      })),
      ...emails.map((r) => ({ kind: 'reminder', channel: 'email', recipient: r, status: 'sent' })),
      ...emails.map((r) => ({ kind: 'reminder', channel: 'inbox', recipient: r, status: 'sent' })),
    ]);
  });
});
