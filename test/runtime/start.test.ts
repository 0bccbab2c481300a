import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cleanEnv,
  dist,
  freePort,
  login,
  runProcess,
  startProcess,
  waitForHttp,
} from '../support/processes.js';

interface PlanList {
  total: number;
  items: { id: string; title: string }[];
}

describe('npm start on the embedded database', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'duban-start-'));
    const port = await freePort();
    env = cleanEnv({
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      RECONCILE_INTERVAL_SECONDS: '0',
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'steady-harbor-91',
    });
    base = `http://127.0.0.1:${port}/api/v1`;
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the seed plan, logs JSON, and stops cleanly on SIGTERM; data survives a restart', async () => {
    const first = startProcess(dist('src', 'combined.js'), [], env);
    await waitForHttp(`${base}/health`, first);
    const health: unknown = await (await fetch(`${base}/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      queue: { status: 'up', backend: 'postgres' },
    });
    const headers = await login(base, 'admin@example.org', 'steady-harbor-91');
    expect((await fetch(`${base}/plans`)).status).toBe(401);
    const plans = (await (await fetch(`${base}/plans`, { headers })).json()) as PlanList;
    expect(plans.items.map((p: { title: string }) => p.title)).toEqual([
      '虹口区教育局2022年工作要点',
    ]);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    const logLines = first.stdout().trim().split('\n');
    expect(logLines.length).toBeGreaterThan(3);
    for (const line of logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(first.stdout()).toContain('stopped cleanly');

    const second = startProcess(dist('src', 'combined.js'), [], env);
    await waitForHttp(`${base}/health`, second);
    const again = (await (await fetch(`${base}/plans`, { headers })).json()) as PlanList;
    expect(again.total).toBe(1);
    expect(again.items[0].id).toBe(plans.items[0].id);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it('refuses a wrong setting with one line naming the variable', async () => {
    const res = await runProcess(dist('src', 'combined.js'), [], { ...env, PORT: 'abc' });
    expect(res.code).toBe(78);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('配置错误');
    expect(res.stderr).toContain('Invalid configuration');
    const tz = await runProcess(dist('workers', 'main.js'), [], {
      ...env,
      BUSINESS_TZ: 'Mars/Base',
    });
    expect(tz.code).toBe(78);
    expect(tz.stderr).toContain('BUSINESS_TZ');
  });
});
