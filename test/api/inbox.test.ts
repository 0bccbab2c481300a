import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

/** A year ahead: deadlines must lie within a few years of the plan's year and today. */
const Y = new Date().getFullYear() + 1;

interface InboxPage {
  items: { id: string; kind: string; subject: string; readAt: string | null }[];
  total: number;
}

describe('the in-app inbox', () => {
  let databaseUrl: string;
  let app: TestApp;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('shows each person only their own messages and lets only them mark one read', async () => {
    const supervisor = await signIn(app, 'supervisor');
    const as = (auth: string) => request.agent(app.baseUrl).set('Authorization', auth);
    const imported = await as(supervisor.authorization)
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    const planId = imported.body.planId as string;
    const xck = await signIn(app, 'unit_member', '宣传科');
    const zzk = await signIn(app, 'unit_member', '组织科');
    const tasks = await as(supervisor.authorization)
      .get('/api/v1/tasks')
      .query({ planId, unit: '宣传科' })
      .expect(200);
    const task = (tasks.body.items as { id: string; item: { number: number } }[]).find(
      (t) => t.item.number === 1,
    )!;
    await as(supervisor.authorization)
      .patch(`/api/v1/tasks/${task.id}`)
      .send({ dueDate: `${Y}-12-31` })
      .expect(200);
    await as(supervisor.authorization)
      .post(`/api/v1/tasks/${task.id}/nudge`)
      .send({ note: '请尽快报送' })
      .expect(202);

    const mine = await as(xck.authorization).get('/api/v1/notifications').expect(200);
    const inbox = mine.body as InboxPage;
    expect(inbox.total).toBe(1);
    expect(inbox.items[0]).toMatchObject({ kind: 'nudge', readAt: null });
    expect(inbox.items[0].subject).toContain('第1项');

    const theirs = await as(zzk.authorization).get('/api/v1/notifications').expect(200);
    expect((theirs.body as InboxPage).total).toBe(0);
    await as(zzk.authorization).post(`/api/v1/notifications/${inbox.items[0].id}/read`).expect(404);

    await as(xck.authorization).post(`/api/v1/notifications/${inbox.items[0].id}/read`).expect(204);
    const unread = await as(xck.authorization)
      .get('/api/v1/notifications')
      .query({ unread: 'true' })
      .expect(200);
    expect((unread.body as InboxPage).total).toBe(0);
    const all = await as(xck.authorization).get('/api/v1/notifications').expect(200);
    expect((all.body as InboxPage).items[0].readAt).not.toBeNull();
  });
});
