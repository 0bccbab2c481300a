import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seededPlan } from '../support/plan-fixture.js';

/** A small plan under 文号 `number`, its content varied by `variant`. */
function planText(number: string, variant: number): Buffer {
  return Buffer.from(
    [
      `某区教育局2026年工作要点（第 ${variant} 稿）`,
      `某教〔2026〕${number}号`,
      '一、加强党的建设',
      `1.深化理论学习${variant}。组织全系统专题学习，6月底前完成。（责任科室：组织科、宣传科）`,
      '2.加强宣传阵地建设。完善融媒体平台。（责任科室：宣传科）',
    ].join('\n'),
  );
}

describe('plan imports under races, and uploads before permission', () => {
  let databaseUrl: string;
  let dataDir: string;
  let app: TestApp;
  let supervisor: { authorization: string };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    dataDir = app.config.dataDir;
    supervisor = await signIn(app, 'supervisor');
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  const upload = (content: Buffer, name: string, who = supervisor) =>
    request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', who.authorization)
      .attach('file', content, name);

  it('20 parallel imports of different documents under one 文号 create one plan; the rest are 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => upload(planText('7', i), `plan-${i}.txt`)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    expect(answers.find((a) => a.status === 409)!.body.message).toContain('某教〔2026〕7号');
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM plans WHERE doc_number = '某教〔2026〕7号'`,
    );
    expect(n).toBe(1);
  });

  it('20 parallel imports of one document: one 201, the rest 200 "already imported", never 409', async () => {
    const doc = planText('8', 0);
    // Another supervisor: uploads count against each user's hourly import limit.
    const other = await signIn(app, 'supervisor');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => upload(doc, `same-${i}.txt`, other)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(18).fill(200), 201].sort());
    const ids = new Set(answers.map((a) => a.body.planId));
    expect(ids.size).toBe(1);
  });

  it('refuses a plan upload by a unit member before reading it', async () => {
    const member = await signIn(app, 'unit_member', '组织科');
    const big = Buffer.alloc(9 * 1024 * 1024, 'a');
    const res = await upload(big, 'huge.txt', member).catch(
      (e: { response?: request.Response }) => e.response!,
    );
    expect(res.status).toBe(403);
  });

  it('refuses a report upload by someone who may not report, with nothing written to disk', async () => {
    const plan = await seededPlan(app);
    const [task] = plan.leadsOfDistinctUnits();
    const leader = await signIn(app, 'leader');
    const outsider = await signIn(app, 'unit_member', '组织科');
    const attachments = join(dataDir, 'attachments');
    const filesBefore = await readdir(attachments).catch(() => []);
    for (const who of [leader, outsider]) {
      const res = await request(app.baseUrl)
        .post(`/api/v1/tasks/${task.id}/submissions`)
        .set('Authorization', who.authorization)
        .field('body', '进展')
        .attach('attachments', Buffer.alloc(8 * 1024 * 1024, 0x25), 'report.pdf')
        .catch((e: { response?: request.Response }) => e.response!);
      expect(res.status).toBe(403);
    }
    expect(await readdir(attachments).catch(() => [])).toEqual(filesBefore);
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'forbidden' AND entity_id = $1`,
      [task.id],
    );
    expect(n).toBe(2);
  });

  it('limits how many imports one user makes per hour (429 with Retry-After)', async () => {
    const importer = await signIn(app, 'admin');
    const answers = [];
    for (let i = 0; i < 62; i++) {
      answers.push(await upload(Buffer.from('not a plan'), `x-${i}.txt`, importer));
    }
    expect(answers.slice(0, 60).every((a) => a.status === 400)).toBe(true);
    expect(answers[60].status).toBe(429);
    expect(Number(answers[60].headers['retry-after'])).toBeGreaterThan(0);
    expect(answers[60].body.message).toContain('操作过于频繁');
  });
});
