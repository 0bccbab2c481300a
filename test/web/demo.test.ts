import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { UsersService } from '../../src/users/users.service.js';
import {
  accountsTable,
  demoRequested,
  moveIntoYear,
  seedDemo,
  type DemoAccount,
} from '../../src/web/demo.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

const seeds = join(process.cwd(), 'seeds');

describe('moving the seed into the current year', () => {
  test('keeps month and day', () => {
    expect(moveIntoYear('2022-06-30', 2026, '2026-12-31')).toBe('2026-06-30');
  });
  test('29 February becomes the 28th in a common year', () => {
    expect(moveIntoYear('2024-02-29', 2026, '2026-12-31')).toBe('2026-02-28');
  });
  test('a date after the last working day of the year becomes that day', () => {
    expect(moveIntoYear('2022-12-31', 2028, '2028-12-29')).toBe('2028-12-29');
  });
  test('is asked for by --demo or DUBAN_DEMO=1', () => {
    expect(demoRequested(['--demo'], {})).toBe(true);
    expect(demoRequested([], { DUBAN_DEMO: '1' })).toBe(true);
    expect(demoRequested([], {})).toBe(false);
  });
});

describe('demo start on a database', () => {
  let app: ConsoleApp;
  let accounts: DemoAccount[] | null;

  beforeAll(async () => {
    app = await startConsoleApp();
    accounts = await seedDemo(app.app, app.config, seeds);
  });
  afterAll(async () => {
    await app?.close();
  });

  test('imports the seed plan marked 演示 with every deadline in the current year', async () => {
    const year = new Date().getFullYear();
    const [plan]: { title: string; year: number }[] = await app.db.query(
      `SELECT title, year FROM plans`,
    );
    expect(plan.title.startsWith('【演示】')).toBe(true);
    expect(plan.year).toBe(year);
    const [{ outside, tasks }]: { outside: number; tasks: number }[] = await app.db.query(
      `SELECT count(*) FILTER (WHERE extract(year FROM due_date) <> $1)::int AS outside, count(*)::int AS tasks FROM tasks`,
      [year],
    );
    expect(tasks).toBeGreaterThan(36);
    expect(outside).toBe(0);
  });

  test('creates one account per role, unit roles in 宣传科, each able to sign in', async () => {
    expect(accounts?.map((a) => a.role)).toEqual([
      'admin',
      'leader',
      'supervisor',
      'unit_head',
      'unit_member',
    ]);
    for (const account of accounts!) {
      const res = await fetch(`${app.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: account.password }),
      });
      expect(res.status).toBe(200);
    }
    const head = (await app.app.get(UsersService).list(1, 100)).items.find(
      (u) => u.role === 'unit_head',
    );
    const [unit]: { name: string }[] = await app.db.query(`SELECT name FROM units WHERE id = $1`, [
      head!.unitId,
    ]);
    expect(unit.name).toBe('宣传科');
  });

  test('prints the sign-ins as a table', () => {
    const table = accountsTable(accounts!, 'http://localhost:3000/');
    for (const a of accounts!) {
      expect(table).toContain(a.email);
      expect(table).toContain(a.password);
    }
    expect(table).toContain('【演示】');
  });

  test('never runs on a database that holds data, and says so', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      expect(await seedDemo(app.app, app.config, seeds)).toBeNull();
      expect(JSON.stringify(warn.mock.calls)).toContain('演示模式只在空数据库上运行');
    } finally {
      warn.mockRestore();
    }
    const [{ plans }]: { plans: number }[] = await app.db.query(
      `SELECT count(*)::int AS plans FROM plans`,
    );
    expect(plans).toBe(1);
  });
});
