import 'reflect-metadata';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { generatePassword, passwordProblem } from '../auth/password-policy.js';
import { ROLE_LABELS, ROLES, type Role } from '../auth/permissions.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/config.js';
import {
  checkFileSize,
  parsePlanDocument,
  PlanDocumentRefusal,
  type ParsedPlan,
} from '../plan-document/index.js';

// Commands that touch the database load the application (Nest, TypeORM, BullMQ) only when run:
// `plan:parse` needs none of it and starts in a fraction of the time.
const loadApp = () =>
  Promise.all([
    import('@nestjs/common'),
    import('@nestjs/core'),
    import('../app.module.js'),
    import('../runtime.js'),
    import('./stderr-logger.js'),
  ]).then(([common, core, module, runtime, logger]) => ({
    HttpException: common.HttpException,
    Logger: common.Logger,
    NestFactory: core.NestFactory,
    AppModule: module.AppModule,
    prepareDatabase: runtime.prepareDatabase,
    StderrLogger: logger.StderrLogger,
  }));

/** Bad input (unreadable file, not a plan, invalid option): exit code 2 with a one-line reason. */
class UsageError extends Error {}

const HELP = `用法：duban <命令> [参数]

命令：
  plan:parse <文件> [--json]   解析工作要点文档（.txt / .docx），不写数据库；--json 输出 JSON
  plan:import <文件> [--dry-run] [--revise] [--plan <id>] [--confirm-removal]
                               解析并导入（同一文档重复导入不做任何更改）；
                               --dry-run 只输出将导入的内容（JSON，与接口 dryRun=true 相同），不做任何更改；
                               --revise 文号已存在而内容不同时作为该计划的修订稿导入；
                               --plan <id> 作为指定工作要点的修订稿导入；
                               --confirm-removal 确认删除超过一半（或全部）要点的修订
  user:create --email <邮箱> --name <姓名> --role <角色> [--unit <责任单位>] [--password <密码>]
                               创建用户；角色为 ${ROLES.join('、')}；
                               科室负责人、联络员须给出 --unit；不给 --password 时生成随机密码并只显示一次；
                               密码至少 10 位，不能是常见密码、重复或顺序字符，不能包含邮箱名或姓名
  migration:run                执行数据库迁移
  audit:verify                 校验审计记录的哈希链是否完整（被改动、删除或插入的记录会被指出）
  calendar:show <年份>          显示某年的法定节假日与调休安排（内置、管理员录入或未录入）
  calendar:set <年份> <文件.json>
                               录入某年的安排（国务院办公厅通知），立即用于提醒与升级的排期；文件格式：
                               {"holidays": [{"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}],
                                "workdays": [{"name": "春节调休", "date": "2027-02-14"}]}
  help                         显示本帮助

环境变量见 README（DATABASE_URL、REDIS_URL、SMTP_URL …）；未设置 DATABASE_URL 时使用内置数据库。`;

async function readInput(file: string | undefined): Promise<Buffer> {
  if (!file) throw new UsageError('缺少文件参数，例如：duban plan:parse 工作要点.docx');
  try {
    const info = await stat(file);
    // A file over the size limit is refused before it is read into memory.
    if (info.isFile()) checkFileSize(info.size);
    return await readFile(file);
  } catch (error) {
    if (error instanceof PlanDocumentRefusal) throw new UsageError(error.message);
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new UsageError(`找不到文件：${file}`);
    if (code === 'EISDIR') throw new UsageError(`${file} 是目录，不是文件`);
    throw new UsageError(`无法读取文件 ${file}：${(error as Error).message}`);
  }
}

