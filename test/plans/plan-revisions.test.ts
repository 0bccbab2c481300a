import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { occurrencesOf } from '../support/reminders.js';
import { eventually, seedPlan, SEED_FILE, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import {
  AFFECTED_UNITS,
  ALL_NEW_ITEMS,
  REVISED_SEED,
  SEED_KEEPING,
  seedWith,
} from './revision-documents.js';

interface TaskView {
  id: string;
  item: { id: string; number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: string;
  dueDate: string;
  dueAt: string;
}

const mailTo = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

describe('revised plans (工作要点调整)', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let supervisor: string;
  let planId: string;
  let officeMember: { authorization: string; email: string };
  /** Where each unit's mail goes: its contact address, or 办公室's member. */
  const inboxOf = new Map<string, string>();
  let before: TaskView[];

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const sup = () => as(supervisor).set('Accept', 'application/json');
  const allTasks = async (): Promise<TaskView[]> => {
    const tasks: TaskView[] = [];
    for (let page = 1; ; page++) {
      const res = await sup()
        .get('/api/v1/tasks')
        .query({ planId, pageSize: 200, page })
        .expect(200);
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) return tasks;
    }
  };
  const counts = async () =>
    (
      await app.db.query(
        `SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM items)::int AS items,
                (SELECT count(*) FROM sections)::int AS sections,
                (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM units)::int AS units,
                (SELECT count(*) FROM plan_versions)::int AS versions,
                (SELECT count(*) FROM audit_log)::int AS audit,
                (SELECT count(*) FROM notifications)::int AS notifications,
                (SELECT count(*) FROM reminder_occurrences)::int AS occurrences,
                (SELECT string_agg(status || due_date, ',' ORDER BY id) FROM tasks) AS task_states,
                (SELECT source_hash FROM plans LIMIT 1) AS hash`,
      )
    )[0] as Record<string, unknown>;
  const revisionMails = () => smtp.messages.filter((m) => m.subject?.includes('【工作要点修订】'));

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    const imported = await sup()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    const units = await sup().get('/api/v1/units').query({ pageSize: 100 }).expect(200);
    const list = (units.body.items ?? units.body) as { id: string; name: string }[];
    for (const [i, unit] of list.entries()) {
      const email = `unit${i}@units.test`;
      await sup().patch(`/api/v1/units/${unit.id}`).send({ email }).expect(200);
      inboxOf.set(unit.name, email);
    }
    officeMember = await signIn(app, 'unit_member', '办公室');
    inboxOf.set('办公室', officeMember.email);
    before = await allTasks();
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  const taskOf = (tasks: TaskView[], number: number, unit: string) =>
    tasks.find((t) => t.item.number === number && t.unit.name === unit);

  it('a unit reports on the item the revision will remove', async () => {
    const task = taskOf(before, 36, '办公室')!;
    await as(officeMember.authorization)
      .post(`/api/v1/tasks/${task.id}/submissions`)
      .send({ body: '已梳理“12345”工单办理流程。' })
      .expect(201);
  });

  it('the import dry run of the revised document shows the diff and changes nothing', async () => {
    const start = await counts();
    const res = await sup()
      .post('/api/v1/plans/import')
      .query({ dryRun: 'true' })
      .attach('file', REVISED_SEED(), '2022工作要点（调整稿）.txt')
      .expect(200);
    expect(res.body).toMatchObject({ dryRun: true, status: 'conflict', existingPlanId: planId });
    const revision = res.body.revision;
    expect(revision).toMatchObject({
      status: 'revision',
      planId,
      baseVersion: 1,
      nextVersion: 2,
      requiresConfirmation: false,
      tasks: { create: 1, reopen: 0, cancel: 1, reschedule: 2, roles: 0, keptDeadlines: 0 },
    });
    expect(revision.diff.summary).toEqual({
      added: 0,
      removed: 1,
      reworded: 1,
      renumbered: 0,
      unitsAdded: 1,
      unitsRemoved: 0,
      deadlinesMoved: 1,
      unchanged: 32,
    });
    expect(revision.diff.removed).toEqual([
      expect.objectContaining({ section: 7, number: 36, title: '扎实做好信访工作' }),
    ]);
    const changed = (n: number) =>
      revision.diff.changed.find((c: { to: { number: number } }) => c.to.number === n);
    expect(changed(12)).toMatchObject({
      matchedBy: 'number',
      reworded: true,
      from: { title: '深化教育数字化转型工作' },
      to: { title: '全面推进教育数字化转型' },
      unitsAdded: [],
      deadline: null,
    });
    expect(changed(3)).toMatchObject({
      reworded: false,
      unitsAdded: [{ unit: '人事科', role: 'co' }],
      unitsRemoved: [],
    });
    expect(changed(21)).toMatchObject({
      reworded: false,
      deadline: { from: '2022-12-31', to: '2027-06-30' },
    });
    expect(revision.units.map((u: { unit: string }) => u.unit).sort()).toEqual(AFFECTED_UNITS);
    expect(res.body.message).toContain('按修订导入将');

    const explicit = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .query({ dryRun: 'true' })
      .attach('file', REVISED_SEED(), '调整稿.txt')
      .expect(200);
    expect(explicit.body.diff).toEqual(revision.diff);
    expect(await counts()).toEqual(start);
  });

  it('a plain import of the revised document still refuses with 409 and points to the revision', async () => {
    const res = await sup()
      .post('/api/v1/plans/import')
      .attach('file', REVISED_SEED(), '调整稿.txt')
      .expect(409);
    expect(res.body.message).toContain('revise=true');
    expect(res.body.details).toMatchObject({ planId });
  });

  it('applies the revision: tasks created, cancelled and rescheduled, audited, versions kept', async () => {
    const r21 = taskOf(before, 21, '小幼教科')!;
    const oldOccurrences = await occurrencesOf(app.db, r21.id);
    expect(oldOccurrences.length).toBeGreaterThan(0);
    expect(oldOccurrences.filter((o) => o.status === 'scheduled')).toEqual([]);

    const res = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .query({ baseVersion: '1' })
      .attach('file', REVISED_SEED(), '2022工作要点（调整稿）.txt')
      .expect(201);
    expect(res.body).toMatchObject({
      planId,
      applied: true,
      version: 2,
      tasks: { created: 1, reopened: 0, cancelled: 1, rescheduled: 2 },
    });
    expect([...res.body.notifiedUnits].sort()).toEqual(AFFECTED_UNITS);
    expect(res.body.message).toContain('修订为第2版');

    // Tasks: the removed item's task cancelled with its report kept, the added unit's task new,
    // the moved deadline on both of item 21's tasks, everything else as it was.
    const after = await allTasks();
    expect(after).toHaveLength(before.length + 1);
    const removed = taskOf(after, 36, '办公室')!;
    expect(removed.status).toBe('cancelled');
    const reports = await sup().get(`/api/v1/tasks/${removed.id}/submissions`).expect(200);
    expect(reports.body.items).toHaveLength(1);
    const added = taskOf(after, 3, '人事科')!;
    expect(added).toMatchObject({
      role: 'co',
      status: 'assigned',
      dueDate: taskOf(after, 3, '德育')!.dueDate,
    });
    for (const unit of ['小幼教科', '体卫科艺科']) {
      expect(taskOf(after, 21, unit)).toMatchObject({ dueDate: '2027-06-30', status: 'assigned' });
    }
    expect(taskOf(after, 12, '信息中心')!.item.title).toBe('全面推进教育数字化转型');
    const untouched = after.filter(
      (t) =>
        ![3, 12, 21, 36].includes(t.item.number) ||
        (t.item.number === 3 && t.unit.name !== '人事科'),
    );
    for (const t of untouched) {
      const was = before.find((b) => b.id === t.id)!;
      expect([t.id, t.status, t.dueDate]).toEqual([was.id, was.status, was.dueDate]);
    }

    // The plan shows the new wording and keeps the removed item, marked.
    const plan = await sup().get(`/api/v1/plans/${planId}`).expect(200);
    const items = plan.body.sections.flatMap(
      (s: { items: { number: number; title: string; removedInVersion: number | null }[] }) =>
        s.items,
    );
    expect(items.find((i: { number: number }) => i.number === 12).title).toBe(
      '全面推进教育数字化转型',
    );
    expect(items.find((i: { number: number }) => i.number === 36).removedInVersion).toBe(2);

    // Reminders: item 21's tasks planned again for the new deadline (future ones scheduled, the
    // old plan no longer scheduled); the cancelled task has nothing scheduled.
    const moved = await occurrencesOf(app.db, r21.id);
    const scheduled = moved.filter((o) => o.status === 'scheduled');
    expect(scheduled.length).toBeGreaterThan(0);
    for (const o of scheduled) {
      expect(o.key).toContain('2027-06-30T');
      expect(o.fireAt.getTime()).toBeGreaterThan(Date.now());
    }
    expect(new Set(scheduled.map((o) => o.source))).toEqual(
      new Set(['task.deadline', 'task.escalation']),
    );
    expect(
      (await occurrencesOf(app.db, removed.id)).filter((o) => o.status === 'scheduled'),
    ).toEqual([]);
    expect((await occurrencesOf(app.db, added.id)).length).toBeGreaterThan(0);

    // Audit: each change, with the revision as the reason.
    const audit: { action: string; entity_id: string; after: Record<string, unknown> }[] =
      await app.db.query(
        `SELECT action, entity_id, after FROM audit_log
          WHERE action IN ('plan.revise', 'item.revise', 'item.remove', 'item.add', 'task.assign',
                           'task.cancel', 'task.update')
          ORDER BY id`,
      );
    const entry = (action: string, id: string) =>
      audit.find((a) => a.action === action && a.entity_id === id);
    expect(entry('task.cancel', removed.id)?.after).toMatchObject({
      status: 'cancelled',
      reason: '工作要点修订（第2版）：第36项已从工作要点中删除',
    });
    expect(entry('task.assign', added.id)?.after).toMatchObject({ unit: '人事科', role: 'co' });
    for (const unit of ['小幼教科', '体卫科艺科']) {
      expect(entry('task.update', taskOf(after, 21, unit)!.id)?.after).toMatchObject({
        dueDate: '2027-06-30',
        reason: '工作要点修订（第2版）：第21项截止日期由 2022-12-31 调整为 2027-06-30',
      });
    }
    expect(audit.filter((a) => a.action === 'plan.revise')).toEqual([
      expect.objectContaining({ entity_id: planId }),
    ]);
    expect(audit.filter((a) => a.action === 'item.revise').map((a) => a.after.number)).toEqual([
      3, 12, 21,
    ]);
    expect(entry('item.remove', removed.item.id)?.after).toMatchObject({ removedInVersion: 2 });
    expect(audit.filter((a) => a.action === 'item.add')).toEqual([]);
  });

  it('tells each affected unit once, by mail, what the revision means for it', async () => {
    await smtp.waitFor(AFFECTED_UNITS.length, 20_000);
    await sleep(1500); // a duplicate would arrive within this
    const mails = revisionMails();
    const recipients = mails.map(mailTo).sort();
    expect(recipients).toEqual(AFFECTED_UNITS.map((u) => inboxOf.get(u)!).sort());
    const mailOf = (unit: string) => mails.find((m) => mailTo(m).includes(inboxOf.get(unit)!))!;
    for (const m of mails) expect(m.subject).toContain('《虹口区教育局2022年工作要点》第2版');
    expect(mailOf('小幼教科').text).toContain('内容调整：第12项“全面推进教育数字化转型”');
    expect(mailOf('小幼教科').text).toContain(
      '截止日期调整：第21项“推进民心工程和实事项目”由 2022-12-31 调整为 2027-06-30',
    );
    expect(mailOf('人事科').text).toContain(
      '新增任务：第3项“加强心理健康教育和家庭教育指导”（贵单位配合',
    );
    expect(mailOf('办公室').text).toContain('撤销任务：第36项“扎实做好信访工作”已从工作要点中删除');
    for (const unit of ['宣传科', '组织科', '德育', '未保中心']) {
      expect(mails.filter((m) => mailTo(m).includes(inboxOf.get(unit)!))).toEqual([]);
    }
  });

  it('the same revision again, or as an import with revise=true, changes nothing', async () => {
    const start = await counts();
    const again = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .attach('file', REVISED_SEED(), '调整稿.txt')
      .expect(200);
    expect(again.body).toMatchObject({ applied: false, version: 2 });
    const viaImport = await sup()
      .post('/api/v1/plans/import')
      .query({ revise: 'true' })
      .attach('file', REVISED_SEED(), '调整稿.txt')
      .expect(200);
    expect(viaImport.body).toMatchObject({ created: false, planId });
    expect(await counts()).toEqual(start);
  });

  it('lists the versions, newest first, each with what it changed', async () => {
    const res = await sup().get(`/api/v1/plans/${planId}/versions`).expect(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toMatchObject({
      version: 2,
      current: true,
      sourceName: '2022工作要点（调整稿）.txt',
      createdBy: { name: expect.stringContaining('supervisor') },
      summary: { removed: 1, reworded: 1, unitsAdded: 1, deadlinesMoved: 1 },
    });
    expect(res.body[1]).toMatchObject({
      version: 1,
      current: false,
      sourceName: SEED_FILE,
      summary: null,
    });
    const first = await sup().get(`/api/v1/plans/${planId}/versions/1`).expect(200);
    expect(first.body.document.items).toHaveLength(36);
    const second = await sup().get(`/api/v1/plans/${planId}/versions/2`).expect(200);
    expect(second.body.document.items).toHaveLength(35);
    await sup().get(`/api/v1/plans/${planId}/versions/9`).expect(404);
  });

  it('withdraws a unit from an item and, when a later version names it again, reopens its task', async () => {
    const withoutPersonnel = seedWith({
      12: (l) => l.replace('12.深化教育数字化转型工作。', '12.全面推进教育数字化转型。'),
      36: null,
      21: (l) => l.replace('年内新增5个普惠性托育点', '2027年6月底前新增5个普惠性托育点'),
    });
    const task = taskOf(await allTasks(), 3, '人事科')!;
    const v3 = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .attach('file', withoutPersonnel, 'v3.txt')
      .expect(201);
    expect(v3.body).toMatchObject({
      version: 3,
      summary: { unitsRemoved: 1 },
      tasks: { cancelled: 1, created: 0 },
      notifiedUnits: ['人事科'],
    });
    expect(taskOf(await allTasks(), 3, '人事科')).toMatchObject({
      id: task.id,
      status: 'cancelled',
    });
    const v4 = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .attach('file', REVISED_SEED(), 'v4.txt')
      .expect(201);
    expect(v4.body).toMatchObject({
      version: 4,
      summary: { unitsAdded: 1 },
      tasks: { reopened: 1, created: 0 },
    });
    expect(taskOf(await allTasks(), 3, '人事科')).toMatchObject({
      id: task.id,
      status: 'assigned',
      role: 'co',
    });
    const audit: { action: string; after: { reason: string } }[] = await app.db.query(
      `SELECT action, after FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [task.id],
    );
    expect(audit.map((a) => [a.action, a.after.reason])).toEqual([
      ['task.assign', '工作要点修订（第2版）：第3项交办人事科'],
      ['task.cancel', '工作要点修订（第3版）：第3项不再由人事科承担'],
      ['task.reopen', '工作要点修订（第4版）：第3项重新交办人事科'],
    ]);
  });

  it('two revisions at once: one applies, the other is refused or sees it applied', async () => {
    const v3 = seedWith({
      12: (l) => l.replace('12.深化教育数字化转型工作。', '12.全面推进教育数字化转型。'),
      36: null,
      3: (l) => l.replace('教育学院、未保中心）', '教育学院、未保中心、人事科）'),
      21: (l) => l.replace('年内新增5个普惠性托育点', '2027年6月底前新增5个普惠性托育点'),
      1: (l) => l.replace('1.坚持用习近平', '1.始终坚持用习近平'),
    });
    const v3b = seedWith({
      12: (l) => l.replace('12.深化教育数字化转型工作。', '12.全面推进教育数字化转型。'),
      36: null,
      3: (l) => l.replace('教育学院、未保中心）', '教育学院、未保中心、人事科）'),
      21: (l) => l.replace('年内新增5个普惠性托育点', '2027年6月底前新增5个普惠性托育点'),
      2: (l) => l.replace('2.推进学校日常德育工作', '2.扎实推进学校日常德育工作'),
    });
    const post = (doc: Buffer) =>
      sup()
        .post(`/api/v1/plans/${planId}/revisions`)
        .query({ baseVersion: '4' })
        .attach('file', doc, 'v3.txt');
    const [a, b] = await Promise.all([post(v3), post(v3b)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.message).toContain('已有第5版');
    const versions = await sup().get(`/api/v1/plans/${planId}/versions`).expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it('refuses a revision that removes more than half, or every item, unless confirmed', async () => {
    await as(officeMember.authorization)
      .post(`/api/v1/plans/${planId}/revisions`)
      .query({ confirmRemoval: 'true' })
      .attach('file', ALL_NEW_ITEMS(), '全新稿.txt')
      .expect(403);
    const start = await counts();
    const mailsBefore = revisionMails().length;
    const half = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .query({ dryRun: 'true' })
      .attach('file', SEED_KEEPING(10), '精简稿.txt')
      .expect(200);
    expect(half.body).toMatchObject({
      requiresConfirmation: true,
      diff: { summary: { removed: 25 } },
    });
    for (const doc of [SEED_KEEPING(10), ALL_NEW_ITEMS()]) {
      const res = await sup()
        .post(`/api/v1/plans/${planId}/revisions`)
        .attach('file', doc, '精简稿.txt')
        .expect(400);
      expect(res.body.message).toContain('confirmRemoval=true');
      expect(res.body.details).toEqual([
        { field: 'confirmRemoval', message: '删除超过一半的要点须明确确认' },
      ]);
    }
    const viaImport = await sup()
      .post('/api/v1/plans/import')
      .query({ revise: 'true' })
      .attach('file', ALL_NEW_ITEMS(), '全新稿.txt')
      .expect(400);
    expect(viaImport.body.message).toContain('即全部');
    expect(await counts()).toEqual(start);

    const confirmed = await sup()
      .post(`/api/v1/plans/${planId}/revisions`)
      .query({ confirmRemoval: 'true' })
      .attach('file', ALL_NEW_ITEMS(), '全新稿.txt')
      .expect(201);
    expect(confirmed.body).toMatchObject({
      applied: true,
      version: 6,
      summary: { added: 2, removed: 35 },
      tasks: { created: 2 },
    });
    const tasks = await allTasks();
    const open = tasks.filter((t) => !['cancelled', 'closed'].includes(t.status));
    expect(open.map((t) => `${t.item.number} ${t.unit.name}`).sort()).toEqual([
      '1 信息中心',
      '2 事务中心',
    ]);
    await eventually(async () => (revisionMails().length > mailsBefore ? true : undefined), 20_000);
  });
});
