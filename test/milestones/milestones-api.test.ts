import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Reconciler } from '../../workers/reconciler.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { eventually, seedPlan, SEED_FILE, shanghaiDateTime, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { jobOf, occurrencesOf, wipeQueues } from '../support/reminders.js';

/** A year ahead: deadlines must lie within a few years of the plan's year and today. */
const Y = new Date().getFullYear() + 1;

interface TaskView {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  dueDate: string;
  dueAt: string;
}

interface MilestoneView {
  id: string;
  taskId: string;
  title: string;
  dueDate: string;
  dueAt: string;
  done: boolean;
  doneAt: string | null;
  overdue: boolean;
}

const mailTo = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

/** An instant `seconds` ahead on a whole second that is not :00 (mail then shows hh:mm:ss). */
function secondsAhead(seconds: number): Date {
  const t = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
  return t.getUTCSeconds() === 0 ? new Date(t.getTime() + 1000) : t;
}

describe('milestones (节点) API and reminders', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let tasks: TaskView[];
  let supervisor: string;
  let member: { authorization: string; email: string };
  let head: { authorization: string; email: string };
  let outsider: { authorization: string };
  let task: TaskView;

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const sup = () => as(supervisor);
  const lead = (itemNumber: number): TaskView =>
    tasks.find((t) => t.item.number === itemNumber && t.role === 'lead')!;
  const mailsAbout = (title: string) => smtp.messages.filter((m) => m.subject?.includes(title));
  const addMilestone = async (body: Record<string, unknown>, on: TaskView = task) =>
    (await sup().post(`/api/v1/tasks/${on.id}/milestones`).send(body).expect(201))
      .body as MilestoneView;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    await sup().post('/api/v1/plans/import').attach('file', seedPlan(), SEED_FILE).expect(201);
    tasks = [];
    for (let page = 1; ; page++) {
      const res = await sup().get('/api/v1/tasks').query({ pageSize: 200, page }).expect(200);
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) break;
    }
    task = lead(5);
    member = await signIn(app, 'unit_member', task.unit.name);
    head = await signIn(app, 'unit_head', task.unit.name);
    const otherUnit = tasks.find((t) => t.unit.name !== task.unit.name)!.unit.name;
    outsider = await signIn(app, 'unit_member', otherUnit);
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('lets a supervisor add a milestone once the task’s deadline is in the future', async () => {
    // The seed's 2022 deadline has passed: no milestone fits before it.
    const tooLate = await sup()
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .send({ title: '完成调研', dueDate: `${Y}-03-31` })
      .expect(400);
    expect(tooLate.body.details[0].field).toBe('dueDate');
    expect(tooLate.body.message).toContain(`不能晚于任务截止时间 ${task.dueDate}`);

    const moved = await sup()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueDate: `${Y}-06-30` })
      .expect(200);
    task = moved.body as TaskView;
    const created = await addMilestone({ title: '  完成调研  ', dueDate: `${Y}-03-31` });
    expect(created).toMatchObject({
      taskId: task.id,
      title: '完成调研',
      dueDate: `${Y}-03-31`,
      dueAt: `${Y}-03-31T15:59:59.000Z`,
      done: false,
      doneAt: null,
      overdue: false,
    });
    const exact = await addMilestone({ title: '提交方案', dueAt: `${Y}-02-01T10:30:00+08:00` });
    expect(exact).toMatchObject({ dueDate: `${Y}-02-01`, dueAt: `${Y}-02-01T02:30:00.000Z` });

    const list = await sup().get(`/api/v1/tasks/${task.id}/milestones`).expect(200);
    expect(list.body).toMatchObject({ total: 2, page: 1, pageSize: 100 });
    expect(list.body.items.map((m: MilestoneView) => m.title)).toEqual(['提交方案', '完成调研']);
    const paged = await sup()
      .get(`/api/v1/tasks/${task.id}/milestones`)
      .query({ page: 2, pageSize: 1 })
      .expect(200);
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.body.items.map((m: MilestoneView) => m.title)).toEqual(['完成调研']);

    const audit = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'milestone', entityId: created.id })
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'milestone.create',
      after: { title: '完成调研', dueDate: `${Y}-03-31`, taskId: task.id },
    });

    // The unit reads its own task's milestones; another unit does not.
    const own = await as(member.authorization)
      .get(`/api/v1/tasks/${task.id}/milestones`)
      .expect(200);
    expect(own.body.total).toBe(2);
    await as(outsider.authorization).get(`/api/v1/tasks/${task.id}/milestones`).expect(403);
  });

  it('lets a unit member mark a milestone done, but not add, edit or delete one (403)', async () => {
    const refused = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .send({ title: '联络员自加节点', dueDate: `${Y}-04-30` })
      .expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });

    const byHead = await as(head.authorization)
      .post(`/api/v1/tasks/${task.id}/milestones`)
      .send({ title: '科室负责人节点', dueDate: `${Y}-04-30` })
      .expect(201);
    const milestone = byHead.body as MilestoneView;

    await as(member.authorization)
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ title: '改名' })
      .expect(403);
    await as(outsider.authorization)
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ done: true })
      .expect(403);
    const done = await as(member.authorization)
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ done: true })
      .expect(200);
    expect(done.body).toMatchObject({ id: milestone.id, title: '科室负责人节点', done: true });
    expect(Date.parse(done.body.doneAt)).toBeGreaterThan(Date.now() - 60_000);
    const reopened = await as(member.authorization)
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ done: false })
      .expect(200);
    expect(reopened.body).toMatchObject({ done: false, doneAt: null });

    await as(member.authorization).delete(`/api/v1/milestones/${milestone.id}`).expect(403);
    await as(head.authorization).delete(`/api/v1/milestones/${milestone.id}`).expect(403);
    await sup().delete(`/api/v1/milestones/${milestone.id}`).expect(204);
    const list = await sup().get(`/api/v1/tasks/${task.id}/milestones`).expect(200);
    expect(list.body.items.map((m: MilestoneView) => m.id)).not.toContain(milestone.id);
    await sup().patch(`/api/v1/milestones/${milestone.id}`).send({ done: true }).expect(404);

    const audit = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'milestone', entityId: milestone.id })
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual(
      ['milestone.complete', 'milestone.create', 'milestone.delete', 'milestone.reopen'].sort(),
    );
    const forbidden = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: task.id })
      .expect(200);
    expect(
      forbidden.body.items.filter(
        (e: { action: string; after: { attempted?: string } }) =>
          e.action === 'forbidden' && e.after.attempted === 'milestone.manage',
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('refuses a milestone in the past or after the task deadline with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '过去', dueDate: '2020-01-01' }, 'dueDate'],
      [{ title: '晚于截止', dueDate: `${Y}-07-01` }, 'dueDate'],
      [{ title: '过去时刻', dueAt: '2001-01-01T00:00:00Z' }, 'dueAt'],
      [{ title: '晚于截止时刻', dueAt: `${Y}-07-01T09:00:00+08:00` }, 'dueAt'],
      [{ title: '无时区', dueAt: `${Y}-05-01T09:00:00` }, 'dueAt'],
      [{ title: '二者皆有', dueDate: `${Y}-05-01`, dueAt: `${Y}-05-01T09:00:00Z` }, 'dueAt'],
      [{ title: '   ', dueDate: `${Y}-05-01` }, 'title'],
      [{ title: '长'.repeat(201), dueDate: `${Y}-05-01` }, 'title'],
      [{ dueDate: `${Y}-05-01` }, 'title'],
      [{ title: '未知字段', dueDate: `${Y}-05-01`, deadline: `${Y}-05-01` }, 'deadline'],
    ];
    for (const [body, field] of cases) {
      const res = await sup().post(`/api/v1/tasks/${task.id}/milestones`).send(body).expect(400);
      expect([body, res.body.details.map((d: { field: string }) => d.field)]).toEqual([
        body,
        expect.arrayContaining([field]),
      ]);
    }
    const list = await sup().get(`/api/v1/tasks/${task.id}/milestones`).expect(200);
    expect(list.body.total).toBe(2);

    // Moving an existing milestone past the deadline is refused too, and changes nothing.
    const [first] = list.body.items as MilestoneView[];
    const moved = await sup()
      .patch(`/api/v1/milestones/${first.id}`)
      .send({ dueDate: `${Y}-12-31` })
      .expect(400);
    expect(moved.body.details[0].field).toBe('dueDate');
    const after = await sup().get(`/api/v1/tasks/${task.id}/milestones`).expect(200);
    expect(after.body.items[0]).toMatchObject({ id: first.id, dueAt: first.dueAt });
  });

  it('mails the unit’s contacts a reminder before a milestone under a seconds policy', async () => {
    await sup()
      .put(`/api/v1/plans/${task.planId}/policy`)
      .send({ offsets: ['-PT3S'] })
      .expect(200);
    const dueAt = secondsAhead(6);
    const milestone = await addMilestone({ title: '节点提醒测试', dueAt: dueAt.toISOString() });
    // One message to each of the unit's contacts.
    const mails = await eventually(async () => {
      const found = mailsAbout('节点提醒测试');
      return found.length >= 2 ? found : undefined;
    }, 20_000);
    expect(mails.map(mailTo).sort()).toEqual([head.email, member.email].sort());
    const [mail] = mails;
    expect(mail.subject).toContain(`第${task.item.number}项`);
    expect(mail.subject).toContain(shanghaiDateTime(dueAt));
    expect(mail.subject).toContain('【节点提醒】');
    expect(mail.text).toContain(task.unit.name);
    expect(mail.text).toContain(task.item.title);
    expect(mail.text).toContain(`任务截止时间：${Y}-06-30`);
    // Sent before the deadline it announces.
    expect(mail.date!.getTime()).toBeLessThan(dueAt.getTime());

    const [occurrence] = await occurrencesOf(app.db, milestone.id);
    expect(occurrence).toMatchObject({ key: `-PT3S@${dueAt.toISOString()}`, status: 'fired' });
    const rows = await eventually(async () => {
      const found: { recipient: string; dedupe_key: string }[] = await app.db.query(
        `SELECT recipient, dedupe_key FROM notifications
          WHERE milestone_id = $1 AND channel = 'email' AND status = 'sent' ORDER BY recipient`,
        [milestone.id],
      );
      return found.length === 2 ? found : undefined;
    });
    expect(rows.map((r) => r.recipient)).toEqual([head.email, member.email].sort());
    for (const r of rows) {
      expect(r.dedupe_key).toMatch(
        new RegExp(`^milestone\\.reminder:${occurrence.id}:[0-9a-f-]{36}:email$`),
      );
    }
    await sleep(1500);
    expect(mailsAbout('节点提醒测试')).toHaveLength(2);
  });

  it('sends nothing for a milestone marked done before its reminder', async () => {
    const dueAt = secondsAhead(6);
    const milestone = await addMilestone({ title: '提前完成的节点', dueAt: dueAt.toISOString() });
    await as(member.authorization)
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ done: true })
      .expect(200);
    await sleep(dueAt.getTime() - Date.now() + 1500);
    expect(mailsAbout('提前完成的节点')).toHaveLength(0);
    const list = await sup().get(`/api/v1/tasks/${task.id}/milestones`).expect(200);
    expect(list.body.items.find((m: MilestoneView) => m.id === milestone.id)).toMatchObject({
      done: true,
      overdue: false,
    });
  });

  it('never sends a reminder that was already due when the milestone was set', async () => {
    // Due in 1.5 s: its "3 s before" reminder lies in the past.
    const dueAt = new Date(Date.now() + 1500);
    const milestone = await addMilestone({ title: '临近的节点', dueAt: dueAt.toISOString() });
    const rows = await occurrencesOf(app.db, milestone.id);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', expect.stringContaining('已过')],
    ]);
    await sleep(dueAt.getTime() - Date.now() + 1500);
    expect(mailsAbout('临近的节点')).toHaveLength(0);
  });

  it('reschedules the reminder when the milestone date moves', async () => {
    const first = secondsAhead(60);
    const milestone = await addMilestone({ title: '改期的节点', dueAt: first.toISOString() });
    const moved = secondsAhead(6);
    await sup()
      .patch(`/api/v1/milestones/${milestone.id}`)
      .send({ dueAt: moved.toISOString() })
      .expect(200);
    const mail = await eventually(async () => mailsAbout('改期的节点')[0], 20_000);
    expect(mail.subject).toContain(shanghaiDateTime(moved));
    expect(mail.subject).not.toContain(shanghaiDateTime(first));
    // The reminder of the old date is gone with it.
    const plan = await occurrencesOf(app.db, milestone.id);
    expect(plan.map((r) => [r.key, r.status])).toEqual([
      [`-PT3S@${moved.toISOString()}`, 'fired'],
      [`-PT3S@${first.toISOString()}`, 'cancelled'],
    ]);
  });

  it('rebuilds a lost milestone reminder from the database when the queue loses its data', async () => {
    const dueAt = secondsAhead(7);
    const milestone = await addMilestone({ title: '队列丢失的节点', dueAt: dueAt.toISOString() });
    const [occurrence] = await occurrencesOf(app.db, milestone.id);
    expect(await eventually(() => jobOf(app, occurrence.id))).toBeDefined();
    await wipeQueues(app);
    expect(await jobOf(app, occurrence.id)).toBeUndefined();
    await app.app.get(Reconciler).checkQueueNow();
    expect(await jobOf(app, occurrence.id)).toBeDefined();
    const mails = await eventually(async () => {
      const found = mailsAbout('队列丢失的节点');
      return found.length >= 2 ? found : undefined;
    }, 20_000);
    expect(mails[0].subject).toContain(shanghaiDateTime(dueAt));
    expect(mails.map(mailTo).sort()).toEqual([head.email, member.email].sort());
  });

  it('moves milestone reminders at once when the plan policy changes', async () => {
    const dueAt = secondsAhead(3600);
    const milestone = await addMilestone({ title: '策略变更的节点', dueAt: dueAt.toISOString() });
    const keyOf = (offset: string) => `${offset}@${dueAt.toISOString()}`;
    const before = await eventually(async () => {
      const rows = await occurrencesOf(app.db, milestone.id);
      return rows.every((r) => r.queued) ? rows : undefined;
    });
    expect(before.map((r) => [r.key, r.status, r.queued])).toEqual([
      [keyOf('-PT3S'), 'scheduled', true],
    ]);
    await sup()
      .put(`/api/v1/plans/${task.planId}/policy`)
      .send({ offsets: ['-PT10M'] })
      .expect(200);
    const after = await eventually(async () => {
      const rows = await occurrencesOf(app.db, milestone.id);
      return rows.every((r) => r.status !== 'scheduled' || r.queued) ? rows : undefined;
    });
    expect(after.map((r) => [r.key, r.status, r.queued])).toEqual([
      [keyOf('-PT10M'), 'scheduled', true],
      [keyOf('-PT3S'), 'cancelled', true],
    ]);
    expect(await jobOf(app, after[0].id)).toBeDefined();
  });
});
