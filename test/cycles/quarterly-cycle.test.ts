import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { CadencesService } from '../../src/cycles/cadences.service.js';
import { CyclesRepository } from '../../src/cycles/cycles.repository.js';
import { ReminderScheduler } from '../../src/reminders/reminder-scheduler.service.js';
import { QueueName } from '../../src/queue/job-registry.js';
import { JobQueue } from '../../src/queue/job-queue.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { type FixtureTask, seededPlan } from '../support/plan-fixture.js';
import { occurrencesOf } from '../support/reminders.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

/** Real time until a test sets it; then exactly that instant. */
class TestClock extends Clock {
  at: Date | null = null;
  override now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
}

/** An instant in Shanghai business time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.from('\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
]);

type User = Awaited<ReturnType<typeof signIn>>;
type Fixture = Awaited<ReturnType<typeof seededPlan>>;

const addressesOf = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

/** The text of a .docx body: paragraphs on lines, table cells separated by tabs. */
async function docxText(buffer: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<\/w:tc>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The part of `text` from `from` up to `to`. */
const between = (text: string, from: string, to: string) =>
  text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));

describe('a quarterly review cycle (督导) on the seed plan', () => {
  const clock = new TestClock();
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let plan: Fixture;
  /** Lead tasks of three distinct units: A reports on time, B is returned once, C reports late. */
  let taskA: FixtureTask;
  let taskB: FixtureTask;
  let taskC: FixtureTask;
  let inScope: FixtureTask[];
  /** Other tasks of A's and B's units in scope: reported on time too (A's rated 好, B's 较好). */
  let extraA: FixtureTask[];
  let extraB: FixtureTask[];
  let memberA: User;
  let memberB: User;
  let memberC: User;
  let leader: User;
  let cadenceId: string;
  let cycleId: string;
  const reports: Record<string, string> = {};
  const hostile = '<script>alert(1)</script>材料空泛，需补充数据';

  const as = (user: User) => request.agent(app.baseUrl).set('Authorization', user.authorization);
  const sup = () => plan.api();
  const mailsTo = (email: string, subject: string) =>
    smtp.messages.filter(
      (m) => addressesOf(m).includes(email) && (m.subject ?? '').includes(subject),
    );
  const mailTo = (email: string, subject: string) =>
    eventually(async () => mailsTo(email, subject)[0], 20_000);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url, clock });
    // Imported in real time: the plan's 2022 deadlines are history, their reminders skipped.
    plan = await seededPlan(app);
    [taskA, taskB, taskC] = plan.leadsOfDistinctUnits();
    const items = new Set([taskA.item.number, taskB.item.number, taskC.item.number]);
    inScope = plan.tasks.filter((t) => items.has(t.item.number));
    const others = (main: FixtureTask) =>
      inScope.filter((t) => t.unit.id === main.unit.id && t.id !== main.id);
    extraA = others(taskA);
    extraB = others(taskB);
    memberA = await signIn(app, 'unit_member', taskA.unit.name);
    memberB = await signIn(app, 'unit_member', taskB.unit.name);
    memberC = await signIn(app, 'unit_member', taskC.unit.name);
    leader = await signIn(app, 'leader');
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('sets up a quarterly cadence whose first period is the next quarter, ticked by a job scheduler', async () => {
    clock.at = shanghai('2022-03-25T10:00:00');
    const itemIds = [
      ...new Set(inScope.map((t) => (t as FixtureTask & { item: { id: string } }).item.id)),
    ];
    const res = await sup()
      .post(`/api/v1/plans/${plan.planId}/cycle-cadences`)
      .send({
        kind: 'quarterly',
        scope: { kind: 'items', ids: itemIds },
        dueWorkdays: 10,
        reminders: ['-P2D', 'P0D'],
      })
      .expect(201);
    cadenceId = res.body.id;
    expect(res.body).toMatchObject({
      kind: 'quarterly',
      title: '督导',
      startsOn: '2022-03-25',
      dueWorkdays: 10,
      reminders: ['-P2D', 'P0D'],
      active: true,
      currentPeriod: null,
    });
    const scheduler = await eventually(async () =>
      app.app
        .get(JobQueue)
        .queue(QueueName.Reminders)
        .getJobScheduler(`cadence_${cadenceId}`)
        .then((s) => s ?? undefined),
    );
    expect(scheduler).toMatchObject({ pattern: '0 9 * * *', tz: 'Asia/Shanghai' });
    const cycles = await sup().get(`/api/v1/plans/${plan.planId}/cycles`).expect(200);
    expect(cycles.body).toEqual([]);
  });

  it('opens the second quarter on 1 April and asks each unit in scope, by mail and in the inbox', async () => {
    clock.at = shanghai('2022-04-01T09:00:00');
    cycleId = (await app.app.get(CadencesService).tick(cadenceId))!;
    expect(cycleId).toBeTruthy();
    const cycle = await sup().get(`/api/v1/cycles/${cycleId}`).expect(200);
    expect(cycle.body).toMatchObject({
      title: '2022年第二季度督导',
      periodKey: '2022-Q2',
      status: 'open',
      opensOn: '2022-04-01',
      // Ten working days on the 2022 calendar: Saturday 2 April is a make-up working day,
      // 3–5 April (清明) are off.
      dueOn: '2022-04-18',
      requestedTasks: inScope.length,
      requestedUnits: new Set(inScope.map((t) => t.unit.id)).size,
    });

    for (const [member, task] of [
      [memberA, taskA],
      [memberB, taskB],
      [memberC, taskC],
    ] as const) {
      const mail = await mailTo(member.email, '【督导】2022年第二季度督导');
      expect(mail.subject).toContain('请于 2022-04-18 前报送');
      expect(mail.text).toContain(`第${task.item.number}项（牵头）`);
      expect(mail.text).toContain('报送截止：2022-04-18');
      const inbox = await as(member).get('/api/v1/notifications').expect(200);
      expect(inbox.body.items.some((n: { kind: string }) => n.kind === 'cycle.request')).toBe(true);
    }
    // One request per unit, however many of its tasks are in scope.
    await sleep(300);
    expect(mailsTo(memberA.email, '【督导】')).toHaveLength(1);

    // Ticking again in the same quarter changes nothing.
    clock.at = shanghai('2022-04-06T09:00:00');
    expect(await app.app.get(CadencesService).tick(cadenceId)).toBeNull();
    const cycles = await sup().get(`/api/v1/plans/${plan.planId}/cycles`).expect(200);
    expect(cycles.body).toHaveLength(1);

    const occurrences = await occurrencesOf(app.db, cycleId);
    expect(occurrences.map((o) => [o.key.split('@')[0], o.status, o.fireAt.toISOString()])).toEqual(
      [
        ['-P2D', 'scheduled', shanghai('2022-04-14T09:00:00').toISOString()],
        ['P0D', 'scheduled', shanghai('2022-04-18T09:00:00').toISOString()],
      ],
    );
  });

  it('takes reports from each unit on its own tasks only', async () => {
    clock.at = shanghai('2022-04-08T15:00:00');
    const a = await as(memberA)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .field('taskId', taskA.id)
      .field('body', '一季度已完成方案制定并组织三场活动。')
      .attach('attachments', PDF, '进展材料.pdf')
      .expect(201);
    expect(a.body).toMatchObject({
      taskId: taskA.id,
      number: 1,
      status: 'submitted',
      onTime: true,
      unit: { name: taskA.unit.name },
    });
    expect(a.body.attachments).toEqual([
      expect.objectContaining({ fileName: '进展材料.pdf', sizeBytes: PDF.length }),
    ]);
    reports.A = a.body.id;
    const file = await as(memberA)
      .get(`/api/v1/cycle-reports/${reports.A}/attachments/${a.body.attachments[0].id}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);

    // Another unit may not report on A's task, nor read A's attachment.
    const other = await as(memberB)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskA.id, body: '代报' })
      .expect(403);
    expect(other.body.message).toBe('无权执行此操作');
    await as(memberB)
      .get(`/api/v1/cycle-reports/${reports.A}/attachments/${a.body.attachments[0].id}`)
      .expect(403);
    // A supervisor does not report.
    await sup()
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskA.id, body: '代报' })
      .expect(403);
    // Twice on the same task while it waits for a rating: 409.
    const twice = await as(memberA)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskA.id, body: '补充' })
      .expect(409);
    expect(twice.body.message).toContain('等待督导室评价');
    // A task outside the cycle's scope: 400.
    const outside = plan.tasks.find((t) => t.unit.id === taskA.unit.id && !inScope.includes(t));
    if (outside) {
      const res = await as(memberA)
        .post(`/api/v1/cycles/${cycleId}/reports`)
        .send({ taskId: outside.id, body: '不在范围内' })
        .expect(400);
      expect(res.body.message).toContain('不在本轮督导范围内');
    }

    for (const t of extraA) {
      const res = await as(memberA)
        .post(`/api/v1/cycles/${cycleId}/reports`)
        .send({ taskId: t.id, body: `第${t.item.number}项配合工作已落实。` })
        .expect(201);
      reports[t.id] = res.body.id;
    }
    for (const t of extraB) {
      const res = await as(memberB)
        .post(`/api/v1/cycles/${cycleId}/reports`)
        .send({ taskId: t.id, body: `第${t.item.number}项配合工作已落实。` })
        .expect(201);
      reports[t.id] = res.body.id;
    }

    const b = await as(memberB)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskB.id, body: '已启动。' })
      .expect(201);
    reports.B1 = b.body.id;

    // Each unit sees its own reports only; supervisors see all.
    const own = await as(memberB).get(`/api/v1/cycles/${cycleId}/reports`).expect(200);
    expect(own.body.map((r: { id: string }) => r.id).sort()).toEqual(
      [reports.B1, ...extraB.map((t) => reports[t.id])].sort(),
    );
    const all = await sup().get(`/api/v1/cycles/${cycleId}/reports`).expect(200);
    expect(all.body).toHaveLength(2 + extraA.length + extraB.length);
  });

  it('lets only supervisors rate; a returned report goes back to its unit, which reports again', async () => {
    const byUnit = await as(memberA)
      .post(`/api/v1/cycle-reports/${reports.A}/rate`)
      .send({ rating: '好' })
      .expect(403);
    expect(byUnit.body.message).toBe('无权执行此操作');
    await as(leader)
      .post(`/api/v1/cycle-reports/${reports.A}/rate`)
      .send({ rating: '好' })
      .expect(403);
    const bad = await sup()
      .post(`/api/v1/cycle-reports/${reports.A}/rate`)
      .send({ rating: '优秀' })
      .expect(400);
    expect(bad.body.message).toContain('好、较好、一般、差');

    const rated = await sup()
      .post(`/api/v1/cycle-reports/${reports.A}/rate`)
      .send({ rating: '好', comment: '措施具体，成效明显。' })
      .expect(200);
    expect(rated.body).toMatchObject({ status: 'rated', rating: 'good', ratingLabel: '好' });
    for (const t of extraA) {
      await sup()
        .post(`/api/v1/cycle-reports/${reports[t.id]}/rate`)
        .send({ rating: '好' })
        .expect(200);
    }
    for (const t of extraB) {
      await sup()
        .post(`/api/v1/cycle-reports/${reports[t.id]}/rate`)
        .send({ rating: '较好' })
        .expect(200);
    }

    await sup().post(`/api/v1/cycle-reports/${reports.B1}/return`).send({}).expect(400);
    const returned = await sup()
      .post(`/api/v1/cycle-reports/${reports.B1}/return`)
      .send({ comment: '请补充具体进度和数据。' })
      .expect(200);
    expect(returned.body.status).toBe('returned');
    const mail = await mailTo(memberB.email, '【督导退回】');
    expect(mail.text).toContain('请补充具体进度和数据。');
    expect(mail.subject).toContain(`第${taskB.item.number}项`);

    clock.at = shanghai('2022-04-12T10:00:00');
    const again = await as(memberB)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskB.id, body: '已完成 60%，附数据。' })
      .expect(201);
    expect(again.body).toMatchObject({ number: 2, status: 'submitted' });
    reports.B2 = again.body.id;
    // The old version cannot be rated any more.
    const stale = await sup()
      .post(`/api/v1/cycle-reports/${reports.B1}/rate`)
      .send({ rating: 'good' })
      .expect(409);
    expect(stale.body.message).toContain('最新版本');
    await sup()
      .post(`/api/v1/cycle-reports/${reports.B2}/rate`)
      .send({ rating: 'fair' })
      .expect(200);
  });

  it('reminds, two working days before the due date, only the units that still owe a report', async () => {
    clock.at = shanghai('2022-04-14T09:00:00');
    const [early] = await occurrencesOf(app.db, cycleId);
    expect(await app.app.get(ReminderScheduler).fire(early.id)).toBe('sent');
    const mail = await mailTo(memberC.email, '【督导提醒】');
    expect(mail.subject).toContain('还剩 2 个工作日');
    expect(mail.text).toContain(`第${taskC.item.number}项`);
    await sleep(300);
    expect(mailsTo(memberA.email, '【督导提醒】')).toHaveLength(0);
    expect(mailsTo(memberB.email, '【督导提醒】')).toHaveLength(0);

    // What digests read: the reports units still owe in open cycles, in one query.
    const owed = await app.app
      .get(CyclesRepository)
      .openCycleRequestsOfUnits(app.db.manager, [taskA.unit.id, taskC.unit.id]);
    expect(owed.filter((r) => r.unitId === taskA.unit.id)).toEqual([]);
    expect(owed.find((r) => r.taskId === taskC.id)).toMatchObject({
      cycleId,
      cycleTitle: '2022年第二季度督导',
      itemNumber: taskC.item.number,
      unitName: taskC.unit.name,
      returned: false,
    });
    // The unit's weekly digest lists the report it still owes; the leaders' the cycle's figures.
    const digest = await as(memberC)
      .get('/api/v1/digests/preview')
      .query({ unit: taskC.unit.id, week: '2022-W15' })
      .expect(200);
    expect(digest.body.text).toContain('2022年第二季度督导');
    expect(digest.body.text).toContain(`2022年第二季度督导：第${taskC.item.number}条`);
    const leaders = await as(leader)
      .get('/api/v1/digests/preview/leaders')
      .query({ week: '2022-W15' })
      .expect(200);
    expect(leaders.body.text).toContain('2022年第二季度督导（进行中）');
  });

  it('counts a report after the due date as late', async () => {
    clock.at = shanghai('2022-04-19T11:00:00');
    const c = await as(memberC)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({ taskId: taskC.id, body: '尚在推进。' })
      .expect(201);
    expect(c.body.onTime).toBe(false);
    reports.C = c.body.id;
    await sup()
      .post(`/api/v1/cycle-reports/${reports.C}/rate`)
      .send({ rating: '差', comment: hostile })
      .expect(200);
  });

  it('closes the cycle and then refuses every change with 409', async () => {
    await as(memberA).post(`/api/v1/cycles/${cycleId}/close`).send({}).expect(403);
    clock.at = shanghai('2022-04-20T17:00:00');
    const closed = await sup().post(`/api/v1/cycles/${cycleId}/close`).send({}).expect(200);
    expect(closed.body.status).toBe('closed');
    const message = '督导周期已结束并锁定，不能再报送、评价、退回或修改';

    const late = await as(memberA)
      .post(`/api/v1/cycles/${cycleId}/reports`)
      .send({
        taskId:
          inScope.find((t) => t.unit.id === taskA.unit.id && t.id !== taskA.id)?.id ?? taskA.id,
        body: '补报',
      })
      .expect(409);
    expect(late.body.message).toBe(message);
    for (const [path, body] of [
      [`/api/v1/cycle-reports/${reports.C}/rate`, { rating: '好' }],
      [`/api/v1/cycle-reports/${reports.A}/return`, { comment: '重报' }],
      [`/api/v1/cycles/${cycleId}/close`, {}],
      [`/api/v1/cycles/${cycleId}/open`, {}],
    ] as const) {
      const res = await sup().post(path).send(body).expect(409);
      expect(res.body.message).toBe(message);
    }
    const edit = await sup().patch(`/api/v1/cycles/${cycleId}`).send({ title: '改名' }).expect(409);
    expect(edit.body.message).toBe(message);

    // Its remaining reminder is cancelled.
    const occurrences = await occurrencesOf(app.db, cycleId);
    expect(occurrences.map((o) => o.status)).toEqual(['fired', 'cancelled']);
    const audit: { action: string }[] = await app.db.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 OR after->>'cycleId' = $1 ORDER BY seq`,
      [cycleId],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'cycle.create',
        'cycle.open',
        'cycle.report',
        'cycle.rate',
        'cycle.return',
        'cycle.close',
      ]),
    );
  });

  it('reports results per unit and per section: on time, late, missing, ratings', async () => {
    await as(memberA).get(`/api/v1/cycles/${cycleId}/results`).expect(403);
    const res = await as(leader).get(`/api/v1/cycles/${cycleId}/results`).expect(200);
    const onTime = 2 + extraA.length + extraB.length;
    expect(res.body.totals).toEqual({
      requested: inScope.length,
      onTime,
      late: 1,
      missing: inScope.length - onTime - 1,
      pending: 0,
      ratings: { good: 1 + extraA.length, fair: 1 + extraB.length, average: 0, poor: 1 },
      unrated: 0,
    });
    const unit = (id: string) => res.body.units.find((u: { unitId: string }) => u.unitId === id);
    expect(unit(taskA.unit.id)).toMatchObject({
      requested: 1 + extraA.length,
      onTime: 1 + extraA.length,
      late: 0,
      missing: 0,
      ratings: { good: 1 + extraA.length, fair: 0, average: 0, poor: 0 },
    });
    expect(unit(taskB.unit.id)).toMatchObject({
      onTime: 1 + extraB.length,
      ratings: { fair: 1 + extraB.length },
    });
    expect(unit(taskC.unit.id)).toMatchObject({ late: 1, ratings: { poor: 1 } });
    // Tasks with nothing reported count as missing.
    const reported = new Set([taskA, taskB, taskC, ...extraA, ...extraB].map((t) => t.id));
    const silent = inScope.filter((t) => !reported.has(t.id));
    expect(silent.length).toBeGreaterThan(0);
    for (const t of silent) {
      const r = res.body.requests.find((x: { taskId: string }) => x.taskId === t.id);
      expect(r.outcome).toBe('missing');
    }
    const sectionSum = res.body.sections.reduce(
      (n: number, s: { requested: number }) => n + s.requested,
      0,
    );
    expect(sectionSum).toBe(inScope.length);
    expect(res.body.sections.reduce((n: number, s: { late: number }) => n + s.late, 0)).toBe(1);
    const [summary] = await app.app
      .get(CyclesRepository)
      .cycleSummaries(app.db.manager, shanghai('2022-04-01T00:00:00'));
    expect(summary).toMatchObject({
      cycleId,
      status: 'closed',
      requested: inScope.length,
      reported: onTime + 1,
      onTime,
    });
  });

  it('drafts the 通报 as .docx and as escaped HTML from the results', async () => {
    const docx = await sup()
      .get(`/api/v1/cycles/${cycleId}/bulletin.docx`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.headers['content-disposition']).toContain('filename*=UTF-8');
    const text = await docxText(docx.body as Buffer);
    expect(text).toContain('关于2022年第二季度督导情况的通报');
    expect(text).toContain('〔2022〕\u3000号');
    expect(text).toContain('《虹口区教育局2022年工作要点》（虹教〔2022〕1号）');
    expect(text).toContain(
      `本轮督导共涉及 ${new Set(inScope.map((t) => t.unit.id)).size} 个责任单位、${inScope.length} 项任务`,
    );
    const onTime = 2 + extraA.length + extraB.length;
    expect(text).toContain(
      `按时报送 ${onTime} 项，逾期报送 1 项，未报送 ${inScope.length - onTime - 1} 项`,
    );
    const good = between(text, '一、表现较好的单位', '二、需改进的单位');
    expect(good).toContain(taskA.unit.name);
    expect(good).not.toContain(taskC.unit.name);
    const lagging = between(text, '二、需改进的单位', '三、需关注的事项');
    expect(lagging).toContain(taskC.unit.name);
    expect(lagging).not.toContain(`${taskA.unit.name}\t`);
    const attention = between(text, '三、需关注的事项', '四、工作要求');
    expect(attention).toContain(taskC.item.title);
    expect(attention).toContain('逾期报送；评价为“差”');
    expect(attention).toContain(hostile);
    expect(text).toContain('特此通报。');
    expect(text).toContain('2022年4月20日');

    const html = await sup().get(`/api/v1/cycles/${cycleId}/bulletin.html`).expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('<h1>关于2022年第二季度督导情况的通报</h1>');
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;材料空泛');
    expect(html.text).not.toContain('<script>');
    await as(memberA).get(`/api/v1/cycles/${cycleId}/bulletin.html`).expect(403);
  });
});
