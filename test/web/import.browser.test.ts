import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { UsersService } from '../../src/users/users.service.js';
import { featuresOf } from '../../web/src/api/feature-detect.js';
import { launchBrowser, newUser, screenshots, signInAs } from './support/browser.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

let app: ConsoleApp;
let browser: Browser;
let page: Page;
let dryRun: boolean;

beforeAll(async () => {
  app = await startConsoleApp();
  await app.app.get(UsersService).create(null, {
    email: 'dds@example.org',
    name: '督导室',
    role: 'supervisor',
    password: 'correct-horse-battery',
  });
  const doc = (await (await fetch(`${app.baseUrl}/api/docs-json`)).json()) as Parameters<
    typeof featuresOf
  >[0];
  dryRun = featuresOf(doc).importDryRun;
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

  test('the seed shows its 7 sections and 36 items', async () => {
    const [{ before }]: { before: number }[] = await app.db.query(
      `SELECT count(*)::int AS before FROM plans`,
    );
    expect(before).toBe(0);
    await page
      .locator('.ant-upload input[type=file]')
      .setInputFiles(join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt'));
    if (dryRun) {
      // The preview comes first, and nothing is stored until the import is confirmed.
      const preview = page.getByTestId('import-preview');
      await preview.getByText('7 个').waitFor();
      await preview.getByText('36 项').waitFor();
      const [{ plans }]: { plans: number }[] = await app.db.query(
        `SELECT count(*)::int AS plans FROM plans`,
      );
      expect(plans).toBe(0);
      await screenshots(page, '19-supervisor-import-preview');
      await page.getByRole('button', { name: '确认导入' }).click();
    } else {
      // Until the server offers a dry run, the page says so and imports on request.
      await page.getByText('导入前预览尚未启用').waitFor();
      await page.getByRole('button', { name: /导\s*入/ }).click();
    }
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
    if (dryRun) await page.getByRole('button', { name: '确认导入' }).click();
    else await page.getByRole('button', { name: /导\s*入/ }).click();
    await page.locator('.ant-result-title', { hasText: '该文档已导入过' }).waitFor();
    const [{ plans }]: { plans: number }[] = await app.db.query(
      `SELECT count(*)::int AS plans FROM plans`,
    );
    expect(plans).toBe(1);
  });
});
