import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../support/databases.js';
import {
  cleanEnv,
  dist,
  freePort,
  startProcess,
  login,
  waitForHttp,
  waitForOutput,
  type RunningProcess,
} from '../support/processes.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { uniquePrefix } from '../support/app.js';
import { parsePrometheus } from '../support/prometheus.js';

const redisUrl = testRedisUrl();
const backend = redisUrl ? 'redis' : 'postgres';

describe(`scaled out: API and worker as separate processes (${backend} queue)`, () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let api: RunningProcess;
  let worker: RunningProcess;
  let base: string;
  let workerBase: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    const port = await freePort();
    const workerPort = await freePort();
    workerBase = `http://127.0.0.1:${workerPort}`;
    const env = cleanEnv({
      WORKER_HEALTH_PORT: String(workerPort),
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtp.url,
      PORT: String(port),
      QUEUE_PREFIX: uniquePrefix(),
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'steady-harbor-91',
      // Every API process of an installation on an external database shares this.
      JWT_SECRET: 'scaled-test-signing-secret-0123456789abcdef',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    });
    base = `http://127.0.0.1:${port}/api/v1`;
    api = startProcess(dist('src', 'main.js'), [], env);
    worker = startProcess(dist('workers', 'main.js'), [], env);
    await waitForHttp(`${base}/health`, api);
    await waitForHttp(`${workerBase}/health`, worker);
  });

  afterAll(async () => {
    for (const p of [api, worker]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('the API schedules, the worker process delivers the mail, both stop cleanly', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as { queue: unknown };
    expect(health.queue).toMatchObject({ status: 'up', backend });

    const admin = await login(base, 'admin@example.org', 'steady-harbor-91');
    const created = await fetch(`${base}/users`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        email: 'dds@example.org',
        name: '督导室',
        role: 'supervisor',
        password: 'supervisor-pass-1',
      }),
    });
    expect(created.status).toBe(201);
    const supervisor = await login(base, 'dds@example.org', 'supervisor-pass-1');
    const form = new FormData();
    form.append('file', new Blob([seedPlan()]), SEED_FILE);
    const imported = await fetch(`${base}/plans/import`, {
      method: 'POST',
      body: form,
      headers: { authorization: supervisor.authorization },
    });
    expect(imported.status).toBe(201);
    const { planId } = (await imported.json()) as { planId: string };

    const json = (method: string, body: unknown) => ({
      method,
      headers: supervisor,
      body: JSON.stringify(body),
    });
    expect(
      (await fetch(`${base}/plans/${planId}/policy`, json('PUT', { offsets: ['-PT3S'] }))).status,
    ).toBe(200);
    const tasks = (await (
      await fetch(`${base}/tasks?planId=${planId}&unit=${encodeURIComponent('语委办')}`, {
        headers: supervisor,
      })
    ).json()) as {
      items: { id: string; item: { number: number }; unit: { id: string } }[];
    };
    const task = tasks.items.find((t) => t.item.number === 35)!;
    expect(
      (await fetch(`${base}/units/${task.unit.id}`, json('PATCH', { email: 'ywb@example.org' })))
        .status,
    ).toBe(200);
    const dueAt = new Date(Date.now() + 6000).toISOString();
    expect((await fetch(`${base}/tasks/${task.id}`, json('PATCH', { dueAt }))).status).toBe(200);

    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toContain('第35项');
    expect(mail.to).toMatchObject({ text: 'ywb@example.org' });
    await waitForOutput(worker, 'reminder delivered');
    expect(api.stdout()).not.toContain('reminder delivered');

    // The worker answers its own health probe, and its metrics count what the ledger shows sent.
    const workerHealth = await fetch(`${workerBase}/health`);
    expect(workerHealth.status).toBe(200);
    expect(await workerHealth.json()).toMatchObject({
      status: 'ok',
      role: 'worker',
      database: { status: 'up' },
      queue: { status: 'up', backend },
    });
    const ledger = (await (
      await fetch(`${base}/notifications/ledger?status=sent&channel=email`, { headers: supervisor })
    ).json()) as { items: { kind: string }[]; total: number };
    expect(ledger.total).toBeGreaterThan(0);
    const samples = parsePrometheus(await (await fetch(`${workerBase}/metrics`)).text());
    const sent = samples.filter(
      (s) =>
        s.name === 'duban_messages_total' &&
        s.labels.outcome === 'sent' &&
        s.labels.channel === 'email',
    );
    expect(sent.every((s) => s.type === 'counter')).toBe(true);
    const byKind = (rows: { kind: string; n: number }[]) =>
      Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.kind, r.n]));
    const ledgerKinds = new Map<string, number>();
    for (const item of ledger.items)
      ledgerKinds.set(item.kind, (ledgerKinds.get(item.kind) ?? 0) + 1);
    expect(byKind(sent.map((s) => ({ kind: s.labels.kind, n: s.value })))).toEqual(
      Object.fromEntries(ledgerKinds),
    );
    const lag = samples.filter((s) => s.name === 'duban_reminder_lag_seconds_count');
    expect(lag.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);

    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  });
});
