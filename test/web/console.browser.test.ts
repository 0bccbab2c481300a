import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, type DemoAccount } from '../../src/web/demo.js';
import { eventually } from '../support/seed.js';
import { launchBrowser, newUser, screenshots, settled, signInAs } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface TaskRow {
  id: string;
  due_date: string;
  unit: string;
  item_number: number;
  section_ordinal: number;
}

let app: ConsoleApp;
let browser: Browser;
let accounts: Record<DemoAccount['role'], DemoAccount>;
let member: Page;
let supervisor: Page;
let leader: Page;
let admin: Page;
let ownTask: TaskRow;
let extensionTask: TaskRow;
let otherUnitTask: TaskRow;
const dialogs: string[] = [];

async function login(role: DemoAccount['role']): Promise<Page> {
  const { page } = await newUser(browser, app.baseUrl);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInAs(page, accounts[role].email, accounts[role].password);
  return page;
}

/** Open 宣传科 tasks with their deadline ahead, latest first (so none is overdue). */
async function tasksOf(unit: string, where = ''): Promise<TaskRow[]> {
  return app.db.query(
    `SELECT t.id, to_char(t.due_date, 'YYYY-MM-DD') AS due_date, u.name AS unit, i.number AS item_number, s.ordinal AS section_ordinal
       FROM tasks t JOIN units u ON u.id = t.unit_id JOIN items i ON i.id = t.item_id
       JOIN sections s ON s.id = i.section_id
      WHERE u.name = $1 ${where} ORDER BY t.due_at DESC, i.ordinal`,
    [unit],
  );
}

async function kpi(page: Page, key: string): Promise<string> {
  return (
    await page.getByTestId(`kpi-${key}`).locator('.ant-statistic-content').innerText()
  ).trim();
}

