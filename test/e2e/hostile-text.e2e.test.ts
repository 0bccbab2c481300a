import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const HOSTILE_PLAN = [
  '某区教育局2026年工作要点',
  '一、安全工作',
  '1.<script>alert("x")</script>加强校园<b>安全</b>管理。完善\'); DROP TABLE tasks; --预案。（责任科室：<i>安全科）',
].join('\n');

describe('hostile text in a plan', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let api: () => ReturnType<typeof request.agent>;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
    const supervisor = await signIn(app, 'supervisor');
    const agent = request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    api = () => agent;
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('is stored as written and comes out escaped in the reminder mail', async () => {
    const imported = await api()
      .post('/api/v1/plans/import')
      .attach('file', Buffer.from(HOSTILE_PLAN), 'plan.txt')
      .expect(201);
    const { planId } = imported.body as { planId: string };
    await api()
      .put(`/api/v1/plans/${planId}/policy`)
      .send({ offsets: ['-PT2S'] })
      .expect(200);
    const tasks = await api().get('/api/v1/tasks').query({ planId }).expect(200);
    const task = tasks.body.items[0] as {
      id: string;
      unit: { id: string; name: string };
      item: { title: string };
    };
    expect(task.item.title).toBe('<script>alert("x")</script>加强校园<b>安全</b>管理');
    expect(task.unit.name).toBe('<i>安全科');

    await api()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ email: 'safety@example.org' })
      .expect(200);
    await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: new Date(Date.now() + 4000).toISOString() })
      .expect(200);
    const [mail] = await smtp.waitFor(1);
    const html = String(mail.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<b>安全');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;i&gt;安全科');
    // The plain-text part shows the words as they were written.
    expect(mail.text).toContain('<script>alert("x")</script>加强校园<b>安全</b>管理');
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM tasks`);
    expect(n).toBe(1);
  });
});