async function parseCommand(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
  if (unknown.length) throw new UsageError(`未知选项：${unknown.join(' ')}`);
  const file = args.find((a) => !a.startsWith('--'));
  let parsed: ParsedPlan;
  try {
    parsed = await parsePlanDocument(basename(file ?? ''), await readInput(file));
  } catch (error) {
    if (error instanceof PlanDocumentRefusal) throw new UsageError(error.message);
    throw error;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
    return;
  }
  const items = parsed.sections.flatMap((s) => s.items);
  const lines = [
    `标题：${parsed.plan.title ?? '（未识别）'}`,
    `文号：${parsed.plan.docNumber ?? '（未识别）'}    发文单位：${parsed.plan.issuer ?? '（未识别）'}    日期：${parsed.plan.issuedOn ?? '（未识别）'}`,
    `${parsed.sections.length} 个板块，${items.length} 项要点，${parsed.units.length} 个责任单位`,
    ...parsed.sections.flatMap((s) => [
      `${s.ordinal}. ${s.title ?? '（无标题）'}`,
      ...s.items.map(
        (i) =>
          `   ${i.number}. ${i.title} —— ${[...i.units, ...(i.allUnits ? ['各单位'] : [])].join('、') || '（未写明责任单位）'}${i.deadlineHints.length ? `（${i.deadlineHints.map((h) => `${h.text}→${h.date}`).join('，')}）` : ''}`,
      ),
    ]),
    ...parsed.warnings.map((w) => `警告 第${w.line}行：${w.message}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ImportOptions {
  file: string | undefined;
  dryRun: boolean;
  revise: boolean;
  planId: string | null;
  confirmRemoval: boolean;
}

/** `plan:import <file> [--dry-run] [--revise] [--plan <id>] [--confirm-removal]`. */
function parseImportOptions(args: string[]): ImportOptions {
  const options: ImportOptions = {
    file: undefined,
    dryRun: false,
    revise: false,
    planId: null,
    confirmRemoval: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      if (options.file !== undefined) throw new UsageError(`多余的参数：${arg}`);
      options.file = arg;
      continue;
    }
    const [, name, inline] = match;
    const flag = (set: () => void) => {
      if (inline !== undefined) throw new UsageError(`选项 --${name} 不带取值`);
      set();
    };
    switch (name) {
      case 'dry-run':
        flag(() => (options.dryRun = true));
        break;
      case 'revise':
        flag(() => (options.revise = true));
        break;
      case 'confirm-removal':
        flag(() => (options.confirmRemoval = true));
        break;
      case 'plan': {
        const value = inline ?? args[++i];
        if (value === undefined || (inline === undefined && value.startsWith('--'))) {
          throw new UsageError('选项 --plan 缺少取值（要修订的工作要点 id）');
        }
        if (!UUID.test(value)) throw new UsageError(`--plan“${value}”不是有效的工作要点 id`);
        options.planId = value;
        break;
      }
      default:
        throw new UsageError(`未知选项：--${name}`);
    }
  }
  return options;
}

async function importCommand(config: AppConfig, args: string[]): Promise<void> {
  const options = parseImportOptions(args);
  const file = options.file;
  const content = await readInput(file);
  const { HttpException, Logger, NestFactory, AppModule, prepareDatabase, StderrLogger } =
    await loadApp();
  const { PlansService } = await import('../plans/plans.service.js');
  const { PlanRevisionsService } = await import('../plans/plan-revisions.service.js');
  const logger = new StderrLogger('Duban', { logLevels: ['error', 'warn'] });
  Logger.overrideLogger(logger);
  const database = await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.register({
      config,
      databaseUrl: database.url,
      role: 'cli',
      queueSchemaMigrated: database.queueSchemaMigrated,
    }),
    { logger },
  );
  try {
    const name = basename(file!);
    const revisions = app.get(PlanRevisionsService);
    if (options.dryRun) {
      // The same JSON as the HTTP dry run; nothing is written.
      const preview = options.planId
        ? await revisions.preview(options.planId, name, content)
        : await revisions.previewImport(name, content);
      process.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
      return;
    }
    const revisionOptions = { confirmRemoval: options.confirmRemoval };
    const result = options.planId
      ? await revisions.revise(options.planId, name, content, null, revisionOptions)
      : options.revise
        ? await revisions.importOrRevise(name, content, null, revisionOptions)
        : await app.get(PlansService).importDocument(name, content);
    process.stdout.write(`${result.message}\n`);
    for (const w of result.warnings) process.stdout.write(`警告 第${w.line}行：${w.message}\n`);
  } catch (error) {
    if (error instanceof HttpException && error.getStatus() < 500) {
      const body = error.getResponse() as { message?: string };
      throw new UsageError(body.message ?? error.message);
    }
    throw error;
  } finally {
    await app.close();
    await database.stop();
  }
}

const USER_OPTIONS = ['email', 'name', 'role', 'unit', 'password'] as const;
type UserOption = (typeof USER_OPTIONS)[number];

/** `--name value` or `--name=value`, each option once. */
function parseOptions(args: string[]): Partial<Record<UserOption, string>> {
  const options: Partial<Record<UserOption, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(args[i]);
    if (!match) throw new UsageError(`多余的参数：${args[i]}`);
    const name = match[1] as UserOption;
    if (!USER_OPTIONS.includes(name)) throw new UsageError(`未知选项：--${match[1]}`);
    if (options[name] !== undefined) throw new UsageError(`选项 --${name} 只能给一次`);
    const value = match[2] ?? args[++i];
    if (value === undefined || (match[2] === undefined && value.startsWith('--'))) {
      throw new UsageError(`选项 --${name} 缺少取值`);
    }
    options[name] = value;
  }
  return options;
}

async function userCreateCommand(config: AppConfig, args: string[]): Promise<void> {
  const options = parseOptions(args);
  for (const name of ['email', 'name', 'role'] as const) {
    if (!options[name]?.trim()) {
      throw new UsageError(
        `缺少 --${name}，例如：duban user:create --email a@example.org --name 张三 --role unit_member --unit 宣传科`,
      );
    }
  }
  const role = options.role!.trim();
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`角色“${role}”无效，须为 ${ROLES.join('、')} 之一`);
  }
  if (options.password !== undefined) {
    const problem = passwordProblem(options.password, {
      email: options.email,
      name: options.name,
    });
    if (problem) throw new UsageError(problem);
  }
  const password = options.password ?? generatePassword();
  const { UsersService } = await import('../users/users.service.js');
  const user = await withApp(config, (get) =>
    get(UsersService).create(null, {
      email: options.email!,
      name: options.name!,
      role: role as Role,
      unitName: options.unit?.trim() || null,
      password,
    }),
  );
  const unit = options.unit?.trim() ? `，${options.unit.trim()}` : '';
  process.stdout.write(
    `已创建用户 ${user.name} <${user.email}>（${ROLE_LABELS[user.role]}${unit}）\n`,
  );
  if (options.password === undefined) {
    process.stdout.write(`初始密码（只显示这一次，请妥善转交）：${password}\n`);
  }
}

async function withApp<T>(
  config: AppConfig,
  work: (get: <S>(type: new (...args: never[]) => S) => S) => Promise<T>,
): Promise<T> {
  const { HttpException, Logger, NestFactory, AppModule, prepareDatabase, StderrLogger } =
    await loadApp();
  const logger = new StderrLogger('Duban', { logLevels: ['error', 'warn'] });
  Logger.overrideLogger(logger);
  const database = await prepareDatabase(config);
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.register({
        config,
        databaseUrl: database.url,
        role: 'cli',
        queueSchemaMigrated: database.queueSchemaMigrated,
      }),
      { logger },
    );
    try {
      return await work((type) => app.get(type));
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) {
        const body = error.getResponse() as { message?: string };
        throw new UsageError(body.message ?? error.message);
      }
      throw error;
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

function yearArgument(raw: string | undefined): number {
  const year = Number(raw);
  if (!raw || !/^\d{4}$/.test(raw) || year < 2000 || year > 2100) {
    throw new UsageError(`年份“${raw ?? ''}”无效，须为 2000–2100，例如：duban calendar:show 2027`);
  }
  return year;
}

async function calendarShowCommand(config: AppConfig, args: string[]): Promise<void> {
  const year = yearArgument(args[0]);
  const { CalendarAdminService } = await import('../calendar/calendar-admin.service.js');
  const view = await withApp(config, (get) => get(CalendarAdminService).year(year));
  const source = { 'built-in': '内置数据', admin: '管理员录入', none: '未录入' }[view.source];
  const lines = [`${year} 年法定节假日安排（${source}）`];
  if (view.source === 'none') {
    lines.push('尚未录入：工作日暂按周一至周五计算。用 duban calendar:set 录入。');
  }
  for (const h of view.holidays) lines.push(`  放假 ${h.date} ${h.name}`);
  for (const w of view.workdays) lines.push(`  调休上班 ${w.date} ${w.name}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function calendarSetCommand(config: AppConfig, args: string[]): Promise<void> {
  const year = yearArgument(args[0]);
  const file = args[1];
  if (!file) throw new UsageError('缺少安排文件，例如：duban calendar:set 2027 2027.json');
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new UsageError(`找不到文件：${file}`);
    throw new UsageError(`${file} 不是有效的 JSON：${(error as Error).message}`);
  }
  const { CalendarAdminService } = await import('../calendar/calendar-admin.service.js');
  const view = await withApp(config, (get) => get(CalendarAdminService).setYear(null, year, input));
  process.stdout.write(
    `已录入 ${year} 年安排：放假 ${view.holidays.length} 天，调休上班 ${view.workdays.length} 天；提醒与升级已按新安排重新排期。\n`,
  );
}

async function auditVerifyCommand(config: AppConfig): Promise<number> {
  const { AuditService } = await import('../audit/audit.service.js');
  const result = await withApp(config, (get) => get(AuditService).verifyChain());
  if (result.ok) {
    process.stdout.write(
      `审计记录完整：共 ${result.checked} 条，哈希链无断裂。\n链头：第 ${result.headSeq} 条 ${result.headHash}\n（请另行保存链头，以便发现整条链被重写）\n`,
    );
    return 0;
  }
  const b = result.broken!;
  process.stderr.write(
    `审计记录被改动：第 ${b.seq} 条${b.id ? `（id ${b.id}）` : ''}${b.problem}；此前 ${result.checked} 条完整\n`,
  );
  return 1;
}

async function migrateCommand(config: AppConfig): Promise<void> {
  const { prepareDatabase } = await loadApp();
  const { runMigrations } = await import('../database/data-source.js');
  const database = await prepareDatabase({ ...config });
  try {
    const ran = await runMigrations(database.ownerUrl);
    process.stdout.write(ran.length ? `已执行迁移：${ran.join(', ')}\n` : '数据库结构已是最新\n');
  } finally {
    await database.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'plan:parse':
        await parseCommand(args);
        return 0;
      case 'plan:import':
        await importCommand(loadConfig(), args);
        return 0;
      case 'user:create':
        await userCreateCommand(loadConfig(), args);
        return 0;
      case 'audit:verify':
        return await auditVerifyCommand(loadConfig());
      case 'migration:run':
        await migrateCommand(loadConfig());
        return 0;
      case 'calendar:show':
        await calendarShowCommand(loadConfig(), args);
        return 0;
      case 'calendar:set':
        await calendarSetCommand(loadConfig(), args);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`);
        return 0;
      default:
        throw new UsageError(`未知命令：${command}（duban help 查看用法）`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`失败：${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
