import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { CadencesService } from '../../src/cycles/cadences.service.js';
import { CyclesRepository } from '../../src/cycles/cycles.repository.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { type FixtureTask, seededPlan } from '../support/plan-fixture.js';

class TestClock extends Clock {
  at: Date | null = null;
  override now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
}

const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('ad hoc review cycles (专项督导)', () => {
  const clock = new TestClock();
  let databaseUrl: string;
  let app: TestApp;
  let plan: Awaited<ReturnType<typeof seededPlan>>;
  let sectionIds: string[];
  /** Item numbers of the first section. */
  let firstSectionItems: Set<number>;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, clock });
    plan = await seededPlan(app);
    const res = await plan.api().get(`/api/v1/plans/${plan.planId}`).expect(200);
    const sections = res.body.sections as { id: string; items: { number: number }[] }[];
    sectionIds = sections.map((s) => s.id);
    firstSectionItems = new Set(sections[0].items.map((i) => i.number));
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const post = (body: object) =>
      plan.api().post(`/api/v1/plans/${plan.planId}/cycles`).send(body).expect(400);
    expect((await post({})).body.message).toContain('dueWorkdays');
    expect((await post({ dueWorkdays: 500 })).body.message).toContain('dueWorkdays');
    expect((await post({ dueWorkdays: 5, opensOn: '2022-02-30' })).body.message).toContain(
      'opensOn',
    );
    expect((await post({ dueWorkdays: 5, reminders: ['-P1M'] })).body.message).toContain(
      'reminders[0]',
    );
    const foreign = await post({
      dueWorkdays: 5,
      scope: { kind: 'items', ids: ['00000000-0000-4000-8000-000000000009'] },
    });
    expect(foreign.body.message).toContain('不属于该工作要点的条目');
    const cron = await plan
      .api()
      .post(`/api/v1/plans/${plan.planId}/cycle-cadences`)
      .send({ kind: 'cron', cron: 'every monday', dueWorkdays: 5 })
      .expect(400);
    expect(cron.body.message).toContain('不是合法的 cron 表达式');
    const list = await plan.api().get(`/api/v1/plans/${plan.planId}/cycles`).expect(200);
    expect(list.body).toEqual([]);
  });

  it('lets only admins and supervisors create cycles', async () => {
    const task: FixtureTask = plan.tasks[0];
    const member = await signIn(app, 'unit_head', task.unit.name);
    const res = await request(app.baseUrl)
      .post(`/api/v1/plans/${plan.planId}/cycles`)
      .set('Authorization', member.authorization)
      .send({ dueWorkdays: 5 })
      .expect(403);
    expect(res.body.message).toBe('无权执行此操作');
  });

  it('keeps a cycle with a later opening date scheduled, and opens it on that day', async () => {
    clock.at = shanghai('2022-06-01T10:00:00');
    const created = await plan
      .api()
      .post(`/api/v1/plans/${plan.planId}/cycles`)
      .send({
        title: '校园安全专项督导',
        scope: { kind: 'sections', ids: [sectionIds[0]] },
        opensOn: '2022-06-06',
        dueWorkdays: 3,
        reminders: ['P0D'],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      title: '校园安全专项督导',
      status: 'scheduled',
      opensOn: '2022-06-06',
      // 3 June 2022 is the Dragon Boat Festival: 6, 7, 8, 9 June → due the 9th.
      dueOn: '2022-06-09',
      requestedTasks: 0,
    });
    const id = created.body.id as string;
    // Still June 1st: the catch-up leaves it alone.
    await app.app.get(CadencesService).catchUp();
    expect((await app.app.get(CyclesRepository).find(app.db.manager, id))?.status).toBe(
      'scheduled',
    );
    clock.at = shanghai('2022-06-06T09:05:00');
    expect(await app.app.get(CadencesService).catchUp()).toEqual([id]);
    const opened = await plan.api().get(`/api/v1/cycles/${id}`).expect(200);
    const inSection = plan.tasks.filter((t) => firstSectionItems.has(t.item.number));
    expect(opened.body).toMatchObject({
      status: 'open',
      requestedTasks: inSection.length,
      requestedUnits: new Set(inSection.map((t) => t.unit.id)).size,
    });

    const edited = await plan
      .api()
      .patch(`/api/v1/cycles/${id}`)
      .send({ title: '校园安全专项督导（第二轮）', reminders: ['-P1D', 'P0D'] })
      .expect(200);
    expect(edited.body).toMatchObject({
      title: '校园安全专项督导（第二轮）',
      reminders: ['-P1D', 'P0D'],
    });
    const results = await plan.api().get(`/api/v1/cycles/${id}/results`).expect(200);
    expect(results.body.totals).toMatchObject({
      requested: opened.body.requestedTasks,
      pending: opened.body.requestedTasks,
      missing: 0,
    });
    // The draft says it is a draft while the cycle is open.
    const html = await plan.api().get(`/api/v1/cycles/${id}/bulletin.html`).expect(200);
    expect(html.text).toContain('草稿：本轮督导尚未结束');
  });
});
