import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';
import { cleanEnv, dist, runProcess } from '../support/processes.js';
import { occurrencesOf } from '../support/reminders.js';

const cli = dist('src', 'cli', 'main.js');

/** 2027 as the State Council might publish it (a shortened 春节 for the test). */
const SCHEDULE_2027 = {
  holidays: [{ name: '春节', from: '2027-02-08', to: '2027-02-09' }],
  workdays: [{ name: '春节调休', date: '2027-02-06' }],
};

describe('calendar administration', () => {
  let databaseUrl: string;
  let app: TestApp;
  let plan: Awaited<ReturnType<typeof seededPlan>>;
  let admin: { authorization: string };
  const asAdmin = () => request.agent(app.baseUrl).set('Authorization', admin.authorization);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    plan = await seededPlan(app);
    admin = await signIn(app, 'admin');
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('an admin-entered 2027 schedule moves a reminder off a new holiday, at once', async () => {
    await plan.setPolicy(['-P1D']);
    const [task] = plan.leadsOfDistinctUnits();
    // Due at the end of Wednesday 2027-02-10 (Shanghai); the reminder one working day before.
    await plan
      .api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: '2027-02-10T15:59:59.999Z' })
      .expect(200);
    const health = await request(app.baseUrl).get('/api/v1/health').expect(200);
    expect(health.body.calendar.uncoveredYears).toContain(2027);
    expect(health.body.calendar.message).toContain('2027');

    const reminderAt = async () => {
      const res = await plan.api().get(`/api/v1/tasks/${task.id}/schedule`).expect(200);
      return (res.body.items as { source: string; fireAt: string }[])
        .filter((e) => e.source === 'task.deadline')
        .map((e) => e.fireAt);
    };
    // Without an official schedule, Tuesday 09:00.
    expect(await reminderAt()).toEqual(['2027-02-09T01:00:00.000Z']);

    const set = await asAdmin().put('/api/v1/calendar/2027').send(SCHEDULE_2027).expect(200);
    expect(set.body.source).toBe('admin');
    // Monday and Tuesday are holidays, Sunday too; Saturday the 6th is a 调休 working day.
    expect(await reminderAt()).toEqual(['2027-02-06T01:00:00.000Z']);
    const stored = (await occurrencesOf(app.db, task.id)).filter(
      (o) => o.source === 'task.deadline' && o.status === 'scheduled',
    );
    expect(stored.map((o) => o.fireAt.toISOString())).toEqual(['2027-02-06T01:00:00.000Z']);

    const after = await request(app.baseUrl).get('/api/v1/health').expect(200);
    expect(after.body.calendar.uncoveredYears).not.toContain(2027);
    const year = await asAdmin().get('/api/v1/calendar/2027').expect(200);
    expect(year.body.holidays.map((h: { date: string }) => h.date)).toEqual([
      '2027-02-08',
      '2027-02-09',
    ]);
    expect(year.body.workdays).toEqual([{ date: '2027-02-06', name: '春节调休' }]);
    const audit = await asAdmin()
      .get('/api/v1/audit')
      .query({ entityType: 'calendar', entityId: '2027' })
      .expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['calendar.set']);
  });

  it('refuses a malformed schedule with what is wrong, and only admins may enter one', async () => {
    const bad = await asAdmin()
      .put('/api/v1/calendar/2028')
      .send({ holidays: [{ name: '元旦', from: '2028-13-01' }], workdays: [] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('2028-13-01');
    const none = await asAdmin().get('/api/v1/calendar/2028').expect(200);
    expect(none.body.source).toBe('none');
    await plan.api().put('/api/v1/calendar/2028').send({ holidays: [], workdays: [] }).expect(403);
  });

  // Four CLI runs, each starting the application: more than the default minute on a busy machine.
  it('duban calendar:set and calendar:show enter and show a year; bad input exits 2', async () => {
    const file = join(tmpdir(), `duban-calendar-${process.pid}.json`);
    await writeFile(
      file,
      JSON.stringify({
        holidays: [{ name: '国庆节', from: '2029-10-01', to: '2029-10-07' }],
        workdays: [{ name: '国庆调休', date: '2029-09-29' }],
      }),
    );
    const env = cleanEnv({ DATABASE_URL: databaseUrl });
    const set = await runProcess(cli, ['calendar:set', '2029', file], env);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('放假 7 天，调休上班 1 天');
    const show = await runProcess(cli, ['calendar:show', '2029'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('管理员录入');
    expect(show.stdout).toContain('调休上班 2029-09-29 国庆调休');

    await writeFile(file, '{"holidays": [');
    const broken = await runProcess(cli, ['calendar:set', '2029', file], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('不是有效的 JSON');
    const badYear = await runProcess(cli, ['calendar:show', '20x9'], env);
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('年份');
    // The broken file changed nothing.
    const still = await asAdmin().get('/api/v1/calendar/2029').expect(200);
    expect(still.body.holidays).toHaveLength(7);
  }, 240_000);
});
