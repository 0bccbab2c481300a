import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { DigestsService } from '../../src/digests/digests.service.js';
import { weekAt } from '../../src/digests/digest-schedule.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { eventually } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const HOSTILE_PLAN = [
  '某区教育局2026年工作要点',
  '一、安全<img src=x onerror=alert(1)>工作',
  '1.<script>alert("x")</script>加强校园<b>安全</b>管理。完善预案。（责任科室：<i>安全科）',
].join('\n');

describe('hostile text in a weekly digest', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({
      databaseUrl,
      smtpUrl: smtp.url,
      env: { PUBLIC_URL: 'https://duban.example.org', DIGEST_CHECK_SECONDS: '0' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('comes out escaped in the HTML part and verbatim in the text part', async () => {
    const supervisor = await signIn(app, 'supervisor');
    const leader = await signIn(app, 'leader');
    const api = () => request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    const imported = await api()
      .post('/api/v1/plans/import')
      .attach('file', Buffer.from(HOSTILE_PLAN), 'plan.txt')
      .expect(201);
    const tasks = await api()
      .get('/api/v1/tasks')
      .query({ planId: imported.body.planId })
      .expect(200);
    const task = tasks.body.items[0] as { id: string; unit: { id: string; name: string } };
    expect(task.unit.name).toBe('<i>安全科');
    await api()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ email: 'safety@example.org' })
      .expect(200);
    await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString() })
      .expect(200);

    const now = new Clock().now();
    await app.app.get(DigestsService).sendWeek(weekAt(now, 'Asia/Shanghai'), now);
    const digests = () => smtp.messages.filter((m) => m.subject?.startsWith('【督办周报】'));
    await eventually(async () => (digests().length >= 2 ? true : undefined), 20_000);
    const unitMail = digests().find((m) => m.subject!.includes('安全科'))!;
    const leaderMail = digests().find((m) => m.subject!.includes('全局'))!;
    expect(leaderMail.to).toBeDefined();
    expect(JSON.stringify(leaderMail.to)).toContain(leader.email);

    for (const mail of [unitMail, leaderMail]) {
      const html = mail.html as string;
      expect(html).not.toMatch(/<script|<img|<i>|<b>安全/);
      expect(html).toContain('&lt;i&gt;安全科');
    }
    expect(unitMail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(leaderMail.html).toContain('一、安全&lt;img src=x onerror=alert(1)&gt;');
    // Long titles are shortened to keep each line readable on a phone.
    expect(unitMail.text).toContain('第1条 <script>alert("x")</script>加强校园<b>安全</b>…');
  });
});
