import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleLogger, Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AllExceptionsFilter } from './common/http-exception.filter.js';
import { createValidationPipe } from './common/validation.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { runMigrations } from './database/data-source.js';
import { startEmbeddedDatabase } from './database/embedded-database.js';
import { PlansService } from './plans/plans.service.js';
import { UsersService } from './users/users.service.js';
import { Plan } from './plans/plan.entity.js';
import { serveConsole } from './web/console-static.js';
import { DataSource } from 'typeorm';

export interface PreparedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** The directory holding package.json, from src/ or from the compiled dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found');
    dir = parent;
  }
  return dir;
}

/** Reads the configuration or ends the process with a one-line message naming the variable. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

export function createLogger(config: AppConfig, context = 'Duban'): LoggerService {
  const levels = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return new ConsoleLogger(context, {
    json: config.logFormat === 'json',
    logLevels: levels.slice(0, levels.indexOf(config.logLevel) + 1),
  });
}

/** Uses DATABASE_URL, or starts the embedded server under DATA_DIR; then migrates the schema. */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const logger = new Logger('Database');
  let url = config.databaseUrl;
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (m) => logger.debug?.(m),
    });
    url = embedded.url;
    stop = () => embedded.stop();
    logger.log({
      message: embedded.shared
        ? 'using the running embedded PostgreSQL'
        : 'embedded PostgreSQL started',
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
    });
  }
  try {
    const ran = await runMigrations(url);
    if (ran.length) logger.log({ message: 'migrations applied', migrations: ran });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, embedded: !config.databaseUrl, stop };
}

/** HTTP conventions shared by the API entry points and the tests. */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: '1mb' });
  express.setGlobalPrefix('api/v1', { exclude: ['api/docs', 'api/docs-json'] });
  express.useGlobalFilters(new AllExceptionsFilter());
  express.useGlobalPipes(createValidationPipe());
  express.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    express,
    new DocumentBuilder()
      .setTitle('督办 Duban API')
      .setDescription('工作要点导入、任务、提醒')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', express, document, { jsonDocumentUrl: 'api/docs-json' });
  serveConsole(express, projectRoot());
}

/** On an empty database, imports the plans shipped in seeds/ so a first start has something to show. */
export async function importSeedsIfEmpty(app: INestApplication, config: AppConfig): Promise<void> {
  if (!config.seedOnEmpty) return;
  const db = app.get(DataSource);
  if ((await db.getRepository(Plan).count()) > 0) return;
  const dir = join(projectRoot(), 'seeds');
  if (!existsSync(dir)) return;
  const plans = app.get(PlansService);
  for (const name of (await readdir(dir)).filter((f) => /\.(txt|docx)$/i.test(f)).sort()) {
    const result = await plans.importDocument(name, await readFile(join(dir, name)));
    new Logger('Seed').log({ message: result.message, planId: result.planId });
  }
}

/**
 * On an empty database, creates the first admin (ADMIN_EMAIL/ADMIN_PASSWORD, or a random password
 * printed once).
 */
export async function ensureFirstAdmin(app: INestApplication, config: AppConfig): Promise<void> {
  const created = await app
    .get(UsersService)
    .ensureFirstAdmin(config.adminEmail, config.adminPassword);
  if (!created) return;
  const logger = new Logger('Setup');
  if (created.password) {
    logger.warn({
      message: '已创建首个管理员账号（密码只显示这一次，请登录后妥善保管）',
      email: created.email,
      password: created.password,
    });
  } else {
    logger.log({
      message: '已按 ADMIN_EMAIL / ADMIN_PASSWORD 创建首个管理员账号',
      email: created.email,
    });
  }
}

/** Closes the application, then the embedded database, once, on SIGINT/SIGTERM. */
export function stopOnSignals(app: INestApplication, database: PreparedDatabase): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const logger = new Logger('Shutdown');
    logger.log({ message: 'stopping', signal });
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await app.close();
      await database.stop();
      logger.log({ message: 'stopped cleanly' });
      process.exit(0);
    } catch (error) {
      logger.error({ message: 'shutdown failed', error: String(error) });
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
