import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import type { Role } from '../auth/permissions.js';
import { businessDateOf, daysInMonth } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/config.js';
import type { ParsedPlan } from '../plan-document/index.js';
import { PlansService } from '../plans/plans.service.js';
import { UsersService } from '../users/users.service.js';

export const DEMO_SEED = 'hongkou-2022-work-plan.txt';
export const DEMO_TITLE_PREFIX = '【演示】';
export const DEMO_UNIT = '宣传科';

/** `npm start -- --demo` or DUBAN_DEMO=1. */
export function demoRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--demo') || env.DUBAN_DEMO === '1' || env.DUBAN_DEMO === 'true';
}

/**
 * The same month and day in `year`: 29 February becomes the 28th in a common year, and a date
 * past the year's last working day becomes that day, so no deadline falls outside the year.
 */
export function moveIntoYear(date: string, year: number, lastWorkday: string): string {
  const [, month, day] = date.split('-').map(Number);
  const d = Math.min(day, daysInMonth(year, month));
  const moved = `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return moved > lastWorkday ? lastWorkday : moved;
}

/** The seed plan as a demonstration of `year`: marked 演示, every stated date moved into the year. */
export function asDemoPlan(parsed: ParsedPlan, year: number, lastWorkday: string): ParsedPlan {
  const move = (d: string) => moveIntoYear(d, year, lastWorkday);
  return {
    ...parsed,
    plan: {
      ...parsed.plan,
      title: `${DEMO_TITLE_PREFIX}${parsed.plan.title ?? '工作要点'}`,
      year,
      issuedOn: parsed.plan.issuedOn ? move(parsed.plan.issuedOn) : null,
    },
    sections: parsed.sections.map((s) => ({
      ...s,
      items: s.items.map((item) => ({
        ...item,
        deadlineHints: item.deadlineHints.map((h) => ({ ...h, date: move(h.date) })),
      })),
    })),
  };
}

export interface DemoAccount {
  role: Role;
  label: string;
  name: string;
  email: string;
  password: string;
  unit: string | null;
}

const ACCOUNTS: readonly Omit<DemoAccount, 'password'>[] = [
  {
    role: 'admin',
    label: '系统管理员',
    name: '演示管理员',
    email: 'admin@duban-demo.local',
    unit: null,
  },
  {
    role: 'leader',
    label: '局领导',
    name: '演示局领导',
    email: 'leader@duban-demo.local',
    unit: null,
  },
  {
    role: 'supervisor',
    label: '督导室',
    name: '演示督导员',
    email: 'supervisor@duban-demo.local',
    unit: null,
  },
  {
    role: 'unit_head',
    label: '科室负责人',
    name: '宣传科负责人（演示）',
    email: 'xck-head@duban-demo.local',
    unit: DEMO_UNIT,
  },
  {
    role: 'unit_member',
    label: '科室联络员',
    name: '宣传科联络员（演示）',
    email: 'xck@duban-demo.local',
    unit: DEMO_UNIT,
  },
];

/** The sign-ins as a table a person can read in a terminal. */
export function accountsTable(accounts: readonly DemoAccount[], url: string): string {
  const rows = [
    ['角色', '姓名', '登录邮箱', '密码'],
    ...accounts.map((a) => [a.label, a.name, a.email, a.password]),
  ];
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, c) => n + (/[^\x20-\x7e]/.test(c) ? 2 : 1), 0);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => width(r[i]))));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join(' | ')} |`;
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  return [
    '',
    `【演示】督办平台演示数据已就绪：${url}`,
    '以下账号的密码只显示这一次：',
    rule,
    line(rows[0]),
    rule,
    ...rows.slice(1).map(line),
    rule,
    '',
  ].join('\n');
}

/**
 * On an empty database, imports the seed plan moved into the current year and marked 演示, and
 * creates one account per role (the unit roles in 宣传科). Returns the accounts, or null when the
 * database already holds plans or accounts: a demo never touches real data.
 */
export async function seedDemo(
  app: INestApplication,
  config: AppConfig,
  seedsDir: string,
): Promise<DemoAccount[] | null> {
  const logger = new Logger('Demo');
  const plansService = app.get(PlansService);
  const users$ = app.get(UsersService);
  const [plans, users] = await Promise.all([plansService.count(), users$.count()]);
  if (plans > 0 || users > 0) {
    logger.warn({
      message: `演示模式只在空数据库上运行：数据库中已有 ${plans} 份工作要点、${users} 个账号，未创建演示数据`,
      plans,
      users,
    });
    return null;
  }
  const year = Number(businessDateOf(app.get(Clock).now(), config.businessTz).slice(0, 4));
  const lastWorkday = app.get(WorkingCalendar).lastWorkdayOfYear(year);
  const parsed = await plansService.parse(DEMO_SEED, await readFile(join(seedsDir, DEMO_SEED)));
  const result = await plansService.importParsed(
    `演示-${DEMO_SEED}`,
    asDemoPlan(parsed, year, lastWorkday),
  );
  const accounts: DemoAccount[] = [];
  for (const account of ACCOUNTS) {
    const password = randomBytes(9).toString('base64url');
    await users$.create(null, {
      email: account.email,
      name: account.name,
      role: account.role,
      unitName: account.unit,
      password,
    });
    accounts.push({ ...account, password });
  }
  logger.log({
    message: `演示数据已创建：${result.message}；${accounts.length} 个演示账号（密码见下表，只显示一次）`,
    planId: result.planId,
    year,
  });
  return accounts;
}