beforeAll(async () => {
  app = await startConsoleApp();
  const created = await seedDemo(app.app, app.config, join(process.cwd(), 'seeds'));
  if (!created) throw new Error('demo data not created');
  accounts = Object.fromEntries(created.map((a) => [a.role, a])) as typeof accounts;
  const own = await tasksOf('宣传科', `AND t.due_at > now() + interval '20 days'`);
  ownTask = own[0];
  extensionTask = own[1];
  otherUnitTask = (await tasksOf('组织科'))[0];
  // The seed states almost no deadlines of its own (all fall at year end); put a few of other
  // units' tasks weeks behind so the overdue board, counts and trend have something to show.
  await app.db.query(
    `UPDATE tasks SET due_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 10 * s.n,
            due_at = now() - make_interval(days => 10 * s.n)
       FROM (SELECT t.id, (row_number() OVER (ORDER BY i.ordinal, u.name))::int AS n
               FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
              WHERE u.name IN ('中教科', '小幼教科', '人事科') LIMIT 6) s
      WHERE tasks.id = s.id`,
  );
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('web console, in a real browser against the real server', () => {
  test('each role lands on its own home page', async () => {
    member = await login('unit_member');
    await member.getByRole('heading', { name: '我的任务' }).waitFor();
    expect(new URL(member.url()).pathname).toBe('/tasks');
    await screenshots(member, '01-member-my-tasks');

    supervisor = await login('supervisor');
    await supervisor.getByRole('heading', { name: /待审核/ }).waitFor();
    expect(new URL(supervisor.url()).pathname).toBe('/desk/approvals');

    leader = await login('leader');
    await leader.getByRole('heading', { name: '总览' }).waitFor();
    expect(new URL(leader.url()).pathname).toBe('/overview');

    admin = await login('admin');
    await admin.getByRole('heading', { name: '用户与角色' }).waitFor();
    expect(new URL(admin.url()).pathname).toBe('/admin/users');
    await admin.getByRole('cell', { name: 'xck@duban-demo.local' }).waitFor();
  }, 180_000);

  test('the leader sees nothing closed yet in the charts', async () => {
    await settled(leader);
    expect(await kpi(leader, 'closed')).toBe('0');
    await expect(
      leader.getByTestId('chart-sections').locator('canvas').count(),
    ).resolves.toBeGreaterThan(0);
  }, 180_000);

  test('a unit member signs for a task and submits a report with an attachment', async () => {
    await member.goto(`/tasks/${ownTask.id}`);
    await member
      .getByRole('heading', { name: new RegExp(`第 ${ownTask.item_number} 项`) })
      .waitFor();
    await member.getByText('条目原文').waitFor();
    await member.getByRole('button', { name: /签\s*收/ }).click();
    await member.locator('.ant-tag', { hasText: '已签收' }).first().waitFor();

    // A file of a type the server refuses is stopped before upload, with the reason.
    const input = member.locator('.ant-upload input[type=file]');
    await input.setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('MZ'),
    });
    await member.getByText(/“setup.exe”的类型不支持/).waitFor();
    await expect(member.locator('.ant-upload-list-item').count()).resolves.toBe(0);

    await member.getByLabel('进展情况').fill('已完成宣传方案初稿，附工作台账。');
    await input.setInputFiles({
      name: '工作台账.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await member.locator('.ant-upload-list-item', { hasText: '工作台账.pdf' }).waitFor();
    await screenshots(member, '02-member-task-report-form');
    await member.getByRole('button', { name: '提交报告' }).click();
    await member.getByText(/第 1 次报送成功/).waitFor();
    const report = member.getByTestId('report').first();
    await report.getByText('已完成宣传方案初稿，附工作台账。').waitFor();
    await report.getByRole('button', { name: /工作台账\.pdf/ }).waitFor();
    await member.locator('.ant-tag', { hasText: '已报送' }).first().waitFor();
  }, 180_000);

  test('the supervisor returns it from the approval queue with a comment', async () => {
    await supervisor.goto('/desk/approvals');
    const card = supervisor.getByTestId('queued-report').filter({ hasText: '已完成宣传方案初稿' });
    await card.waitFor();
    await card.getByText('宣传科').first().waitFor();
    await screenshots(supervisor, '03-supervisor-approval-queue');
    await card.getByRole('button', { name: /退\s*回/ }).click();
    await supervisor.getByLabel('审核意见').fill('请补充经费使用情况和下一步安排。');
    await supervisor
      .getByRole('dialog')
      .getByRole('button', { name: /退\s*回/ })
      .click();
    await supervisor.getByText('已退回，单位将收到审核意见').waitFor();
    await card.waitFor({ state: 'detached' });
  }, 180_000);

  test('the member sees the comment and resubmits; report text is shown as text', async () => {
    await member.reload();
    await member
      .getByTestId('decision-comment')
      .filter({ hasText: '请补充经费使用情况和下一步安排。' })
      .waitFor();
    await member.locator('.ant-tag', { hasText: '已退办' }).first().waitFor();
    await member.getByText('报告已被退回，请按审核意见修改后重新报送').waitFor();
    await screenshots(member, '04-member-task-returned');
    await member.getByLabel('进展情况').fill(`已补充经费使用情况。${HOSTILE}`);
    await member.getByRole('button', { name: '重新报送' }).click();
    await member.getByText(/第 2 次报送成功/).waitFor();
    const body = member.getByTestId('report-body').filter({ hasText: HOSTILE });
    await body.waitFor();
    expect(await body.innerText()).toContain(HOSTILE);
    await expect(body.locator('img').count()).resolves.toBe(0);
    await expect(member.locator('img[src="x"]').count()).resolves.toBe(0);
  }, 180_000);

  test('the inbox shows the return with an unread count', async () => {
    await member.goto('/inbox');
    await member.getByTestId('notification').first().waitFor();
    await expect(
      member
        .getByText(/条未读/)
        .first()
        .innerText(),
    ).resolves.toMatch(/[1-9]\d* 条未读/);
    await screenshots(member, '05-member-inbox');
  }, 180_000);

  test('the supervisor approves; the leader sees the chart change', async () => {
    await supervisor.goto('/desk/approvals');
    const card = supervisor.getByTestId('queued-report').filter({ hasText: '已补充经费使用情况' });
    await card.waitFor();
    // The hostile text is text here too.
    await card.getByText(HOSTILE, { exact: false }).first().waitFor();
    await card.getByRole('button', { name: '审核通过' }).click();
    await supervisor.getByText('已审核通过，任务办结').waitFor();

    await leader.reload();
    await settled(leader);
    expect(await kpi(leader, 'closed')).toBe('1');
    const row = leader
      .locator('tr', { has: leader.getByTestId('section-closed') })
      .nth(ownTask.section_ordinal - 1);
    await expect(row.getByTestId('section-closed').innerText()).resolves.toMatch(/^1\//);
    await screenshots(leader, '06-leader-overview');
    // Drill down from the table beside the chart to the items and tasks of the section.
    await row.click();
    await leader.getByTestId('drill-down').waitFor();
    await leader.getByTestId('drill-down').getByRole('link', { name: '宣传科' }).first().waitFor();
    await screenshots(leader, '07-leader-drill-down', { fullPage: false });
    await leader.keyboard.press('Escape');
  }, 180_000);

  test('a member asks for an extension; the supervisor grants it', async () => {
    await member.goto(`/tasks/${extensionTask.id}`);
    await member.getByRole('button', { name: '申请延期' }).click();
    const dialog = member.getByRole('dialog');
    await dialog.getByLabel('申请延至').fill(addDays(extensionTask.due_date, 15));
    await dialog.getByLabel('申请延至').press('Enter');
    await dialog.getByLabel('延期理由').fill('需等待区财政预算批复。');
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await member.getByText('延期申请已提交，等待督导室审批').waitFor();

    await supervisor.goto('/desk/extensions');
    await supervisor.getByText('需等待区财政预算批复。').waitFor();
    await screenshots(supervisor, '08-supervisor-extensions');
    await supervisor.getByRole('button', { name: /批\s*准/ }).click();
    await supervisor.getByText('已批准延期，截止日期已调整').waitFor();
  }, 180_000);

  test('a unit member cannot open another unit’s task by URL', async () => {
    await member.goto(`/tasks/${otherUnitTask.id}`);
    await member.getByText('无权访问').waitFor();
    await member.getByText('无权执行此操作').waitFor();
    await screenshots(member, '09-member-forbidden');
  }, 180_000);

  test('the supervisor’s other desks: overdue board, policy preview, outbox', async () => {
    await supervisor.goto('/desk/overdue');
    await supervisor.getByRole('heading', { name: '逾期督办' }).waitFor();
    await settled(supervisor);
    await screenshots(supervisor, '10-supervisor-overdue');

    await supervisor.goto('/desk/policy');
    await supervisor.getByTestId('policy-preview').waitFor();
    await expect(
      supervisor.getByTestId('policy-preview').getByText('截止前 7 个工作日').count(),
    ).resolves.toBe(1);
    await screenshots(supervisor, '11-supervisor-policy');

    await supervisor.goto('/tasks?all');
    await supervisor.getByRole('heading', { name: '全部任务' }).waitFor();
    await screenshots(supervisor, '12-supervisor-all-tasks');

    await supervisor.goto(`/tasks/${ownTask.id}`);
    await supervisor.getByText('办理记录').waitFor();
    await supervisor
      .locator('.ant-timeline')
      .getByText(/审核通过/)
      .first()
      .waitFor();
    await screenshots(supervisor, '13-supervisor-task-history');

    // Mail reaches the outbox after the queue delivers it.
    await eventually(
      async () =>
        (await readdir(join(app.dataDir, 'outbox')).catch(() => [])).length > 0 ? true : undefined,
      15_000,
    );
    await supervisor.goto('/outbox');
    await supervisor.locator('.ant-table-row').first().click();
    const frame = supervisor.getByTestId('mail-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await screenshots(supervisor, '14-supervisor-outbox');
  }, 180_000);

  test('admin pages: units, API tokens', async () => {
    await admin.goto('/admin/units');
    await admin.getByLabel('宣传科的联系邮箱').fill('xck@example.org');
    await admin
      .getByRole('row', { name: /宣传科/ })
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await admin.getByText('已保存宣传科的联系邮箱').waitFor();
    await screenshots(admin, '15-admin-units');
    await admin.goto('/admin/tokens');
    await admin.getByPlaceholder('用途，例如：OA 系统对接').fill('OA 系统对接');
    await admin.getByRole('button', { name: '创建令牌' }).click();
    await admin.getByText(/^dbn_/).waitFor();
    await screenshots(admin, '16-admin-tokens');
    await admin.goto('/admin/users');
    await settled(admin);
    await screenshots(admin, '17-admin-users');
  }, 180_000);

  test('a reload keeps the session; a rejected token returns to sign-in; sign-out clears it', async () => {
    await member.goto('/inbox');
    await member.reload();
    await member.getByRole('heading', { name: '通知' }).waitFor();

    // A token the server no longer accepts (revoked, expired, signed with an old secret).
    await member.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('duban.session'));
      localStorage.setItem('duban.session', JSON.stringify({ ...s, token: 'not-a-token' }));
    })()`);
    await member.reload();
    await member.waitForURL(/\/login/);
    await member.getByText('登录已失效，请重新登录').waitFor();

    await signInAs(member, accounts.unit_member.email, accounts.unit_member.password);
    const { token } = JSON.parse(
      await member.evaluate<string>(`localStorage.getItem('duban.session')`),
    ) as { token: string };
    const me = () =>
      fetch(`${app.baseUrl}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);
    await member.getByRole('button', { name: '退出登录' }).click();
    await member.waitForURL(/\/login/);
    await member.getByText('您已退出登录').waitFor();
    expect(await member.evaluate(`localStorage.getItem('duban.session')`)).toBeNull();
    // The server forgot the token too: it no longer opens anything.
    expect((await me()).status).toBe(401);
    await screenshots(member, '00-login');
    await member.goto('/tasks');
    await member.waitForURL(/\/login/);
  }, 180_000);

  test('no script from user text ever ran', () => {
    expect(dialogs).toEqual([]);
  });
});
