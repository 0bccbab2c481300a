import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { endOfBusinessDay } from '../../src/calendar/business-time.js';
import { jobOf, occurrencesOf } from '../support/reminders.js';
import { normalizeOffset } from '../../src/reminders/reminder-policy.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { eventually, seedPlan, SEED_FILE, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

interface TaskView {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: string;
  dueDate: string;
  dueAt: string;
  version: number;
}

interface ExtensionView {
  id: string;
  taskId: string;
  status: string;
  reason: string;
  currentDueAt: string;
  currentDueDate: string;
  proposedDueDate: string;
  requestedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
  decisionComment: string | null;
  version: number;
}

const TZ = 'Asia/Shanghai';

/** The Shanghai business date `days` calendar days from now. */
function businessDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(
    new Date(Date.now() + days * 24 * 3600 * 1000),
  );
}

const mailTo = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

describe('extension requests (延期申请)', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let planId: string;
  let tasks: TaskView[];
  let supervisor: string;
  let supervisor2: string;
  /** One signed-in unit member per unit name. */
  const members = new Map<string, { authorization: string; email: string; userId: string }>();

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const sup = () => as(supervisor);
  const lead = (itemNumber: number): TaskView =>
    tasks.find((t) => t.item.number === itemNumber && t.role === 'lead')!;
  const memberOf = (task: TaskView) => members.get(task.unit.name)!;
  const mailsTo = (email: string) => smtp.messages.filter((m) => mailTo(m).includes(email));

  /** Moves a task's deadline (as the supervisor) to the end of a business date. */
  async function dueOn(task: TaskView, dueDate: string): Promise<TaskView> {
    const res = await sup().patch(`/api/v1/tasks/${task.id}`).send({ dueDate }).expect(200);
    return res.body as TaskView;
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    supervisor2 = (await signIn(app, 'supervisor')).authorization;
    const imported = await sup()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    tasks = [];
    for (let page = 1; ; page++) {
      const res = await sup().get('/api/v1/tasks').query({ pageSize: 200, page }).expect(200);
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) break;
    }
    for (const n of [1, 2, 10, 22, 30, 36]) {
      const unit = lead(n).unit.name;
      if (!members.has(unit)) members.set(unit, await signIn(app, 'unit_member', unit));
    }
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('approval moves the deadline and its reminders, and mails the unit', async () => {
    const task = lead(1); // 宣传科
    const member = memberOf(task);
    const offset = normalizeOffset('-PT3S');
    await sup()
      .put(`/api/v1/plans/${planId}/policy`)
      .send({ offsets: ['-PT3S'] })
      .expect(200);
    // Due in 10 s: without the extension, a reminder would go out in 7 s.
    const oldDueAt = new Date(Date.now() + 10_000);
    await sup()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: oldDueAt.toISOString() })
      .expect(200);
    const [oldReminder] = await occurrencesOf(app.db, task.id).then((rows) =>
      rows.filter((r) => r.status === 'scheduled'),
    );
    expect(oldReminder.key).toBe(`${offset}@${oldDueAt.toISOString()}`);
    expect(await eventually(() => jobOf(app, oldReminder.id))).toBeDefined();

    const proposedDueDate = businessDate(30);
    const created = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '需等待市级文件下发后再组织实施', proposedDueDate })
      .expect(201);
    const requested = created.body as ExtensionView;
    expect(requested).toMatchObject({
      taskId: task.id,
      status: 'pending',
      reason: '需等待市级文件下发后再组织实施',
      proposedDueDate,
      currentDueAt: oldDueAt.toISOString(),
      requestedBy: { id: member.userId },
      decidedBy: null,
    });
    // The unit hears nothing yet.
    await sleep(300);
    expect(mailsTo(member.email)).toHaveLength(0);

    const approved = await sup()
      .post(`/api/v1/extension-requests/${requested.id}/approve`)
      .send({ comment: '同意延期' })
      .expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decisionComment: '同意延期',
      decidedBy: expect.objectContaining({ name: expect.any(String) }),
    });

    const newDueAt = endOfBusinessDay(proposedDueDate, TZ);
    const after = await sup().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(after.body).toMatchObject({
      dueDate: proposedDueDate,
      dueAt: newDueAt.toISOString(),
      overdue: false,
    });
    // The reminder moved from the old deadline to the new one.
    const plan = await occurrencesOf(app.db, task.id);
    expect(plan.find((r) => r.id === oldReminder.id)?.status).toBe('cancelled');
    expect(
      plan
        .filter((r) => r.source === 'task.deadline' && r.status === 'scheduled')
        .map((r) => r.key),
    ).toEqual([`${offset}@${newDueAt.toISOString()}`]);
    // The escalation ladder follows the new deadline too.
    expect(
      plan
        .filter((r) => r.source === 'task.escalation' && r.status === 'scheduled')
        .map((r) => r.key)
        .sort(),
    ).toEqual(['overdue#1', 'red', 'yellow'].map((step) => `${step}@${newDueAt.toISOString()}`));

    const mail = await eventually(async () => mailsTo(member.email)[0], 15_000);
    expect(mail.subject).toContain('延期申请已批准');
    expect(mail.subject).toContain('第1项');
    expect(mail.subject).toContain(task.item.title);
    expect(mail.subject).toContain(proposedDueDate);
    expect(mail.text).toContain(`新的截止日期：${proposedDueDate}`);
    expect(mail.text).toContain('同意延期');

    // Past the old deadline: its reminder never arrived, only the approval did.
    await sleep(Math.max(0, oldDueAt.getTime() + 1500 - Date.now()));
    expect(smtp.messages.filter((m) => m.subject?.includes('督办提醒'))).toHaveLength(0);
    expect(mailsTo(member.email)).toHaveLength(1);
    const sent = await app.db.query(
      `SELECT 1 FROM notifications WHERE task_id = $1 AND kind = 'reminder' AND status = 'sent'`,
      [task.id],
    );
    expect(sent).toHaveLength(0);

    // Both the request and the task's deadline change are on the record.
    const audit = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: task.id })
      .expect(200);
    const extend = audit.body.items.find((e: { action: string }) => e.action === 'task.extend');
    expect(extend).toMatchObject({
      before: { dueAt: oldDueAt.toISOString() },
      after: { dueDate: proposedDueDate, extensionRequestId: requested.id },
    });
    const requestAudit = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'extension_request', entityId: requested.id })
      .expect(200);
    expect(requestAudit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'extension.approve',
      'extension.request',
    ]);
  });

  it('refuses a request once the deadline has passed (409)', async () => {
    const task = lead(2); // the seed's 2022 deadline
    const res = await as(memberOf(task).authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '工作量大', proposedDueDate: businessDate(30) })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(res.body.message).toContain('截止后不能再申请延期');
    expect(res.body.message).toContain(task.dueDate);
    const history = await sup().get(`/api/v1/tasks/${task.id}/extension-requests`).expect(200);
    expect(history.body).toMatchObject({ items: [], total: 0 });
  });

  it('rejects a proposed date not later than the deadline, and other bad input, with 400', async () => {
    const task = await dueOn(lead(10), businessDate(20));
    const member = memberOf(task);
    const cases: [Record<string, unknown>, string][] = [
      [{ reason: '延期', proposedDueDate: businessDate(10) }, 'proposedDueDate'],
      [{ reason: '延期', proposedDueDate: task.dueDate }, 'proposedDueDate'],
      [{ reason: '延期', proposedDueDate: '2099-02-30' }, 'proposedDueDate'],
      [{ reason: '延期', proposedDueDate: '30/06/2099' }, 'proposedDueDate'],
      [{ reason: '延期' }, 'proposedDueDate'],
      [{ reason: '   ', proposedDueDate: businessDate(40) }, 'reason'],
      [{ reason: '长'.repeat(2001), proposedDueDate: businessDate(40) }, 'reason'],
      [{ proposedDueDate: businessDate(40) }, 'reason'],
      [{ reason: '延期', proposedDueDate: businessDate(40), dueDate: businessDate(40) }, 'dueDate'],
    ];
    for (const [body, field] of cases) {
      const res = await as(member.authorization)
        .post(`/api/v1/tasks/${task.id}/extension-requests`)
        .send(body)
        .expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const earlier = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '延期', proposedDueDate: businessDate(10) })
      .expect(400);
    expect(earlier.body.message).toContain(`须晚于当前截止日期 ${task.dueDate}`);
    const history = await sup().get(`/api/v1/tasks/${task.id}/extension-requests`).expect(200);
    expect(history.body.total).toBe(0);
  });

  it('allows one pending request per task; a rejection with comment mails the unit', async () => {
    const task = await dueOn(lead(22), businessDate(20));
    const member = memberOf(task);
    const first = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '对口地区行程调整', proposedDueDate: businessDate(40) })
      .expect(201);
    const second = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '再申请一次', proposedDueDate: businessDate(50) })
      .expect(409);
    expect(second.body.message).toContain('已有待审批的延期申请');

    const noComment = await sup()
      .post(`/api/v1/extension-requests/${first.body.id}/reject`)
      .send({})
      .expect(400);
    expect(noComment.body.details.map((d: { field: string }) => d.field)).toContain('comment');

    const comment = '理由不充分，请按<b>原计划</b>完成 & 及时报送';
    const rejected = await sup()
      .post(`/api/v1/extension-requests/${first.body.id}/reject`)
      .send({ comment, version: first.body.version })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionComment: comment });

    const mail = await eventually(async () => mailsTo(member.email)[0], 15_000);
    expect(mail.subject).toContain('延期申请未获批准');
    expect(mail.subject).toContain('第22项');
    expect(mail.subject).toContain(task.dueDate);
    expect(mail.text).toContain(comment);
    expect(mail.text).toContain(`截止日期不变：${task.dueDate}`);
    const html = String(mail.html);
    expect(html).toContain('理由不充分，请按&lt;b&gt;原计划&lt;/b&gt;完成 &amp; 及时报送');
    expect(html).not.toContain('<b>原计划</b>');

    const unchanged = await sup().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(unchanged.body).toMatchObject({ dueDate: task.dueDate, dueAt: task.dueAt });

    // The member sees the decision in the inbox, and may ask again now nothing is pending.
    const inbox = await as(member.authorization).get('/api/v1/notifications').expect(200);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'extension.rejected', taskId: task.id });
    await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '补充说明后再次申请', proposedDueDate: businessDate(35) })
      .expect(201);
    const history = await as(member.authorization)
      .get(`/api/v1/tasks/${task.id}/extension-requests`)
      .query({ pageSize: 1 })
      .expect(200);
    expect(history.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(history.body.items[0]).toMatchObject({
      status: 'pending',
      reason: '补充说明后再次申请',
    });
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const task = await dueOn(lead(30), businessDate(20));
    const member = memberOf(task);
    const created = await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '预算调整', proposedDueDate: businessDate(45) })
      .expect(201);
    const results = await Promise.all([
      as(supervisor).post(`/api/v1/extension-requests/${created.body.id}/approve`).send({}),
      as(supervisor2)
        .post(`/api/v1/extension-requests/${created.body.id}/reject`)
        .send({ comment: '不同意' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.details.currentStatus).toBe(winner.body.status);

    const history = await sup().get(`/api/v1/tasks/${task.id}/extension-requests`).expect(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0].status).toBe(winner.body.status);
    const now = await sup().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(now.body.dueDate).toBe(
      winner.body.status === 'approved' ? businessDate(45) : task.dueDate,
    );
    // One decision, one mail.
    await eventually(async () => mailsTo(member.email)[0], 15_000);
    await sleep(500);
    expect(mailsTo(member.email)).toHaveLength(1);

    // Deciding it again is a conflict naming the current status.
    const again = await sup()
      .post(`/api/v1/extension-requests/${created.body.id}/approve`)
      .expect(409);
    expect(again.body.details.currentStatus).toBe(winner.body.status);
  });

  it('lets only supervisors decide, and only the unit itself request (403)', async () => {
    const task = await dueOn(lead(36), businessDate(20)); // 办公室
    const own = memberOf(task);
    const other = memberOf(lead(1)); // 宣传科
    expect(lead(1).unit.name).not.toBe(task.unit.name);

    const foreign = await as(other.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '代为申请', proposedDueDate: businessDate(40) })
      .expect(403);
    expect(foreign.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    await as(supervisor)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '督导室不能代为申请', proposedDueDate: businessDate(40) })
      .expect(403);
    await as(other.authorization).get(`/api/v1/tasks/${task.id}/extension-requests`).expect(403);

    const created = await as(own.authorization)
      .post(`/api/v1/tasks/${task.id}/extension-requests`)
      .send({ reason: '信访高峰期', proposedDueDate: businessDate(40) })
      .expect(201);
    const selfApproval = await as(own.authorization)
      .post(`/api/v1/extension-requests/${created.body.id}/approve`)
      .send({})
      .expect(403);
    expect(selfApproval.body.statusCode).toBe(403);
    const pending = await sup().get(`/api/v1/tasks/${task.id}/extension-requests`).expect(200);
    expect(pending.body.items[0].status).toBe('pending');
    const unchanged = await sup().get(`/api/v1/tasks/${task.id}`).expect(200);
    expect(unchanged.body.dueDate).toBe(task.dueDate);

    // The refused attempts are on the record.
    const refusals = await sup()
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: task.id })
      .expect(200);
    const attempted = refusals.body.items
      .filter((e: { action: string }) => e.action === 'forbidden')
      .map((e: { after: { attempted: string } }) => e.after.attempted);
    expect(attempted).toEqual(
      expect.arrayContaining(['extension.request', 'extension.read', 'extension.decide']),
    );

    await sup()
      .post('/api/v1/extension-requests/00000000-0000-4000-8000-000000000000/approve')
      .send({})
      .expect(404);
  });

  it('documents the endpoints in OpenAPI', async () => {
    const res = await request(app.baseUrl).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tasks/{id}/extension-requests',
        '/api/v1/extension-requests/{id}/approve',
        '/api/v1/extension-requests/{id}/reject',
      ]),
    );
  });
});
