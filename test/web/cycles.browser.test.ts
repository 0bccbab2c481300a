import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, type DemoAccount } from '../../src/web/demo.js';
import { launchBrowser, newUser, screenshots, signInAs } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

/**
 * 督导 in the console: the supervisor opens an ad hoc review cycle on the demo plan, a unit
 * reports to it, the supervisor rates the report and closes the cycle, and the results show the
 * rating. The admin sets the bureau leader in charge of a unit.
 */

let app: ConsoleApp;
let browser: Browser;
let accounts: Record<DemoAccount['role'], DemoAccount>;
let supervisor: Page;
let member: Page;

async function login(role: DemoAccount['role']): Promise<Page> {
  const { page } = await newUser(browser, app.baseUrl);
  await signInAs(page, accounts[role].email, accounts[role].password);
  return page;
}

beforeAll(async () => {
  app = await startConsoleApp();
  const created = await seedDemo(app.app, app.config, join(process.cwd(), 'seeds'));
  if (!created) throw new Error('demo data not created');
  accounts = Object.fromEntries(created.map((a) => [a.role, a])) as typeof accounts;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('review cycles', () => {
  test('the supervisor creates a cycle on the plan and sees it listed and opened', async () => {
    supervisor = await login('supervisor');
    await supervisor.goto('/desk/cycles');
    await supervisor.getByText('尚无督导周期').waitFor();
    await supervisor.getByRole('button', { name: '新建督导' }).click();
    await supervisor.getByLabel('督导标题').fill('第一季度专项督导');
    await supervisor.getByLabel('报送工作日数').fill('5');
    await supervisor.getByRole('button', { name: /创\s*建/ }).click();
    await supervisor.getByText('已创建督导“第一季度专项督导”').waitFor();

    const rows = supervisor.getByTestId('cycle-row');
    await rows.filter({ hasText: '第一季度专项督导' }).waitFor();
    await expect(rows.count()).resolves.toBe(1);
    // Opening today: the cycle is open at once and asks units to report.
    await expect(rows.first().getByTestId('cycle-status').innerText()).resolves.toBe('进行中');
    const [cycle]: { status: string; title: string }[] = await app.db.query(
      `SELECT status, title FROM review_cycles`,
    );
    expect(cycle).toEqual({ status: 'open', title: '第一季度专项督导' });
    await screenshots(supervisor, '40-supervisor-cycles');

    await rows.first().getByRole('link', { name: '第一季度专项督导' }).click();
    await supervisor.getByText('尚无报告').waitFor();
    await supervisor.getByRole('button', { name: '结束督导' }).waitFor();
  }, 180_000);

  test('a unit member reports to the open cycle', async () => {
    member = await login('unit_member');
    await member.goto('/cycle-reports');
    const card = member.getByTestId('cycle-request');
    await card.filter({ hasText: '第一季度专项督导' }).waitFor();
    await card.getByLabel('报送事项').click();
    await member.locator('.ant-select-item-option').first().click();
    await card.getByLabel('督导报送内容').fill('已完成第一季度宣传计划，<b>简报</b>已印发。');
    await card.getByRole('button', { name: '提交督导报送' }).click();
    await member.getByText('已报送', { exact: true }).waitFor();
    await card.getByTestId('my-cycle-report').filter({ hasText: '待评价' }).waitFor();
    await expect(card.getByTestId('my-cycle-report').innerText()).resolves.toContain('<b>简报</b>');
    await screenshots(member, '41-member-cycle-report');
  }, 120_000);

  test('the supervisor returns the report with a comment and the unit reports again', async () => {
    await supervisor.reload();
    const report = supervisor.getByTestId('cycle-report');
    const first = report.filter({ hasText: '已完成第一季度宣传计划' });
    await first.waitFor();
    await first.getByLabel('评价意见').fill('请补充简报的印发范围。');
    await first.getByRole('button', { name: /退\s*回/ }).click();
    await supervisor.getByText('已退回，等待单位重新报送').waitFor();
    await first.getByText('已退回').waitFor();

    await member.reload();
    const card = member.getByTestId('cycle-request');
    const returned = card.getByTestId('my-cycle-report').filter({ hasText: '已退回，请重新报送' });
    await returned.waitFor();
    await expect(returned.innerText()).resolves.toContain('请补充简报的印发范围。');
    await card.getByLabel('报送事项').click();
    await member.locator('.ant-select-item-option').first().click();
    await card.getByLabel('督导报送内容').fill('已补充：简报印发至全区中小学。');
    await card.getByRole('button', { name: '提交督导报送' }).click();
    await card.getByTestId('my-cycle-report').filter({ hasText: '已补充' }).waitFor();
  }, 120_000);

  test('the supervisor rates the report, closes the cycle and sees the rating in the results', async () => {
    await supervisor.reload();
    const report = supervisor.getByTestId('cycle-report').filter({ hasText: '已补充' });
    await report.waitFor();
    await report.getByLabel('评价', { exact: true }).click();
    await supervisor.locator('.ant-select-item-option', { hasText: /^较好$/ }).click();
    await report.getByLabel('评价意见').fill('进展扎实，请继续推进。');
    await report.getByRole('button', { name: '提交评价' }).click();
    await supervisor.getByText('已评价：较好').waitFor();
    await report.getByTestId('report-rating').filter({ hasText: '较好' }).waitFor();

    await supervisor.getByRole('button', { name: '结束督导' }).click();
    await supervisor.getByRole('button', { name: /确\s*定|OK/ }).click();
    await supervisor.getByText('督导已结束').waitFor();
    await supervisor.getByTestId('cycle-status').filter({ hasText: '已结束' }).waitFor();
    await expect(supervisor.getByRole('button', { name: '结束督导' }).count()).resolves.toBe(0);

    const rated = supervisor.getByTestId('result-row').filter({ hasText: '较好' });
    await rated.waitFor();
    await expect(rated.count()).resolves.toBe(1);
    await expect(rated.innerText()).resolves.toContain('宣传科');
    await expect(rated.innerText()).resolves.toContain('进展扎实，请继续推进。');
    const reports: { cycle: string; status: string; rating: string | null }[] = await app.db.query(
      `SELECT c.status AS cycle, r.status, r.rating
         FROM review_cycles c JOIN review_cycle_reports r ON r.cycle_id = c.id ORDER BY r.number`,
    );
    expect(reports).toEqual([
      { cycle: 'closed', status: 'returned', rating: null },
      { cycle: 'closed', status: 'rated', rating: 'fair' },
    ]);
    await screenshots(supervisor, '42-supervisor-cycle-results');

    // The bulletin downloads with the session's token.
    const [download] = await Promise.all([
      supervisor.waitForEvent('download'),
      supervisor.getByRole('button', { name: '下载通报（Word）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('督导通报-第一季度专项督导.docx');
  }, 180_000);

  test('a leader reads the cycle and its results but cannot rate or close it', async () => {
    const leader = await login('leader');
    await leader.goto('/desk/cycles');
    const link = leader.getByRole('link', { name: '第一季度专项督导' });
    await link.waitFor();
    await expect(leader.getByRole('button', { name: '新建督导' }).count()).resolves.toBe(0);
    await link.click();
    await leader.getByTestId('result-row').filter({ hasText: '较好' }).waitFor();
    await expect(leader.getByRole('button', { name: '结束督导' }).count()).resolves.toBe(0);
    await expect(leader.getByRole('button', { name: '提交评价' }).count()).resolves.toBe(0);
  }, 120_000);
});

describe('units', () => {
  test('the admin sets the bureau leader in charge of a unit', async () => {
    const admin = await login('admin');
    await admin.goto('/admin/units');
    const select = admin.getByLabel('宣传科的分管局领导');
    await select.waitFor();
    await select.click();
    const leaderName = accounts.leader.name;
    await admin.locator('.ant-select-item-option', { hasText: leaderName }).click();
    await admin.getByText(`已设置宣传科的分管局领导：${leaderName}`).waitFor();
    const [unit]: { leader: string | null }[] = await app.db.query(
      `SELECT u.email AS leader FROM units un LEFT JOIN users u ON u.id = un.leader_id WHERE un.name = '宣传科'`,
    );
    expect(unit.leader).toBe(accounts.leader.email);
    // Shown again after a reload.
    await admin.reload();
    await admin
      .locator('.ant-table-row', { hasText: '宣传科' })
      .getByText(leaderName, { exact: true })
      .waitFor();
  }, 120_000);
});
