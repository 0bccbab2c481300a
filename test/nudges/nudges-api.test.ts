import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { eventually, seedPlan, SEED_FILE, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: string;
  dueDate: string;
}

/** Real time, moved ahead on demand (to step past the nudge window without waiting). */
class ShiftedClock extends Clock {
  shiftMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
}

const mailTo = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

describe('nudges (催办)', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  const clock = new ShiftedClock();
  let tasks: TaskView[];
  let supervisor: string;
  let member: { authorization: string; email: string };

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const sup = () => as(supervisor);
  const lead = (itemNumber: number): TaskView =>
    tasks.find((t) => t.item.number === itemNumber && t.role === 'lead')!;
  const mailsTo = (email: string) => smtp.messages.filter((m) => mailTo(m).includes(email));

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url, clock });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    await sup().post('/api/v1/plans/import').attach('file', seedPlan(), SEED_FILE).expect(201);
    tasks = [];
    for (let page = 1; ; page++) {
      const res = await sup().get('/api/v1/tasks').query({ pageSize: 200, page }).expect(200);
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) break;
    }
    member = await signIn(app, 'unit_member', lead(3).unit.name); // 德育
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('mails the unit at once, the note escaped in HTML and as written in text', async () => {
    const task = lead(3);
    expect(task.unit.name).toBe('德育');
    const note = '请于本周五前报送进展，<b>急</b>';
    const res = await sup().post(`/api/v1/tasks/${task.id}/nudge`).send({ note }).expect(202);
    expect(res.body).toMatchObject({ taskId: task.id, recipients: 1 });

    const mail = await eventually(async () => mailsTo(member.email)[0], 15_000);
    expect(mail.subject).toContain('【催办】第3项');
    expect(mail.subject).toContain(task.item.title);
    expect(mail.subject).toContain('已逾期'); // the seed's 2022 deadline
    expect(mail.text).toContain(`督导室留言：${note}`);
    expect(mail.text).toContain(`截止时间：${task.dueDate}`);
    const html = String(mail.html);
    expect(html).toContain('请于本周五前报送进展，&lt;b&gt;急&lt;/b&gt;');
    expect(html).not.toContain('<b>急</b>');

    const inbox = await as(member.authorization).get('/api/v1/notifications').expect(200);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'nudge', taskId: task.id });
    expect(inbox.body.items[0].body).toContain(note);
  });

  it('refuses a second nudge of the same task within ten minutes (429)', async () => {
    const task = lead(3);
    const before = mailsTo(member.email).length;
    const again = await sup().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(429);
    expect(again.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(again.body.message).toContain('10 分钟内已催办过');
    expect(again.body.details.retryAfterSeconds).toBeGreaterThan(500);
    expect(again.body.details.retryAfterSeconds).toBeLessThanOrEqual(600);

    // Another task of the same unit is not held back.
    const other = lead(4);
    expect(other.unit.name).toBe('德育');
    await sup().post(`/api/v1/tasks/${other.id}/nudge`).send({}).expect(202);
    await eventually(async () => mailsTo(member.email)[before], 15_000);
    await sleep(500);
    expect(mailsTo(member.email)).toHaveLength(before + 1);
    expect(mailsTo(member.email)[before].subject).toContain('第4项');

    // Ten minutes later the task may be nudged again.
    clock.shiftMs = 10 * 60 * 1000 + 1000;
    try {
      await sup().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(202);
    } finally {
      clock.shiftMs = 0;
    }
    const third = await eventually(async () => mailsTo(member.email)[before + 1], 15_000);
    expect(third.subject).toContain('第3项');
    expect(third.text).not.toContain('督导室留言');
  });

  it('lets only supervisors nudge (403)', async () => {
    const res = await as(member.authorization)
      .post(`/api/v1/tasks/${lead(5).id}/nudge`)
      .send({ note: '自己催自己' })
      .expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    const ownTask = tasks.find((t) => t.unit.name === '德育' && t.item.number === 2)!;
    await as(member.authorization).post(`/api/v1/tasks/${ownTask.id}/nudge`).send({}).expect(403);
  });

  it('does not nudge a closed task (409)', async () => {
    const task = lead(31);
    await sup().patch(`/api/v1/tasks/${task.id}`).send({ status: 'done' }).expect(200);
    // No body at all: the note is optional.
    const res = await sup().post(`/api/v1/tasks/${task.id}/nudge`).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, details: { currentStatus: 'closed' } });
    expect(res.body.message).toContain('已办结');
  });

  it('says so when the unit has nobody to receive the nudge (409)', async () => {
    const task = lead(32); // 事务中心: no accounts, no contact address
    const res = await sup().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(409);
    expect(res.body.message).toContain('没有联系人');
    // Once the unit has an address, the nudge goes there.
    await sup()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ email: 'swzx@example.org' })
      .expect(200);
    const ok = await sup().post(`/api/v1/tasks/${task.id}/nudge`).send({}).expect(202);
    expect(ok.body.recipients).toBe(1);
    const mail = await eventually(async () => mailsTo('swzx@example.org')[0], 15_000);
    expect(mail.subject).toContain('第32项');
  });

  it('rejects an over-long note with 400 naming the field', async () => {
    const res = await sup()
      .post(`/api/v1/tasks/${lead(6).id}/nudge`)
      .send({ note: '急'.repeat(1001) })
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('note');
    await sup().post('/api/v1/tasks/00000000-0000-4000-8000-000000000000/nudge').expect(404);
  });

  it('lists every nudge in the audit trail', async () => {
    const task = lead(3);
    const audit = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: task.id })
      .expect(200);
    const nudges = audit.body.items.filter((e: { action: string }) => e.action === 'task.nudge');
    expect(nudges).toHaveLength(2);
    expect(nudges.map((e: { after: { note: string | null } }) => e.after.note)).toEqual(
      expect.arrayContaining(['请于本周五前报送进展，<b>急</b>', null]),
    );
    expect(nudges[0].after.recipients).toBe(1);
    // The refused attempts are recorded as well.
    const refused = audit.body.items.filter((e: { action: string }) => e.action === 'forbidden');
    expect(refused).toHaveLength(0);
    const other = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: lead(5).id })
      .expect(200);
    expect(other.body.items.map((e: { action: string }) => e.action)).toContain('forbidden');
  });
});
