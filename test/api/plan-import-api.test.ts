import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { makeDocx } from '../support/docx.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

const SMALL_PLAN = [
  '某区教育局2026年工作要点',
  '一、加强党的建设',
  '1.深化理论学习。组织全系统专题学习，6月底前完成。（责任科室：组织科、宣传科）',
  '2.加强宣传阵地建设。完善融媒体平台。（责任科室：宣传科）',
  '二、推进教育改革',
  '3.推进课程改革。年内完成新课程方案。（责任单位：教研室、中教科）',
];

const THREE_SECTIONS = [
  '某区教育局2027年工作要点',
  '一、加强党的建设',
  '1.深化理论学习。组织全系统专题学习，2027年6月底前完成。（责任科室：组织科、宣传科）',
  '2.加强宣传阵地建设。完善融媒体平台。（责任科室：宣传科）',
  '二、推进教育改革',
  '3.推进课程改革。年内完成新课程方案。（责任单位：教研室、中教科）',
  '三、提升治理水平',
  '1.完善督办机制。2027年9月底前出台办法。（责任科室：组织科）',
  '2.规范档案管理。（责任科室：宣传科）',
];

describe('plan import API', () => {
  let databaseUrl: string;
  let app: TestApp;
  let api: () => ReturnType<typeof request.agent>;
  const counts = async () =>
    (
      await app.db.query(
        `SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM items)::int AS items,
                (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM units)::int AS units`,
      )
    )[0] as { plans: number; items: number; tasks: number; units: number };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    const supervisor = await signIn(app, 'supervisor');
    const agent = request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    api = () => agent;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('rejects uploads that are not plans with 400 and a reason, storing nothing', async () => {
    const notAPlan = await makeDocx([
      '关于召开全体会议的通知',
      '各科室：',
      '定于下周一召开全体会议。',
    ]);
    const cases: [Buffer, string, string][] = [
      [Buffer.alloc(0), 'empty.txt', '文件为空'],
      [
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]),
        'scan.txt',
        '不是文本文件',
      ],
      [notAPlan, '通知.docx', '未识别出任何工作要点条目'],
      [Buffer.from('PK\u0003\u0004broken'), 'broken.docx', '无法读取 .docx'],
      [Buffer.from('whatever'), 'plan.doc', '.docx'],
    ];
    for (const [content, name, reason] of cases) {
      const res = await api()
        .post('/api/v1/plans/import')
        .attach('file', content, name)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toContain(reason);
    }
    const missing = await api().post('/api/v1/plans/import').field('note', 'no file').expect(400);
    expect(missing.body.details).toEqual([{ field: 'file', message: '缺少文件' }]);
    expect(await counts()).toEqual({ plans: 0, items: 0, tasks: 0, units: 0 });
  });

  it('refuses a file over 10 MB with 413', async () => {
    const res = await api()
      .post('/api/v1/plans/import')
      .attach('file', Buffer.alloc(11 * 1024 * 1024, 0x41), 'huge.txt')
      .expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('imports a .docx plan with its units, roles and stated deadlines', async () => {
    const res = await api()
      .post('/api/v1/plans/import')
      .attach('file', await makeDocx(SMALL_PLAN), '2026工作要点.docx')
      .expect(201);
    expect(res.body).toMatchObject({
      created: true,
      title: '某区教育局2026年工作要点',
      year: 2026,
      counts: { sections: 2, items: 3, tasks: 5, units: 4 },
    });
    const tasks = await api().get('/api/v1/tasks').query({ planId: res.body.planId }).expect(200);
    const summary = tasks.body.items
      .map(
        (t: { item: { number: number }; unit: { name: string }; role: string; dueDate: string }) =>
          [t.item.number, t.unit.name, t.role, t.dueDate].join(' '),
      )
      .sort();
    expect(summary).toEqual([
      '1 宣传科 co 2026-06-30',
      '1 组织科 lead 2026-06-30',
      '2 宣传科 lead 2026-12-31',
      '3 中教科 co 2026-12-31',
      '3 教研室 lead 2026-12-31',
    ]);
  });

  it('shows an imported plan as its document has it, and records the import with its tasks', async () => {
    const admin = await signIn(app, 'admin');
    const res = await api()
      .post('/api/v1/plans/import')
      .attach('file', Buffer.from(THREE_SECTIONS.join('\n')), '2027工作要点.txt')
      .expect(201);
    expect(res.body.counts).toEqual({ sections: 3, items: 5, tasks: 7, units: 4 });
    const plan = await api().get(`/api/v1/plans/${res.body.planId}`).expect(200);
    expect(
      plan.body.sections.map(
        (s: {
          ordinal: number;
          title: string;
          items: {
            ordinal: number;
            number: number;
            title: string;
            deadlineHints: { date: string }[];
          }[];
        }) => ({
          ordinal: s.ordinal,
          title: s.title,
          items: s.items.map((i) => [
            i.ordinal,
            i.number,
            i.title,
            i.deadlineHints.map((h) => h.date).join(),
          ]),
        }),
      ),
    ).toEqual([
      {
        ordinal: 1,
        title: '加强党的建设',
        items: [
          [1, 1, '深化理论学习', '2027-06-30'],
          [2, 2, '加强宣传阵地建设', ''],
        ],
      },
      { ordinal: 2, title: '推进教育改革', items: [[3, 3, '推进课程改革', '2027-12-31']] },
      {
        ordinal: 3,
        title: '提升治理水平',
        items: [
          [4, 1, '完善督办机制', '2027-09-30'],
          [5, 2, '规范档案管理', ''],
        ],
      },
    ]);
    const tasks = await api().get('/api/v1/tasks').query({ planId: res.body.planId }).expect(200);
    expect(tasks.body.total).toBe(7);
    const trail = await request(app.baseUrl)
      .get('/api/v1/audit')
      .query({ entityType: 'plan', entityId: res.body.planId })
      .set('Authorization', admin.authorization)
      .expect(200);
    expect(trail.body.items).toMatchObject([
      { action: 'plan.import', after: { title: '某区教育局2027年工作要点', tasks: 7 } },
    ]);
  });

  it('imports the same document only once, even when two uploads race', async () => {
    const before = await counts();
    const [a, b] = await Promise.all([
      api().post('/api/v1/plans/import').attach('file', seedPlan(), SEED_FILE),
      api().post('/api/v1/plans/import').attach('file', seedPlan(), SEED_FILE),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.planId).toBe(b.body.planId);
    const after = await counts();
    expect(after.plans).toBe(before.plans + 1);
    const again = await api()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), 'renamed.txt')
      .expect(200);
    expect(again.body.created).toBe(false);
    expect(await counts()).toEqual(after);
  });

  it('refuses a different document under an existing doc number with 409', async () => {
    const edited = Buffer.from(
      seedPlan().toString('utf8').replace('扎实做好信访工作', '扎实做好来信来访工作'),
    );
    const res = await api()
      .post('/api/v1/plans/import')
      .attach('file', edited, 'edited.txt')
      .expect(409);
    expect(res.body.message).toContain('虹教〔2022〕1号');
  });
});
