import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { signIn } from '../support/app.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

let app: ConsoleApp;
let supervisor: string;
let member: string;

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}${path}`, { headers });

beforeAll(async () => {
  app = await startConsoleApp();
  await app.app.get(PlansService).importDocument(SEED_FILE, seedPlan());
  supervisor = (await signIn(app, 'supervisor')).authorization;
  member = (await signIn(app, 'unit_member', '宣传科')).authorization;
  const outbox = join(app.dataDir, 'outbox');
  await mkdir(outbox, { recursive: true });
  await writeFile(
    join(outbox, '2026-05-06T01-30-00-000Z-abcd1234.eml'),
    [
      'From: 督办系统 <duban@localhost>',
      'To: xck@example.org',
      'Subject: =?UTF-8?B?' + Buffer.from('【催办】请报送进展').toString('base64') + '?=',
      'Date: Wed, 06 May 2026 01:30:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>宣传科：</p><script>alert(1)</script><img src="https://tracker.example/x.png">',
    ].join('\r\n'),
  );
});

afterAll(async () => {
  await app?.close();
});

describe('the console is served by the API process', () => {
  test('/ and client-side routes answer with the console page, its policy and time zone', async () => {
    for (const path of ['/', '/tasks/0b7f0d3c-1111-4222-8333-444455556666', '/desk/approvals']) {
      const res = await get(path, { accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain('<title>督办平台</title>');
      expect(html).toContain('<meta name="duban-tz" content="Asia/Shanghai"');
    }
  });

  test('the API keeps its own answers: JSON 404s, docs, health', async () => {
    const missing = await get('/api/v1/no-such-thing', { accept: 'text/html' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { statusCode: number }).statusCode).toBe(404);
    expect((await get('/api/docs-json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/api/v1/health')).status).toBe(200);
    expect((await get('/api/v1/tasks', { accept: 'text/html' })).status).toBe(401);
  });

  test('a missing asset is a 404, not the console page', async () => {
    expect((await get('/assets/no-such-file.js')).status).toBe(404);
  });
});

describe('outbox viewer', () => {
  test('supervisors list and read the mail the installation wrote, HTML untouched for the sandbox', async () => {
    const list = await get('/api/v1/outbox', { authorization: supervisor });
    expect(list.status).toBe(200);
    const page = (await list.json()) as { items: { name: string; subject: string; to: string }[] };
    const entry = page.items.find((m) => m.subject === '【催办】请报送进展');
    expect(entry?.to).toBe('xck@example.org');
    const one = await get(`/api/v1/outbox/${entry!.name}`, { authorization: supervisor });
    const message = (await one.json()) as { html: string; subject: string };
    expect(message.subject).toBe('【催办】请报送进展');
    expect(message.html).toContain('<p>宣传科：</p>');
  });

  test('unit staff are refused, with the reason', async () => {
    const res = await get('/api/v1/outbox', { authorization: member });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(
      '只有系统管理员和督导室可以查看发件箱',
    );
  });

  test('nothing outside the outbox can be named', async () => {
    for (const name of ['..%2F..%2Fpackage.json', '.env', 'nope.eml']) {
      expect((await get(`/api/v1/outbox/${name}`, { authorization: supervisor })).status).toBe(404);
    }
    // A NUL byte is refused as input before any file name is formed.
    expect((await get('/api/v1/outbox/x.eml%00', { authorization: supervisor })).status).toBe(400);
  });

  test('with a mail server configured there is no outbox to show', async () => {
    const smtp = await startConsoleApp({ SMTP_URL: 'smtp://127.0.0.1:1' });
    try {
      const auth = (await signIn(smtp, 'supervisor')).authorization;
      const res = await fetch(`${smtp.baseUrl}/api/v1/outbox`, {
        headers: { authorization: auth },
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/SMTP_URL/);
    } finally {
      await smtp.close();
    }
  });
});

describe('reminder policy preview', () => {
  const preview = (body: object) =>
    fetch(`${app.baseUrl}/api/v1/reminder-policy/preview`, {
      method: 'POST',
      headers: { authorization: supervisor, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('lists the sending times on working days, in business time', async () => {
    // 1–7 October 2026 is the National Day holiday; Saturday 10 October is a make-up working day.
    const res = await preview({ offsets: ['-P1D', 'P0D'], sendAt: '09:00', dueDate: '2026-10-08' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      reminders: { offset: string; date: string; fireAt: string }[];
    };
    expect(body.reminders.map((r) => [r.offset, r.date])).toEqual([
      ['-P1D', '2026-09-30'],
      ['P0D', '2026-10-08'],
    ]);
    expect(body.reminders[1].fireAt).toBe('2026-10-08T01:00:00.000Z');
    const makeUp = (await (await preview({ offsets: ['-P1D'], dueDate: '2026-10-12' })).json()) as {
      reminders: { date: string }[];
    };
    expect(makeUp.reminders[0].date).toBe('2026-10-10');
  });

  test('says what is wrong with a bad policy', async () => {
    const res = await preview({ offsets: ['-P1M'], dueDate: '2026-06-30' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/offsets\[0\]/);
  });
});
