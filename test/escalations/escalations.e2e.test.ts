import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { Redis } from 'ioredis';
import request from 'supertest';
import { signIn, startTestApp, uniquePrefix, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../support/databases.js';
import { type FixtureTask, seededPlan } from '../support/plan-fixture.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const redisUrl = testRedisUrl();
const backends: [string, string | null][] = [['postgres', null]];
if (redisUrl) backends.push(['redis', redisUrl]);

const recipientsOf = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

interface ScheduleEntry {
  occurrenceId: string;
  fireAt: string;
  source: string;
  kind: string;
  kindLabel: string;
  why: string;
  recipients: { channel: string; to: string }[];
}

/** The business-time (Asia/Shanghai) calendar date `days` from now, YYYY-MM-DD. */
const businessDateIn = (days: number) =>
  new Date(Date.now() + days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

/** A seconds-level ladder: yellow 2 s after the deadline, red after 5 s, overdue every 2 s. */
const FAST_LADDER = { yellow: 'PT2S', red: 'PT5S', repeat: 'PT2S' };

/**
 * The escalation ladder end to end on both queue backends: the schedule preview says what will
 * go out, the yellow card reaches the unit's head, the red card the supervision office and the
 * leaders, overdue reminders repeat until the unit reports; an approved extension resets the card.
 */
describe.each(backends)('escalation ladder on the %s queue backend', (_backend, redis) => {
  let smtp: TestSmtp;
  let databaseUrl: string;
  let app: TestApp;
  const prefix = uniquePrefix();
  let plan: Awaited<ReturnType<typeof seededPlan>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    databaseUrl = await createTestDatabase();
    app = await startTestApp({
      databaseUrl,
      redisUrl: redis,
      smtpUrl: smtp.url,
      queuePrefix: prefix,
    });
    plan = await seededPlan(app);
    // Only escalations matter here: one deadline reminder at the deadline itself.
    await plan.setPolicy(['PT0S']);
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

  async function itemIdOf(task: FixtureTask): Promise<string> {
    const [{ item_id }]: { item_id: string }[] = await app.db.query(
      `SELECT item_id FROM tasks WHERE id = $1`,
      [task.id],
    );
    return item_id;
  }

  const mailsTo = (email: string, subject: string) =>
    smtp.messages.filter((m) => recipientsOf(m).includes(email) && m.subject?.includes(subject));

  it('previews, then sends exactly that: yellow card to the head, red card to supervisors and leaders, overdue reminders until the report', async () => {
    const [task] = plan.leadsOfDistinctUnits();
    const head = await signIn(app, 'unit_head', task.unit.name);
    const member = await signIn(app, 'unit_member', task.unit.name);
    const supervisor = plan.supervisor;
    const leader = await signIn(app, 'leader');
    await plan
      .api()
      .put(`/api/v1/items/${await itemIdOf(task)}/escalation`)
      .send(FAST_LADDER)
      .expect(200);
    const dueAt = await plan.dueIn(task, 4000);

    const preview = await plan.api().get(`/api/v1/tasks/${task.id}/schedule`).expect(200);
    const entries = preview.body.items as ScheduleEntry[];
    expect(entries.map((e) => [e.kind, new Date(e.fireAt).getTime() - dueAt.getTime()])).toEqual([
      ['reminder', 0],
      ['escalation.yellow', 2000],
      ['escalation.overdue', 4000],
      ['escalation.red', 5000],
    ]);
    expect(entries.map((e) => e.kindLabel)).toEqual([
      '截止提醒',
      '黄牌督办',
      '逾期提醒',
      '红牌督办',
    ]);
    expect(entries[1].why).toContain('黄牌');
    const emailsOf = (e: ScheduleEntry) =>
      e.recipients
        .filter((r) => r.channel === 'email')
        .map((r) => r.to)
        .sort();
    // The yellow card goes to the unit's head only; the red card to every supervisor and leader.
    expect(emailsOf(entries[1])).toEqual([head.email]);
    expect(emailsOf(entries[0])).toEqual([head.email, member.email].sort());
    expect(emailsOf(entries[3])).toEqual(expect.arrayContaining([supervisor.email, leader.email]));
    expect(emailsOf(entries[3])).not.toContain(head.email);
    // Each person also finds it in the inbox.
    expect(entries[3].recipients.filter((r) => r.channel === 'inbox')).toHaveLength(
      emailsOf(entries[3]).length,
    );

    // The red card arrives, naming the late unit.
    const red = await eventually(async () => mailsTo(leader.email, '红牌')[0], 30_000);
    expect(red.text).toContain(task.unit.name);
    expect(mailsTo(head.email, '黄牌')).toHaveLength(1);
    expect(mailsTo(member.email, '黄牌')).toHaveLength(0);
    const view = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(view.body.escalation.level).toBe('red');
    const listed = await plan
      .api()
      .get('/api/v1/tasks')
      .query({ planId: plan.planId, escalation: 'red' })
      .expect(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);

    // What went out is what the preview listed: per occurrence, the same recipients and channels.
    for (const entry of entries) {
      const sent: { channel: string; recipient: string; kind: string }[] = await app.db.query(
        `SELECT channel, recipient, kind FROM notifications WHERE occurrence_id = $1`,
        [entry.occurrenceId],
      );
      expect(sent.every((s) => s.kind === entry.kind)).toBe(true);
      expect(sent.map((s) => `${s.channel}:${s.recipient}`).sort()).toEqual(
        entry.recipients.map((r) => `${r.channel}:${r.to}`).sort(),
      );
    }

    // Overdue reminders repeat every 2 s until the unit reports; then they stop, and the card ends.
    await eventually(
      async () => (mailsTo(member.email, '逾期').length >= 2 ? true : undefined),
      30_000,
    );
    await request(app.baseUrl)
      .post(`/api/v1/tasks/${task.id}/submissions`)
      .set('Authorization', member.authorization)
      .send({ body: '已完成方案初稿' })
      .expect(201);
    await sleep(500);
    const overdueAfterReport = mailsTo(member.email, '逾期').length;
    await sleep(5000);
    expect(mailsTo(member.email, '逾期')).toHaveLength(overdueAfterReport);
    const after = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(after.body.escalation).toEqual({ level: 'none', since: null });
    const audit = await plan
      .api()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: task.id, pageSize: 200 })
      .expect(200);
    const actions = (audit.body.items as { action: string; after: { level?: string } }[]).map(
      (a) => `${a.action}:${a.after?.level ?? ''}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'task.escalate:yellow',
        'task.escalate:red',
        'task.escalation_reset:none',
      ]),
    );
  }, 120_000);

  it('an approved extension resets the card and plans the ladder for the new deadline', async () => {
    const [, task] = plan.leadsOfDistinctUnits();
    const head = await signIn(app, 'unit_head', task.unit.name);
    await plan
      .api()
      .put(`/api/v1/items/${await itemIdOf(task)}/escalation`)
      .send({ yellow: 'PT1S', red: 'PT60S', repeat: null })
      .expect(200);
    await plan.dueIn(task, 3000);
    // Asked before the deadline, decided after the card.
    const asked = await request(app.baseUrl)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .set('Authorization', head.authorization)
      .send({ reason: '需与街道协调', proposedDueDate: businessDateIn(20) })
      .expect(201);
    await eventually(async () => mailsTo(head.email, '黄牌')[0], 30_000);
    await eventually(async () => {
      const v = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
      return v.body.escalation.level === 'yellow' ? true : undefined;
    });

    await plan
      .api()
      .post(`/api/v1/extension-requests/${asked.body.id}/approve`)
      .send({})
      .expect(200);

    const view = await plan.api().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(view.body.escalation).toEqual({ level: 'none', since: null });
    const schedule = await plan.api().get(`/api/v1/tasks/${task.id}/schedule`).expect(200);
    const cards = (schedule.body.items as ScheduleEntry[]).filter(
      (e) => e.source === 'task.escalation',
    );
    // The new deadline's yellow card is the first card still to come, after the new deadline.
    expect(cards.map((c) => c.kind)).toEqual(['escalation.yellow', 'escalation.red']);
    expect(new Date(cards[0].fireAt).getTime()).toBeGreaterThan(
      new Date(view.body.dueAt).getTime(),
    );
    // The old deadline's red card never goes out.
    await sleep(1000);
    expect(
      smtp.messages.filter((m) => m.subject?.includes('红牌') && m.text?.includes(task.unit.name)),
    ).toHaveLength(0);
  }, 120_000);

  it('a report committed around the moment a card fires never yields a false card', async () => {
    // Eight units' tasks, each reported at its yellow card's moment ± up to 50 ms.
    const tasks = plan.leadsOfDistinctUnits().slice(2, 10);
    const members = await Promise.all(tasks.map((t) => signIn(app, 'unit_member', t.unit.name)));
    for (const t of tasks) {
      await plan
        .api()
        .put(`/api/v1/items/${await itemIdOf(t)}/escalation`)
        .send({ yellow: 'PT2S', red: 'PT60S', repeat: null })
        .expect(200);
    }
    const dueAts = await Promise.all(tasks.map((t) => plan.dueIn(t, 2000)));
    await Promise.all(
      tasks.map(async (t, i) => {
        const cardAt = dueAts[i].getTime() + 2000;
        await sleep(cardAt - Date.now() + (i - 4) * 12.5);
        await request(app.baseUrl)
          .post(`/api/v1/tasks/${t.id}/submissions`)
          .set('Authorization', members[i].authorization)
          .send({ body: '已报送' })
          .expect(201);
      }),
    );
    await sleep(2000);
    for (const t of tasks) {
      const [occ]: { status: string }[] = await app.db.query(
        `SELECT status FROM reminder_occurrences
          WHERE task_id = $1 AND source = 'task.escalation' AND detail->>'step' = 'yellow'
          ORDER BY fire_at DESC LIMIT 1`,
        [t.id],
      );
      // The audit trail is written under the task's row lock, so its order is the order in which
      // the card and the report were decided.
      const trail: { action: string }[] = await app.db.query(
        `SELECT action FROM audit_log
          WHERE entity_type = 'task' AND entity_id = $1 AND action IN ('task.escalate', 'task.submit')
          ORDER BY id`,
        [t.id],
      );
      const cards: unknown[] = await app.db.query(
        `SELECT 1 FROM notifications WHERE task_id = $1 AND kind = 'escalation.yellow'`,
        [t.id],
      );
      if (occ.status === 'fired') {
        // The card went out because the task was still waiting when it was decided.
        expect(trail.map((a) => a.action)).toEqual(['task.escalate', 'task.submit']);
        expect(cards.length).toBeGreaterThan(0);
      } else {
        // Reported first: the card is cancelled, nothing sent, no level raised.
        expect(occ.status).toBe('cancelled');
        expect(trail.map((a) => a.action)).toEqual(['task.submit']);
        expect(cards).toHaveLength(0);
      }
      const v = await plan.api().get(`/api/v1/tasks/${t.id}`).expect(200);
      expect(v.body.escalation.level).toBe('none');
    }
  }, 180_000);

  it('a red card goes to the unit’s leader in charge once one is set, and only a leader can be', async () => {
    const task = plan.leadsOfDistinctUnits().at(-1)!;
    const inCharge = await signIn(app, 'leader');
    const other = await signIn(app, 'leader');
    const redOf = async () => {
      const res = await plan.api().get(`/api/v1/tasks/${task.id}/schedule`).expect(200);
      const red = (res.body.items as ScheduleEntry[]).find((e) => e.kind === 'escalation.red')!;
      return red.recipients.filter((r) => r.channel === 'email').map((r) => r.to);
    };
    await plan.dueIn(task, 3600_000);
    // No leader in charge: every leader.
    expect(await redOf()).toEqual(expect.arrayContaining([inCharge.email, other.email]));

    const refused = await plan
      .api()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ leaderId: plan.supervisor.userId })
      .expect(400);
    expect(refused.body.message).toContain('局领导');
    const set = await plan
      .api()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ leaderId: inCharge.userId })
      .expect(200);
    expect(set.body.leaderId).toBe(inCharge.userId);
    const red = await redOf();
    expect(red).toContain(inCharge.email);
    expect(red).not.toContain(other.email);
    expect(red).toContain(plan.supervisor.email);
  });
});
