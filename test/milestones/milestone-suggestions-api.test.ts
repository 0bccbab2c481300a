import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';

/** A year ahead, so every date the item states is still to come. */
const Y = new Date().getFullYear() + 1;

const PLAN = [
  `东城区教育局${Y}年工作要点`,
  '一、提高教育质量',
  '1.推进集团化办学。一是3月底前制定集团化办学实施方案；二是组建新的教育集团；三是第三季度完成中期评估；四是总结推广典型经验。（牵头单位：基教科；配合单位：教研室）',
  '2.做好招生工作。（责任科室：招生办）',
].join('\n');

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { name: string };
  role: 'lead' | 'co';
  dueDate: string;
}

interface Suggestion {
  index: number;
  title: string;
  dueDate: string;
  source: 'stated' | 'spread';
  deadlineText: string | null;
  exists: boolean;
}

describe('suggested milestones (建议节点) API', () => {
  let databaseUrl: string;
  let app: TestApp;
  let supervisor: string;
  let lead: TaskView;
  let co: TaskView;
  let leadMember: string;
  let leadHead: string;
  let coMember: string;
  let outsider: string;

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const suggestionsOf = async (authorization: string): Promise<Suggestion[]> =>
    (await as(authorization).get(`/api/v1/tasks/${lead.id}/milestone-suggestions`).expect(200))
      .body as Suggestion[];
  const milestoneTitles = async (): Promise<string[]> => {
    const res = await as(supervisor).get(`/api/v1/tasks/${lead.id}/milestones`).expect(200);
    return (res.body.items as { title: string }[]).map((m) => m.title);
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    await as(supervisor)
      .post('/api/v1/plans/import')
      .attach('file', Buffer.from(PLAN), 'plan.txt')
      .expect(201);
    const res = await as(supervisor).get('/api/v1/tasks').query({ pageSize: 200 }).expect(200);
    const tasks = res.body.items as TaskView[];
    lead = tasks.find((t) => t.item.number === 1 && t.role === 'lead')!;
    co = tasks.find((t) => t.item.number === 1 && t.role === 'co')!;
    leadMember = (await signIn(app, 'unit_member', '基教科')).authorization;
    leadHead = (await signIn(app, 'unit_head', '基教科')).authorization;
    coMember = (await signIn(app, 'unit_member', '教研室')).authorization;
    outsider = (await signIn(app, 'unit_member', '招生办')).authorization;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('offers the measures the item lists, dated by their own words or spread on a working day', async () => {
    expect(lead).toMatchObject({ unit: { name: '基教科' }, dueDate: `${Y}-09-30` });
    expect(co.unit.name).toBe('教研室');
    const suggestions = await suggestionsOf(leadMember);
    expect(suggestions.map((s) => [s.index, s.title, s.source, s.deadlineText, s.exists])).toEqual([
      [1, '3月底前制定集团化办学实施方案', 'stated', '3月底前', false],
      [2, '组建新的教育集团', 'spread', null, false],
      [3, '第三季度完成中期评估', 'stated', '第三季度', false],
      [4, '总结推广典型经验', 'spread', null, false],
    ]);
    expect(suggestions[0].dueDate).toBe(`${Y}-03-31`);
    expect(suggestions[2].dueDate).toBe(`${Y}-09-30`);
    // Between the measures around it, on a working day; the last one with the task.
    const second = suggestions[1].dueDate;
    expect(second > `${Y}-03-31` && second < `${Y}-09-30`).toBe(true);
    expect([0, 6]).not.toContain(new Date(`${second}T00:00:00Z`).getUTCDay());
    expect(suggestions[3].dueDate).toBe(`${Y}-09-30`);

    // Whoever reads the task reads its suggestions; another unit's people do not.
    expect(await suggestionsOf(supervisor)).toEqual(suggestions);
    expect(await suggestionsOf(leadHead)).toEqual(suggestions);
    await as(outsider).get(`/api/v1/tasks/${lead.id}/milestone-suggestions`).expect(403);
    await as(coMember).get(`/api/v1/tasks/${lead.id}/milestone-suggestions`).expect(403);
  });

  it('lets only the lead unit or a supervisor accept, and refuses unknown suggestions without creating any', async () => {
    // The co-unit reads its own task's suggestions but does not accept them: that is the lead's.
    expect(
      (await as(coMember).get(`/api/v1/tasks/${co.id}/milestone-suggestions`).expect(200)).body,
    ).toHaveLength(4);
    const refused = await as(coMember)
      .post(`/api/v1/tasks/${co.id}/milestone-suggestions/accept`)
      .send({})
      .expect(403);
    expect(refused.body.message).toBe('只有牵头单位或督导室可以采纳建议节点');
    await as(coMember)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({})
      .expect(403);
    await as(outsider)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({})
      .expect(403);
    const unknown = await as(leadMember)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({ indexes: [1, 9] })
      .expect(400);
    expect(unknown.body.message).toBe('没有第 9 条建议节点（共 4 条）');
    const bad = await as(leadMember)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({ indexes: ['一'] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('序号须为整数');
    expect(await milestoneTitles()).toEqual([]);
  });

  it('creates the chosen suggestions, skips titles the task has, and audits the acceptance', async () => {
    await as(supervisor)
      .post(`/api/v1/tasks/${lead.id}/milestones`)
      .send({ title: '组建新的教育集团', dueDate: `${Y}-05-15` })
      .expect(201);
    const first = await as(leadMember)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({ indexes: [1, 2, 3] })
      .expect(200);
    expect(
      first.body.created.map((m: { title: string; dueDate: string }) => [m.title, m.dueDate]),
    ).toEqual([
      ['3月底前制定集团化办学实施方案', `${Y}-03-31`],
      ['第三季度完成中期评估', `${Y}-09-30`],
    ]);
    expect(first.body.skipped).toEqual([{ index: 2, title: '组建新的教育集团' }]);
    expect((await suggestionsOf(leadMember)).map((s) => s.exists)).toEqual([
      true,
      true,
      true,
      false,
    ]);

    // Accepting everything again adds only what is missing.
    const rest = await as(leadHead)
      .post(`/api/v1/tasks/${lead.id}/milestone-suggestions/accept`)
      .send({})
      .expect(200);
    expect(rest.body.created.map((m: { title: string }) => m.title)).toEqual(['总结推广典型经验']);
    expect(rest.body.skipped.map((s: { index: number }) => s.index)).toEqual([1, 2, 3]);
    expect(await milestoneTitles()).toEqual([
      '3月底前制定集团化办学实施方案',
      '组建新的教育集团',
      '第三季度完成中期评估',
      '总结推广典型经验',
    ]);

    const audit = await as(supervisor)
      .get('/api/v1/audit')
      .query({ entityType: 'task', entityId: lead.id })
      .expect(200);
    const accepted = (audit.body.items as { action: string; after: unknown }[]).filter(
      (e) => e.action === 'milestone.suggestions.accept',
    );
    expect(accepted.map((e) => e.after)).toEqual(
      expect.arrayContaining([
        {
          created: ['3月底前制定集团化办学实施方案', '第三季度完成中期评估'],
          skipped: ['组建新的教育集团'],
        },
        {
          created: ['总结推广典型经验'],
          skipped: ['3月底前制定集团化办学实施方案', '组建新的教育集团', '第三季度完成中期评估'],
        },
      ]),
    );
    expect(accepted).toHaveLength(2);
    const created = await as(supervisor)
      .get('/api/v1/audit')
      .query({ entityType: 'milestone', entityId: first.body.created[0].id })
      .expect(200);
    expect(created.body.items[0]).toMatchObject({
      action: 'milestone.create',
      after: { title: '3月底前制定集团化办学实施方案', suggestion: 1, taskId: lead.id },
    });
  });
});
