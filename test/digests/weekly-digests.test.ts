import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { DigestsService } from '../../src/digests/digests.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { eventually, seedPlan, SEED_FILE, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

/** Business time that stands still until a test moves it. */
class MovableClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.at);
  }
}

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
}

const PUBLIC_URL = 'https://duban.example.org';
const at = (local: string) => new Date(`${local}+08:00`);
const mailTo = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

describe('weekly digests on the seed plan', () => {
  const clock = new MovableClock(at('2026-09-28T10:00:00'));
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app1: TestApp;
  let app2: TestApp;
  let supervisor: string;
  let member: { authorization: string; email: string; userId: string };
  let leader: { authorization: string; email: string };
  /** Someone of another unit (宣传科), who gets that unit's digest. */
  let other: { authorization: string; email: string };
  let tasks: TaskView[];
  let finance: { id: string; byItem: Map<number, TaskView> };

  const as = (app: TestApp, authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const digestMails = () => smtp.messages.filter((m) => m.subject?.startsWith('【督办周报】'));
  const start = () =>
    startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      clock,
      env: { PUBLIC_URL, DIGEST_CHECK_SECONDS: '1' },
    });
  const runs = async (): Promise<{ recipient: string; iso_week: string }[]> =>
    app1.db.query(`SELECT recipient, iso_week FROM digest_runs ORDER BY iso_week, recipient`);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app1 = await start();
    supervisor = (await signIn(app1, 'supervisor')).authorization;
    await as(app1, supervisor)
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    tasks = [];
    for (let page = 1; ; page++) {
      const res = await as(app1, supervisor).get('/api/v1/tasks').query({ pageSize: 200, page });
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) break;
    }
    const own = tasks.filter((t) => t.unit.name === '计财科');
    finance = { id: own[0].unit.id, byItem: new Map(own.map((t) => [t.item.number, t])) };
    expect([...finance.byItem.keys()].sort((a, b) => a - b)).toEqual([9, 10, 13, 24, 30, 33]);
    member = await signIn(app1, 'unit_member', '计财科');
    leader = await signIn(app1, 'leader');
    other = await signIn(app1, 'unit_member', '宣传科');

    // 计财科's week: item 24 will be overdue, 30 and 9 due within two weeks, 10 returned, 33
    // waiting for an extension decision, 13 not due for a while. Every other task keeps its 2022
    // deadline (overdue).
    const due = async (item: number, dueAt: string) =>
      as(app1, supervisor)
        .patch(`/api/v1/tasks/${finance.byItem.get(item)!.id}`)
        .send({ dueAt })
        .expect(200);
    await due(24, '2026-09-30T18:00:00+08:00');
    await due(30, '2026-10-15T18:00:00+08:00');
    await due(10, '2026-11-30T18:00:00+08:00');
    await due(33, '2026-12-15T18:00:00+08:00');
    await due(9, '2026-10-20T18:00:00+08:00');
    await due(13, '2026-12-20T18:00:00+08:00');
    const report = await as(app1, member.authorization)
      .post(`/api/v1/tasks/${finance.byItem.get(10)!.id}/submissions`)
      .send({ body: '已完成民办学校经费测算初稿。' })
      .expect(201);
    await as(app1, supervisor)
      .post(`/api/v1/submissions/${report.body.id}/return`)
      .send({ comment: '请补充预算执行数据' })
      .expect(200);
    await as(app1, member.authorization)
      .post(`/api/v1/tasks/${finance.byItem.get(33)!.id}/extension-requests`)
      .send({ reason: '等待市级文件', proposedDueDate: '2026-12-31' })
      .expect(201);
  }, 180_000); // two application instances and the seed plan on a busy machine

  afterAll(async () => {
    await app1?.close();
    await app2?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('sends nothing on a holiday Monday (2026-10-05, National Day)', async () => {
    clock.at = at('2026-10-05T09:00:00');
    app2 = await start(); // a second worker on the same database
    await sleep(2500); // both have checked at least twice
    expect(digestMails()).toHaveLength(0);
    expect(await runs()).toEqual([]);
  });

  it('previews the unit digest, as it will go out on Thursday, without sending it', async () => {
    const preview = await as(app1, member.authorization)
      .get('/api/v1/digests/preview')
      .query({ unit: finance.id, week: '2026-W41' })
      .expect(200);
    const body = preview.body as {
      asOf: string;
      empty: boolean;
      wouldSend: boolean;
      alreadySent: boolean;
      subject: string;
      text: string;
      html: string;
    };
    expect(body.asOf).toBe(at('2026-10-08T08:30:00').toISOString());
    expect(body).toMatchObject({ empty: false, wouldSend: true, alreadySent: false });
    expect(body.subject).toBe('【督办周报】计财科 2026年第41周（10月5日—10月11日）');
    expect(body.text).toContain(
      '本周概况：已逾期 1 项，两周内到期 2 项，退回待修改 1 项，延期申请待审批 1 项。',
    );
    expect(body.html).toContain(`<a href="${PUBLIC_URL}/tasks/${finance.byItem.get(30)!.id}">`);
    // Another unit's people may not read it; the leaders' digest is for overseers.
    await as(app1, other.authorization)
      .get('/api/v1/digests/preview')
      .query({ unit: finance.id })
      .expect(403);
    await as(app1, other.authorization).get('/api/v1/digests/preview/leaders').expect(403);
    await as(app1, leader.authorization)
      .get('/api/v1/digests/preview/leaders')
      .query({ week: '2026-W41' })
      .expect(200);
    const bad = await as(app1, supervisor)
      .get('/api/v1/digests/preview')
      .query({ unit: finance.id, week: '2026-41' })
      .expect(400);
    expect(bad.body.message).toContain('ISO 周');
    await sleep(1500);
    expect(digestMails()).toHaveLength(0);
    expect(await runs()).toEqual([]);
  });

  it('goes out on the next working day at 08:30, once per recipient, with two workers running', async () => {
    const preview = await as(app1, member.authorization)
      .get('/api/v1/digests/preview')
      .query({ unit: finance.id, week: '2026-W41' })
      .expect(200);
    clock.at = at('2026-10-08T08:29:00');
    await sleep(2000);
    expect(digestMails()).toHaveLength(0);

    clock.at = at('2026-10-08T08:31:00');
    await eventually(async () => (digestMails().length >= 3 ? true : undefined), 20_000);
    await sleep(3000); // both workers keep checking; nothing more goes out
    const mails = digestMails();
    expect(mails.map(mailTo).sort()).toEqual([leader.email, member.email, other.email].sort());

    const unitMail = mails.find((m) => mailTo(m) === member.email)!;
    expect(unitMail.subject).toBe('【督办周报】计财科 2026年第41周（10月5日—10月11日）');
    expect(unitMail.text!.trim()).toBe((preview.body.text as string).trim());
    const t = (item: number) => finance.byItem.get(item)!;
    const [card24] = await app1.db.query<{ escalation_level: 'none' | 'yellow' | 'red' }[]>(
      `SELECT escalation_level FROM tasks WHERE id = $1`,
      [t(24).id],
    );
    const card = { none: '', yellow: '，黄牌', red: '，红牌' }[card24.escalation_level];
    const role = (item: number) => ({ lead: '牵头', co: '配合' })[t(item).role];
    const link = (item: number) => `  ${PUBLIC_URL}/tasks/${t(item).id}`;
    expect(unitMail.text).toContain(
      [
        '【已逾期（1）】',
        `· 【配合】第24条 ${t(24).item.title}（截止 2026-09-30 18:00，已逾期 8 天${card}）`,
        link(24),
      ].join('\n'),
    );
    expect(unitMail.text).toContain(
      [
        '【两周内到期（2）】',
        `· 【牵头】第30条 ${t(30).item.title}（截止 2026-10-15 18:00）`,
        link(30),
        `· 【${role(9)}】第9条 ${t(9).item.title}（截止 2026-10-20 18:00）`,
        link(9),
      ].join('\n'),
    );
    expect(unitMail.text).toContain(
      [
        '【退回待修改（1）】',
        `· 【配合】第10条 ${t(10).item.title}（截止 2026-11-30 18:00，退回意见：请补充预算执行数据）`,
        link(10),
      ].join('\n'),
    );
    expect(unitMail.text).toContain(
      [
        '【延期申请待审批（1）】',
        `· 【配合】第33条 ${t(33).item.title}（截止 2026-12-15 18:00，申请延至 2026-12-31）`,
        link(33),
      ].join('\n'),
    );
    for (const item of [9, 10, 24, 30, 33]) {
      expect(unitMail.html).toContain(`<a href="${PUBLIC_URL}/tasks/${t(item).id}">`);
    }

    // The leaders' digest: the plan's totals and its longest-overdue tasks, from the database.
    const leaderMail = mails.find((m) => mailTo(m) === leader.email)!;
    expect(leaderMail.subject).toBe(
      '【督办周报】全局工作要点进展 2026年第41周（10月5日—10月11日）',
    );
    const [totals] = await app1.db.query<
      { total: number; overdue: number; yellow: number; red: number }[]
    >(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE due_at < $1)::int AS overdue,
              count(*) FILTER (WHERE escalation_level = 'yellow')::int AS yellow,
              count(*) FILTER (WHERE escalation_level = 'red')::int AS red
         FROM tasks`,
      [at('2026-10-08T08:31:00')],
    );
    expect(totals.total).toBe(tasks.length);
    expect(totals.overdue).toBe(tasks.length - 5);
    expect(leaderMail.text).toContain(
      `总体：红。任务 ${totals.total} 项，已办结 0 项，已逾期 ${totals.overdue} 项（黄牌 ${totals.yellow}，红牌 ${totals.red}），两周内到期 2 项。`,
    );
    expect(leaderMail.text).toContain('【各板块进展】');
    expect(leaderMail.text).toMatch(/· 【红】一、落实立德树人根本任务/);
    expect(leaderMail.text).toMatch(/· 【红】计财科（任务 6，办结 0，逾期 1，两周内到期 2，退回 1/);
    const oldest = await app1.db.query<{ id: string; number: number; name: string }[]>(
      `SELECT t.id, i.number, u.name FROM tasks t JOIN items i ON i.id = t.item_id
         JOIN units u ON u.id = t.unit_id
        WHERE t.due_at < $1 ORDER BY t.due_at, i.number LIMIT 10`,
      [at('2026-10-08T08:31:00')],
    );
    expect(leaderMail.text).toContain(`【逾期最久的事项（前 10 项，共 ${totals.overdue} 项）】`);
    // The first of them links to its task (ties in date and item keep their order).
    expect(leaderMail.text).toContain(`${PUBLIC_URL}/tasks/${oldest[0].id}`);
    expect(leaderMail.html).toContain(`<a href="${PUBLIC_URL}/tasks/${oldest[0].id}">`);

    // One row per recipient and week: units with something to say (every unit here) and leaders.
    const rows = await runs();
    const units = await app1.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM units`);
    expect(rows).toHaveLength(units[0].n + 1);
    expect(new Set(rows.map((r) => r.iso_week))).toEqual(new Set(['2026-W41']));
    // Also in each person's inbox.
    const inbox = await as(app1, member.authorization).get('/api/v1/notifications').expect(200);
    expect(
      (inbox.body.items as { subject: string }[]).some((n) => n.subject === unitMail.subject),
    ).toBe(true);
  });

  it('is not sent again after a restart', async () => {
    await app2.close();
    app2 = await start();
    expect(await app2.app.get(DigestsService).runDue()).toEqual([]);
    await sleep(2000);
    expect(digestMails()).toHaveLength(3);
  });

  it('two runs racing for the same week send each digest once', async () => {
    const week = { year: 2026, week: 42 };
    const asOf = at('2026-10-12T08:30:00');
    const [a, b] = await Promise.all([
      app1.app.get(DigestsService).sendWeek(week, asOf),
      app2.app.get(DigestsService).sendWeek(week, asOf),
    ]);
    expect(a.sent + b.sent).toBe(a.built - a.empty);
    expect(a.alreadySent + b.alreadySent).toBe(a.built - a.empty);
    await eventually(async () => (digestMails().length >= 6 ? true : undefined), 20_000);
    await sleep(1000);
    const w42 = digestMails().filter((m) => m.subject!.includes('第42周'));
    expect(w42.map(mailTo).sort()).toEqual([leader.email, member.email, other.email].sort());
  });
});
