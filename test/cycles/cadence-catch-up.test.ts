import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { Clock } from '../../src/common/clock.js';
import { CadencesService } from '../../src/cycles/cadences.service.js';
import { signIn, startTestApp, type TestApp, uniquePrefix } from '../support/app.js';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../support/databases.js';
import { type FixtureTask, seededPlan } from '../support/plan-fixture.js';
import { eventually, sleep } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

class TestClock extends Clock {
  at: Date | null = null;
  override now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
}

const shanghai = (local: string) => new Date(`${local}+08:00`);
const addressesOf = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text) ?? '';

interface CycleRow {
  period_key: string;
  status: string;
  opens_on: string;
}

/**
 * Job schedulers never backfill: a period that starts while no worker runs is opened when workers
 * return — once, however many workers catch up at the same moment.
 */
const BACKENDS: [string, string | null][] = [
  ['the PostgreSQL queue backend', null],
  ...(testRedisUrl() ? [['the Redis queue backend', testRedisUrl()] as [string, string]] : []),
];

describe.each(BACKENDS)('a recurring cadence across a worker outage (%s)', (_label, redisUrl) => {
  const clock = new TestClock();
  const prefix = uniquePrefix();
  let databaseUrl: string;
  let smtp: TestSmtp;
  let first: TestApp;
  let workers: TestApp[] = [];
  let task: FixtureTask;
  let member: Awaited<ReturnType<typeof signIn>>;
  let cadenceId: string;

  const start = () =>
    startTestApp({ databaseUrl, smtpUrl: smtp.url, clock, redisUrl, queuePrefix: prefix });
  const cycles = (app: TestApp): Promise<CycleRow[]> =>
    app.db.query(
      `SELECT period_key, status, to_char(opens_on, 'YYYY-MM-DD') AS opens_on FROM review_cycles
        WHERE cadence_id = $1 ORDER BY opens_on`,
      [cadenceId],
    );
  const requestMails = () =>
    smtp.messages.filter(
      (m) => addressesOf(m).includes(member.email) && (m.subject ?? '').startsWith('【督导】'),
    );

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    first = await start();
    const plan = await seededPlan(first);
    [task] = plan.leadsOfDistinctUnits();
    member = await signIn(first, 'unit_member', task.unit.name);
    clock.at = shanghai('2022-03-10T10:00:00');
    const res = await plan
      .api()
      .post(`/api/v1/plans/${plan.planId}/cycle-cadences`)
      .send({
        kind: 'quarterly',
        scope: { kind: 'items', ids: [(task as FixtureTask & { item: { id: string } }).item.id] },
        dueWorkdays: 5,
      })
      .expect(201);
    cadenceId = res.body.id;
  });

  afterAll(async () => {
    for (const app of workers) await app.close();
    await first?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('opens nothing before the first period starts', async () => {
    await first.app.get(CadencesService).catchUp();
    expect(await cycles(first)).toEqual([]);
  });

  it('opens the period missed while workers were down once, with two workers catching up at once', async () => {
    await first.close();
    // Down from 10 March to 6 April: the second quarter opened (1 April) while nothing ran.
    clock.at = shanghai('2022-04-06T10:00:00');
    // Two workers start at once; each catches up when it starts, then both again at once.
    workers = await Promise.all([start(), start()]);
    await Promise.all(workers.map((w) => w.app.get(CadencesService).catchUp()));
    await Promise.all(workers.map((w) => w.app.get(CadencesService).catchUp()));
    await Promise.all(workers.map((w) => w.app.get(CadencesService).tick(cadenceId)));

    expect(await cycles(workers[0])).toEqual([
      { period_key: '2022-Q2', status: 'open', opens_on: '2022-04-01' },
    ]);
    const mail = await eventually(async () => requestMails()[0], 20_000);
    expect(mail.subject).toContain('2022年第二季度督导');
    await sleep(500);
    expect(requestMails()).toHaveLength(1);
    const opened: unknown[] = await workers[0].db.query(
      `SELECT 1 FROM audit_log WHERE action = 'cycle.open'`,
    );
    expect(opened).toHaveLength(1);
  });

  it('after a longer outage opens only the current period, not every one missed', async () => {
    // Down through the whole third quarter: on 10 October only the fourth quarter opens.
    clock.at = shanghai('2022-10-10T10:00:00');
    await Promise.all(workers.map((w) => w.app.get(CadencesService).catchUp()));
    expect((await cycles(workers[0])).map((c) => [c.period_key, c.opens_on])).toEqual([
      ['2022-Q2', '2022-04-01'],
      // 1–7 October are the National Day holiday: the quarter opens on the 8th (a make-up
      // working Saturday in 2022).
      ['2022-Q4', '2022-10-08'],
    ]);
    await eventually(async () => requestMails()[1], 20_000);
    await sleep(500);
    expect(requestMails()).toHaveLength(2);
  });

  it('opens nothing once the cadence is stopped', async () => {
    const supervisor = await signIn(workers[0], 'supervisor');
    const res = await fetch(`${workers[0].baseUrl}/api/v1/cycle-cadences/${cadenceId}/stop`, {
      method: 'POST',
      headers: { authorization: supervisor.authorization },
    });
    expect(res.status).toBe(200);
    clock.at = shanghai('2023-01-05T10:00:00');
    await workers[0].app.get(CadencesService).catchUp();
    expect(await workers[0].app.get(CadencesService).tick(cadenceId)).toBeNull();
    expect(await cycles(workers[0])).toHaveLength(2);
  });
});
