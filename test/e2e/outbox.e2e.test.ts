import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE, sleep } from '../support/seed.js';

describe('mail without an SMTP server', () => {
  let databaseUrl: string;
  let dataDir: string;
  let app: TestApp;
  let api: () => ReturnType<typeof request.agent>;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'duban-outbox-'));
    app = await startTestApp({ databaseUrl, dataDir });
    const supervisor = await signIn(app, 'supervisor');
    const agent = request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    api = () => agent;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('writes the reminder as an .eml file under DATA_DIR/outbox', async () => {
    const imported = await api()
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    const planId = imported.body.planId as string;
    await api()
      .put(`/api/v1/plans/${planId}/policy`)
      .send({ offsets: ['-PT2S'] })
      .expect(200);
    const tasks = await api().get('/api/v1/tasks').query({ planId, unit: '监察室' }).expect(200);
    const task = (
      tasks.body.items as { id: string; item: { number: number }; unit: { id: string } }[]
    ).find((t) => t.item.number === 23)!;
    await api()
      .patch(`/api/v1/units/${task.unit.id}`)
      .send({ email: 'jcs@example.org' })
      .expect(200);
    await api()
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueAt: new Date(Date.now() + 4000).toISOString() })
      .expect(200);

    const outbox = join(dataDir, 'outbox');
    let files: string[] = [];
    for (let i = 0; i < 100 && files.length === 0; i++) {
      await sleep(100);
      files = await readdir(outbox).catch(() => []);
    }
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const mail = await simpleParser(await readFile(join(outbox, files[0])));
    expect(mail.to).toMatchObject({ text: 'jcs@example.org' });
    expect(mail.subject).toContain('第23项');
    expect(mail.subject).toContain('加强教师思想政治和师德师风建设');
  });
});
