import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { UsersService } from '../../src/users/users.service.js';
import { launchBrowser, newUser, screenshots, signInAs } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

let app: ConsoleApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startConsoleApp();
  await app.app.get(UsersService).create(null, {
    email: 'dds@example.org',
    name: '督导室',
    role: 'supervisor',
    password: 'correct-horse-battery',
  });
  browser = await launchBrowser();
  page = (await newUser(browser, app.baseUrl)).page;
  await signInAs(page, 'dds@example.org', 'correct-horse-battery');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('plan import in the console', () => {
  test('a file that is not a plan document is refused before upload', async () => {
    await page.goto('/desk/import');
    await page.locator('.ant-upload input[type=file]').setInputFiles({
      name: '通知.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4'),
    });
    await page.getByText('“通知.pdf”不是 .txt 或 .docx 文档').waitFor();
    await screenshots(page, '18-supervisor-import-upload');
  });

  test('the preview lists warnings with their line numbers', async () => {
    await page.locator('.ant-upload input[type=file]').setInputFiles({
      name: '工作要点.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        [
          '关于印发《某区教育局2023年工作要点》的通知',
          '',
          '一、党建引领',
          '1.加强党建工作。（责任科室：组织科）',
          '2.开展调研工作，年内完成。',
          '二、教育教学',
          '3.推进课程改革，6月底前完成方案。（责任科室：中教科、小幼教科）',
        ].join('\n'),
      ),
    });
    const warnings = page.getByTestId('import-warnings');
    const row = warnings.getByRole('row', { name: /第2项未写明责任单位/ });
    await row.waitFor();
    await expect(row.getByRole('cell').first().innerText()).resolves.toBe('5');
    const create = await page.getByTestId('import-would-create').innerText();
    expect(create).toMatch(/板块\s*2 个/);
    expect(create).toMatch(/条目\s*3 项/);
    await page.getByRole('button', { name: '重新选择' }).click();
    await page.getByText('点击或将工作要点文档拖到此处').waitFor();
  });

  test('the seed shows its 7 sections and 36 items', async () => {
    const [{ before }]: { before: number }[] = await app.db.query(
      `SELECT count(*)::int AS before FROM plans`,
    );
    expect(before).toBe(0);
    await page
      .locator('.ant-upload input[type=file]')
      .setInputFiles(join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt'));
    // The preview comes first, and nothing is stored until the import is confirmed.
    const preview = page.getByTestId('import-preview');
    await preview
      .getByTestId('import-preview-message')
      .getByText(/将导入/)
      .waitFor();
    const create = await preview.getByTestId('import-would-create').innerText();
    expect(create).toMatch(/板块\s*7 个/);
    expect(create).toMatch(/条目\s*36 项/);
    // Every section is listed with its items; the first is open with its units and deadlines.
    await expect(preview.locator('.ant-collapse-item').count()).resolves.toBe(7);
    await preview.locator('.ant-collapse-item-active').getByText('（牵头）').first().waitFor();
    // Units the bureau does not know yet are marked as new.
    await preview
      .getByTestId('import-units')
      .getByText(/（新增）/)
      .first()
      .waitFor();
    const [{ plans, units }]: { plans: number; units: number }[] = await app.db.query(
      `SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM units) AS units`,
    );
    expect(plans).toBe(0);
    expect(units).toBe(0);
    await screenshots(page, '19-supervisor-import-preview');
    await page.getByRole('button', { name: '确认导入' }).click();
    const counts = page.getByTestId('import-counts');
    await counts.getByText('7 个').waitFor();
    await counts.getByText('36 项').waitFor();
    await page.locator('.ant-result-title', { hasText: '导入完成' }).waitFor();
    await screenshots(page, '20-supervisor-import-result');
  });

  test('importing the same document again changes nothing and says so', async () => {
    await page.getByRole('button', { name: '继续导入' }).click();
    await page
      .locator('.ant-upload input[type=file]')
      .setInputFiles(join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt'));
    // The preview already says that importing it again changes nothing.
    await page
      .getByTestId('import-preview-message')
      .getByText(/已于 .* 导入过/)
      .waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.locator('.ant-result-title', { hasText: '该文档已导入过' }).waitFor();
    const [{ plans }]: { plans: number }[] = await app.db.query(
      `SELECT count(*)::int AS plans FROM plans`,
    );
    expect(plans).toBe(1);
  });
});
