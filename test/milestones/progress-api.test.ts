import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

interface TaskView {
  id: string;
  item: { number: number };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
}

interface ItemProgress {
  id: string;
  number: number;
  title: string;
  status: string;
  overdue: boolean;
  counts: Record<string, number>;
  lead: { unitName: string; status: string; overdue: boolean } | null;
}

interface SectionProgress {
  ordinal: number;
  title: string | null;
  status: string;
  overdue: boolean;
  counts: Record<string, number>;
  taskCounts: Record<string, number>;
  items: ItemProgress[];
}

describe('plan progress API', () => {
  let databaseUrl: string;
  let app: TestApp;
  let planId: string;
  let supervisor: string;
  let tasks: TaskView[];

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const progress = async () =>
    (await as(supervisor).get(`/api/v1/plans/${planId}/progress`).expect(200)).body as {
      status: string;
      overdue: boolean;
      totals: { sections: number; items: number; tasks: number };
      itemCounts: Record<string, number>;
      sections: SectionProgress[];
    };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    const imported = await as(supervisor)
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    tasks = [];
    for (let page = 1; ; page++) {
      const res = await as(supervisor).get('/api/v1/tasks').query({ pageSize: 200, page });
      tasks.push(...(res.body.items as TaskView[]));
      if (tasks.length >= res.body.total) break;
    }
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('shows the seed plan as 7 sections and 36 items, all overdue (2022 deadlines)', async () => {
    const body = await progress();
    expect(body.totals).toEqual({ sections: 7, items: 36, tasks: tasks.length });
    expect(body.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const items = body.sections.flatMap((s) => s.items);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(items.every((i) => i.status === 'overdue' && i.overdue)).toBe(true);
    expect(body.sections.every((s) => s.status === 'overdue' && s.overdue)).toBe(true);
    expect(body).toMatchObject({ status: 'overdue', overdue: true });
    expect(body.itemCounts).toMatchObject({ overdue: 36, closed: 0, total: 36 });

    const item1 = items[0];
    expect(item1.lead).toEqual({
      unitId: expect.any(String),
      unitName: '宣传科',
      status: 'assigned',
      overdue: true,
    });
    expect(item1.counts).toMatchObject({ total: 4, assigned: 4, overdue: 4, closed: 0 });
    // "各科室、各部门": every unit leads item 9, so there is no single lead.
    expect(items[8].lead).toBeNull();
    expect(items[8].counts.total).toBe(23);
  });

  it('rolls item 36 up to closed once all its tasks are closed, and section 7 changes', async () => {
    const before = (await progress()).sections[6];
    expect(before.items.map((i) => i.number)).toContain(36);
    const overdueBefore = before.counts.overdue;
    expect(before.counts).toMatchObject({ closed: 0, total: before.items.length });

    const item36 = tasks.filter((t) => t.item.number === 36);
    expect(item36.length).toBeGreaterThan(0);
    for (const t of item36) {
      const res = await as(supervisor)
        .patch(`/api/v1/tasks/${t.id}`)
        .send({ status: 'done' })
        .expect(200);
      expect(res.body.status).toBe('closed');
    }

    const after = await progress();
    const section7 = after.sections[6];
    const rolled = section7.items.find((i) => i.number === 36)!;
    expect(rolled).toMatchObject({
      status: 'closed',
      overdue: false,
      lead: { unitName: '办公室', status: 'closed', overdue: false },
    });
    expect(rolled.counts).toMatchObject({
      closed: item36.length,
      overdue: 0,
      total: item36.length,
    });
    expect(section7.counts).toMatchObject({ closed: 1, overdue: overdueBefore - 1 });
    expect(section7.taskCounts.closed).toBe(item36.length);
    // Other items are still overdue, so the section is too.
    expect(section7.status).toBe('overdue');
    expect(after.itemCounts).toMatchObject({ overdue: 35, closed: 1 });
  });

  it('lets every signed-in role read progress, and answers 404 for an unknown plan', async () => {
    const member = await signIn(app, 'unit_member', '宣传科');
    const res = await as(member.authorization).get(`/api/v1/plans/${planId}/progress`).expect(200);
    expect(res.body.totals.items).toBe(36);
    const unknown = await as(supervisor)
      .get('/api/v1/plans/00000000-0000-4000-8000-000000000000/progress')
      .expect(404);
    expect(unknown.body.message).toContain('不存在');
    await request(app.baseUrl).get(`/api/v1/plans/${planId}/progress`).expect(401);
  });

  it("shows a unit's people only their own unit's tasks; overseers see every unit", async () => {
    const own = tasks.filter((t) => t.unit.name === '宣传科');
    const ownUnitId = own[0].unit.id;
    const otherUnitIds = new Set(tasks.map((t) => t.unit.id).filter((id) => id !== ownUnitId));
    expect(own.length).toBeGreaterThan(0);
    expect(otherUnitIds.size).toBeGreaterThan(0);

    for (const role of ['unit_member', 'unit_head'] as const) {
      const { authorization } = await signIn(app, role, '宣传科');
      const body = (await as(authorization).get(`/api/v1/plans/${planId}/progress`).expect(200))
        .body as { totals: { sections: number; items: number; tasks: number } } & {
        sections: SectionProgress[];
      };
      // The plan's outline stays whole; only the tasks are the unit's own.
      expect(body.totals).toEqual({ sections: 7, items: 36, tasks: own.length });
      const items = body.sections.flatMap((s) => s.items);
      for (const item of items) {
        expect(item.counts.total).toBe(own.filter((t) => t.item.number === item.number).length);
        if (item.lead) expect(item.lead.unitName).toBe('宣传科');
      }
      // Item 1 is led by 宣传科 itself; item 36 is led by 办公室, which the unit does not see.
      expect(items[0].lead).toMatchObject({ unitName: '宣传科' });
      expect(items[35].lead).toBeNull();
      const text = JSON.stringify(body);
      expect([...otherUnitIds].filter((id) => text.includes(id))).toEqual([]);
    }

    for (const role of ['leader', 'supervisor', 'admin'] as const) {
      const { authorization } = await signIn(app, role);
      const body = (await as(authorization).get(`/api/v1/plans/${planId}/progress`).expect(200))
        .body as { totals: { tasks: number } };
      expect(body.totals.tasks).toBe(tasks.length);
    }
  });

  it('documents progress and milestones in the OpenAPI document', async () => {
    const res = await request(app.baseUrl).get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/tasks/{id}/milestones']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/milestones/{id}']).sort()).toEqual(['delete', 'patch']);
    expect(Object.keys(paths['/api/v1/plans/{id}/progress'])).toEqual(['get']);
    const schemas = res.body.components.schemas as Record<string, { properties: object }>;
    expect(Object.keys(schemas.PlanProgressDto.properties)).toEqual(
      expect.arrayContaining(['status', 'overdue', 'totals', 'sections']),
    );
    expect(Object.keys(schemas.CreateMilestoneDto.properties).sort()).toEqual([
      'dueAt',
      'dueDate',
      'title',
    ]);
  });
});
