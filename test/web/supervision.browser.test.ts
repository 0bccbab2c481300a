import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, type DemoAccount } from '../../src/web/demo.js';
import { eventually } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { launchBrowser, newUser, screenshots, signInAs } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

/**
 * The supervisor's and admin's desks beyond the report cycle: escalation board, nudges and the
 * delivery ledger with retry, users, API tokens, units with their group robots, the working
 * calendar, and everyone's notification preferences. Mail goes to a real SMTP server that first
 * refuses it, so a failed delivery can be retried from the ledger.
 */

let app: ConsoleApp;
let smtp: TestSmtp;
let robot: Server;
let robotUrl: string;
const robotMessages: { path: string; body: unknown }[] = [];
let browser: Browser;
let accounts: Record<DemoAccount['role'], DemoAccount>;
let supervisor: Page;
let admin: Page;
let member: Page;
const dialogs: string[] = [];

interface TaskRow {
  id: string;
  unit: string;
  item_number: number;
}

async function login(role: DemoAccount['role']): Promise<Page> {
  const { page } = await newUser(browser, app.baseUrl);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInAs(page, accounts[role].email, accounts[role].password);
  return page;
}

async function apiLogin(email: string, password: string): Promise<Response> {
  return fetch(`${app.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

let escalatedRed: TaskRow;
let escalatedYellow: TaskRow;

beforeAll(async () => {
  smtp = await startSmtp();
  smtp.setMode('refuse');
  robot = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      robotMessages.push({ path: req.url ?? '', body: JSON.parse(body || 'null') as unknown });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((done) => robot.listen(0, '127.0.0.1', done));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=robot-secret-key-0123456789`;
  // One attempt only: a refused message is at once left for a person to retry.
  app = await startConsoleApp({ SMTP_URL: smtp.url, DELIVERY_MAX_ATTEMPTS: '1' });
  const created = await seedDemo(app.app, app.config, join(process.cwd(), 'seeds'));
  if (!created) throw new Error('demo data not created');
  accounts = Object.fromEntries(created.map((a) => [a.role, a])) as typeof accounts;
  // Three 宣传科 tasks weeks behind their deadline; two of them escalated (red, yellow), one not.
  const rows: TaskRow[] = await app.db.query(
    `SELECT t.id, u.name AS unit, i.number AS item_number
       FROM tasks t JOIN units u ON u.id = t.unit_id JOIN items i ON i.id = t.item_id
      WHERE u.name = '宣传科' ORDER BY i.ordinal LIMIT 3`,
  );
  [escalatedRed, escalatedYellow] = rows;
  await app.db.query(
    `UPDATE tasks SET due_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 20,
            due_at = now() - interval '20 days' WHERE id = ANY($1)`,
    [rows.map((r) => r.id)],
  );
  await app.db.query(
    `UPDATE tasks SET escalation_level = 'red', escalated_at = now() - interval '2 days' WHERE id = $1`,
    [escalatedRed.id],
  );
  await app.db.query(
    `UPDATE tasks SET escalation_level = 'yellow', escalated_at = now() - interval '5 days' WHERE id = $1`,
    [escalatedYellow.id],
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await smtp?.close();
  await new Promise((done) => robot?.close(done));
});

describe('supervisor desk', () => {
  test('the escalation board lists red cards first, with 红牌/黄牌 badges', async () => {
    supervisor = await login('supervisor');
    await supervisor.goto('/desk/escalations');
    const board = supervisor.getByTestId('escalation-board');
    const rows = board.getByTestId('escalated-task');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).getByTestId('escalation-badge').innerText()).resolves.toBe('红牌');
    await expect(rows.nth(0).innerText()).resolves.toContain(`第 ${escalatedRed.item_number} 项`);
    await expect(rows.nth(1).getByTestId('escalation-badge').innerText()).resolves.toBe('黄牌');
    await supervisor.getByText('红牌 1 项、黄牌 1 项', { exact: false }).waitFor();
    await screenshots(supervisor, '21-supervisor-escalations');

    await supervisor.getByText(/^红牌（1）$/).click();
    await expect(rows.count()).resolves.toBe(1);

    // The task list carries the badges too, and filters by them.
    await supervisor.goto('/tasks?all&escalation=yellow');
    const yellow = supervisor.locator('.ant-table-row');
    await yellow.first().getByTestId('escalation-badge').waitFor();
    await expect(yellow.count()).resolves.toBe(1);
    await expect(yellow.first().innerText()).resolves.toContain(
      `第 ${escalatedYellow.item_number} 项`,
    );
  }, 180_000);

  test('a nudge that mail refused shows as failed in the ledger and is sent on retry', async () => {
    // 催办 from the escalation board, on the red card.
    await supervisor.goto('/desk/escalations');
    const red = supervisor.getByTestId('escalated-task').first();
    await expect(red.innerText()).resolves.toContain(`第 ${escalatedRed.item_number} 项`);
    await red.getByRole('button', { name: /催\s*办/ }).click();
    await supervisor.getByLabel('催办留言').fill('请于本周内报送进展。');
    await supervisor.getByRole('button', { name: '发送催办' }).click();
    await supervisor.getByText(/已催办宣传科，通知 \d+ 人/).waitFor();

    // The mail server refuses; with no automatic attempt left the message waits for a person.
    const failed = await eventually(async () => {
      const [r]: { failed: number; waiting: number }[] = await app.db.query(
        `SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE status NOT IN ('failed', 'sent', 'skipped'))::int AS waiting
           FROM notifications WHERE kind = 'nudge' AND channel = 'email'`,
      );
      return r.failed > 0 && r.waiting === 0 ? r.failed : undefined;
    }, 30_000);
    expect(failed).toBeGreaterThan(0);

    await supervisor.goto('/desk/ledger');
    await supervisor.getByLabel('按状态筛选').click();
    await supervisor.locator('.ant-select-item-option', { hasText: '发送失败' }).click();
    await supervisor.getByLabel('按消息类型筛选').click();
    await supervisor.locator('.ant-select-item-option', { hasText: '催办' }).click();
    const ledgerRows = supervisor.getByTestId('ledger-row');
    await ledgerRows.filter({ hasText: '催办' }).first().waitFor();
    await expect(ledgerRows.count()).resolves.toBe(failed);
    const first = ledgerRows.first();
    await first.getByText('已停止重试').waitFor();
    await screenshots(supervisor, '22-supervisor-ledger-failed');

    smtp.setMode('accept');
    await first.getByRole('button', { name: '重新发送' }).click();
    await supervisor.getByText(/已重新排队发送给/).waitFor();
    const received = await smtp.waitFor(1, 20_000);
    expect(received[0].text).toContain('请于本周内报送进展。');

    // Shown as sent once delivered.
    await eventually(async () => {
      const r: { n: number }[] = await app.db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE kind = 'nudge' AND channel = 'email' AND status = 'sent'`,
      );
      return r[0].n > 0 ? r[0].n : undefined;
    }, 20_000);
    await supervisor.reload();
    await supervisor.getByLabel('按状态筛选').click();
    await supervisor.locator('.ant-select-item-option', { hasText: '已发送' }).click();
    await ledgerRows.filter({ hasText: '催办' }).filter({ hasText: '邮件' }).first().waitFor();
    await screenshots(supervisor, '23-supervisor-ledger-sent');
  }, 180_000);
});

describe('escalation rules', () => {
  test('the supervisor sets when a plan’s overdue tasks get yellow and red cards', async () => {
    await supervisor.goto('/desk/policy');
    await supervisor.getByText('默认规则').waitFor();
    await supervisor.getByLabel('黄牌工作日').fill('2');
    await supervisor.getByLabel('红牌工作日').fill('5');
    await supervisor.getByRole('button', { name: '保存升级规则' }).click();
    await supervisor.getByText('升级规则已保存，未办结任务的升级已重排').waitFor();
    await supervisor.getByRole('button', { name: '恢复默认' }).waitFor();
    const [{ ladder }]: { ladder: { yellow: string; red: string } }[] = await app.db.query(
      `SELECT escalation_ladder AS ladder FROM plans`,
    );
    expect(ladder).toMatchObject({ yellow: 'P2D', red: 'P5D' });
  }, 180_000);
});

describe('admin', () => {
  test('creates an account, resets its password and deactivates it', async () => {
    admin = await login('admin');
    await admin.goto('/admin/users');
    await admin.getByRole('button', { name: '新建账号' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('王小明');
    await dialog.getByLabel('登录邮箱').fill('wxm@example.org');
    await dialog.getByLabel('角色').click();
    await admin.locator('.ant-select-item-option', { hasText: '局领导' }).click();
    await dialog.getByLabel('初始密码').fill('Kq8#mZ2!vTw9pL');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await admin.locator('.ant-modal-confirm-title', { hasText: '已创建账号：王小明' }).waitFor();
    await admin.getByRole('button', { name: /知道了|确\s*定|OK/ }).click();
    await admin.getByRole('cell', { name: 'wxm@example.org' }).waitFor();

    await admin.getByRole('button', { name: '修改王小明的角色' }).click();
    const edit = admin.getByRole('dialog', { name: '修改 王小明 的角色' });
    await edit.getByLabel('角色').click();
    await admin.locator('.ant-select-item-option', { hasText: '科室负责人' }).click();
    await edit.getByLabel('所属单位').click();
    await admin.keyboard.type('组织科');
    await admin.locator('.ant-select-item-option', { hasText: '组织科' }).click();
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await admin.getByText('王小明的角色已改为科室负责人').waitFor();
    const [changed]: { role: string; unit: string }[] = await app.db.query(
      `SELECT u.role, n.name AS unit FROM users u JOIN units n ON n.id = u.unit_id WHERE u.email = 'wxm@example.org'`,
    );
    expect(changed).toEqual({ role: 'unit_head', unit: '组织科' });

    await admin.getByRole('button', { name: '重置王小明的密码' }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    const temporary = (await admin.getByTestId('temporary-password').innerText()).trim();
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    await screenshots(admin, '24-admin-password-reset', { fullPage: false });
    await admin.getByRole('button', { name: /知道了|确\s*定|OK/ }).click();
    expect((await apiLogin('wxm@example.org', temporary)).status).toBe(200);
    expect((await apiLogin('wxm@example.org', 'Kq8#mZ2!vTw9pL')).status).toBe(401);

    await admin.getByRole('button', { name: '停用王小明' }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await admin.getByText(/已停用 王小明/).waitFor();
    await admin
      .getByRole('row', { name: /wxm@example\.org/ })
      .getByText('已停用')
      .waitFor();
    const [{ active }]: { active: boolean }[] = await app.db.query(
      `SELECT active FROM users WHERE email = 'wxm@example.org'`,
    );
    expect(active).toBe(false);
    expect((await apiLogin('wxm@example.org', temporary)).ok).toBe(false);
  }, 180_000);

  test('creates a read-write API token with an expiry, uses it, and revokes it', async () => {
    await admin.goto('/admin/tokens');
    await admin.getByLabel('令牌用途').fill('OA 系统对接');
    await admin.getByLabel('读取和修改').check();
    await admin.getByLabel('有效天数').fill('30');
    await admin.getByRole('button', { name: '创建令牌' }).click();
    const token = (await admin.getByTestId('new-token').innerText()).trim();
    expect(token).toMatch(/^dbn_/);
    const row = admin.getByRole('row', { name: /OA 系统对接/ });
    await row.getByText('读取和修改').waitFor();
    await row.getByText('有效').waitFor();
    await screenshots(admin, '25-admin-tokens');
    const me = () =>
      fetch(`${app.baseUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);
    const [{ days }]: { days: number }[] = await app.db.query(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM api_tokens WHERE name = 'OA 系统对接'`,
    );
    expect(days).toBe(30);

    await row.getByRole('button', { name: '吊销OA 系统对接' }).click();
    await admin
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await row.getByText('已吊销').waitFor();
    expect((await me()).status).toBe(401);
  }, 180_000);

  test('units: the head is shown; a group robot is added with its address masked, and tested', async () => {
    await admin.goto('/admin/units');
    const unitRow = admin.getByRole('row', { name: /宣传科/ }).first();
    await unitRow.getByText('宣传科负责人（演示）').waitFor();
    await unitRow.getByRole('button', { name: /展开行|Expand row/ }).click();
    const panel = admin.getByTestId('webhooks-宣传科');
    await panel.getByText('未设置群机器人').waitFor();
    await panel.getByLabel('宣传科的群机器人地址').fill(robotUrl);
    await panel.getByRole('button', { name: '添加群机器人' }).click();
    await admin.getByText('已为宣传科添加企业微信群机器人').waitFor();
    const url = panel.getByTestId('webhook-url');
    await url.waitFor();
    // The key is a secret: only a hint of it is ever shown again.
    expect(await url.innerText()).not.toContain('robot-secret-key-0123456789');
    await expect(admin.getByText('robot-secret-key-0123456789').count()).resolves.toBe(0);
    await panel.getByRole('button', { name: '发送测试' }).click();
    await admin.getByText('测试消息已发送到群里').waitFor();
    expect(robotMessages.at(-1)?.path).toContain('key=robot-secret-key-0123456789');
    expect(JSON.stringify(robotMessages.at(-1)?.body)).toContain('督办系统测试消息');
    await screenshots(admin, '26-admin-units-webhooks');
  }, 180_000);

  test('enters the holiday schedule of a year the calendar does not know', async () => {
    await admin.goto('/admin/calendar');
    await admin.getByLabel('年份').fill('2031');
    await admin.getByLabel('年份').press('Enter');
    await admin
      .getByTestId('calendar-source')
      .getByText(/尚未录入该年的安排/)
      .waitFor();
    await admin.getByRole('button', { name: '添加假期' }).click();
    await admin.getByLabel('假期 1 名称').fill('元旦');
    await admin.getByLabel('假期 1 起').fill('2031-01-01');
    await admin.getByLabel('假期 1 止').fill('2031-01-03');
    await admin.getByRole('button', { name: '添加调休' }).click();
    await admin.getByLabel('调休 1 名称').fill('元旦调休');
    await admin.getByLabel('调休 1 日期').fill('2031-01-04');
    await admin.getByRole('button', { name: '保存 2031 年安排' }).click();
    await admin.getByText('已保存 2031 年的节假日安排').waitFor();
    await admin
      .getByTestId('calendar-source')
      .getByText(/由管理员录入/)
      .waitFor();
    await screenshots(admin, '27-admin-calendar');
    const { token } = JSON.parse(
      await admin.evaluate<string>(`localStorage.getItem('duban.session')`),
    ) as { token: string };
    const view = (await (
      await fetch(`${app.baseUrl}/api/v1/calendar/2031`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { source: string; holidays: { date: string }[]; workdays: { date: string }[] };
    expect(view.source).toBe('admin');
    expect(view.holidays.map((h) => h.date)).toEqual(['2031-01-01', '2031-01-02', '2031-01-03']);
    expect(view.workdays.map((w) => w.date)).toEqual(['2031-01-04']);
    // Read back as one period after a reload.
    await admin.reload();
    await admin.getByLabel('年份').fill('2031');
    await admin.getByLabel('年份').press('Enter');
    await expect(admin.getByLabel('假期 1 止').inputValue()).resolves.toBe('2031-01-03');
  }, 180_000);
});

describe('everyone', () => {
  test('notification preferences: a kind is muted; red cards cannot be', async () => {
    member = await login('unit_member');
    await member.goto('/me/preferences');
    const red = member.getByRole('switch', { name: '红牌督办的邮件' });
    await red.waitFor();
    expect(await red.isDisabled()).toBe(true);
    expect(await red.getAttribute('aria-checked')).toBe('true');
    await member.getByRole('switch', { name: '催办的邮件' }).click();
    await member.getByText('已关闭催办的邮件').waitFor();
    await screenshots(member, '28-member-preferences');
    const [{ n }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM notification_preferences p JOIN users u ON u.id = p.user_id
        WHERE u.email = $1 AND p.kind = 'nudge' AND p.channel = 'email' AND NOT p.enabled`,
      [accounts.unit_member.email],
    );
    expect(n).toBe(1);
  }, 180_000);

  test('a page for another role says why it is refused', async () => {
    await member.goto('/desk/ledger');
    await member.getByText('无权访问').waitFor();
    await member.getByText(/此页面供.*督导室.*使用，您的角色是科室联络员/).waitFor();
  }, 180_000);

  test('no script from user text ever ran', () => {
    expect(dialogs).toEqual([]);
  });
});
