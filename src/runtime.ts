import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleLogger, Logger, type INestApplication, type LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AuditService } from './audit/audit.service.js';
import { accessLog } from './metrics/access-log.js';
import { MetricsService } from './metrics/metrics.service.js';
import { ForbiddenError } from './auth/authorizer.service.js';
import { AllExceptionsFilter } from './common/http-exception.filter.js';
import { StorableTextPipe, verifyJsonDepth } from './common/input-guard.js';
import { createValidationPipe } from './common/validation.js';
import { APP_CONFIG, type ProcessRole } from './common/tokens.js';
import { ConfigError, loadConfig, requireJwtSecret, type AppConfig } from './config/config.js';
import {
  ensureLoginRole,
  grantAppRole,
  migrateQueueSchema,
  userOf,
  withCredentials,
} from './database/app-role.js';
import { runMigrations } from './database/data-source.js';
import { startEmbeddedDatabase } from './database/embedded-database.js';
import { PlansService } from './plans/plans.service.js';
import { UsersService } from './users/users.service.js';
import { serveConsole } from './web/console-static.js';

export interface PreparedDatabase {
  /** Where the application connects (its own role where it has one). */
  url: string;
  /** The schema owner's connection (migrations). */
  ownerUrl: string;
  embedded: boolean;
  /** BullMQ's schema was migrated by the owner: the application must not try to. */
  queueSchemaMigrated: boolean;
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

/**
 * Reads the configuration or ends the process with a one-line message naming the variable.
 * A process serving the API (`role` api or all) also needs the token signing secret.
 */
export function loadConfigOrExit(role?: ProcessRole): AppConfig {
  try {
    const config = loadConfig();
    if (role === 'api' || role === 'all') requireJwtSecret(config);
    return config;
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

/**
 * Uses DATABASE_URL, or starts the embedded server under DATA_DIR; then migrates the schema as its
 * owner and, where the application has a role of its own, gives that role exactly its rights.
 *
 * - Embedded: the cluster's superuser owns the schema; the application connects as `duban_app`
 *   (password generated into DATA_DIR), which cannot change the schema or the audit trail.
 * - External with MIGRATION_DATABASE_URL: that role (the owner) migrates; DATABASE_URL's role gets
 *   the application's rights. Without it, DATABASE_URL's role does both (see README).
 */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const logger = new Logger('Database');
  let url = config.databaseUrl;
  let ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl;
  let stop = async (): Promise<void> => undefined;
  let appRole: { name: string; password: string } | null = null;
  if (!url) {
    const embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (m) => logger.debug?.(m),
    });
    url = embedded.url;
    ownerUrl = embedded.url;
    stop = () => embedded.stop();
    appRole = { name: EMBEDDED_APP_ROLE, password: await secretFile(config.dataDir, 'app-role') };
    logger.log({
      message: embedded.shared
        ? 'using the running embedded PostgreSQL'
        : 'embedded PostgreSQL started',
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
    });
  }
  const owner = ownerUrl ?? url;
  const separate =
    appRole !== null || (config.migrationDatabaseUrl !== null && userOf(owner) !== userOf(url));
  try {
    const ran = await runMigrations(owner);
    if (ran.length) logger.log({ message: 'migrations applied', migrations: ran });
    if (separate) {
      if (!config.redisUrl) await migrateQueueSchema(owner);
      if (appRole) {
        await ensureLoginRole(owner, appRole.name, appRole.password);
        url = withCredentials(url, appRole.name, appRole.password);
      }
      await grantAppRole(owner, userOf(url));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    ownerUrl: owner,
    embedded: !config.databaseUrl,
    queueSchemaMigrated: separate,
    stop,
  };
}

/** The application's own role in embedded mode. */
export const EMBEDDED_APP_ROLE = 'duban_app';

/** A random secret kept in DATA_DIR (mode 0600), created on first use. */
export async function secretFile(dataDir: string, name: string): Promise<string> {
  const path = join(dataDir, `${name}.secret`);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(24).toString('base64url');
    try {
      await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process of this installation wrote it first.
      return (await readFile(path, 'utf8')).trim();
    }
  }
}

/** HTTP conventions shared by the API entry points and the tests. */
export function configureHttp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // Which X-Forwarded-For hops to believe (TRUST_PROXY); req.ip — used for sign-in throttling and
  // the audit trail — is the client address under that setting, the socket's address without it.
  express.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  // Nest leaves `verify` out of its option type (it uses it for raw bodies, which are off here).
  express.useBodyParser('json', { limit: '1mb', verify: verifyJsonDepth } as { limit: string });
  applyApiPrefix(express);
  const audit = app.get(AuditService);
  express.use(accessLog(app.get(MetricsService)));
  express.useGlobalFilters(
    new AllExceptionsFilter({
      // A refusal is recorded after the request's transaction (if any) has rolled back.
      beforeRespond: async (exception, req) => {
        if (exception instanceof ForbiddenError && exception.refusal) {
          await audit.record(null, { ...exception.refusal, ip: req.ip ?? null });
        }
      },
    }),
  );
  express.useGlobalPipes(new StorableTextPipe(), createValidationPipe());
  express.disable('x-powered-by');
  express.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // The console's component library and Swagger UI set inline styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Served over plain HTTP in embedded mode; behind TLS a proxy sets HSTS.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  const config = express.get<AppConfig>(APP_CONFIG);
  if (config.apiDocs) {
    SwaggerModule.setup('api/docs', express, openApiDocument(express), {
      jsonDocumentUrl: 'api/docs-json',
    });
  }
  serveConsole(express, projectRoot());
}

/** Every API route is under /api/v1 (the documentation under /api/docs). */
export function applyApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', {
    exclude: ['api/docs', 'api/docs-json', 'metrics', 'ics/units/:file'],
  });
}

/** The OpenAPI document of the HTTP API. */
export function openApiDocument(app: INestApplication) {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('督办 Duban API')
      .setDescription('工作要点导入、任务、提醒、督办')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}

/** On an empty database, imports the plans shipped in seeds/ so a first start has something to show. */
export async function importSeedsIfEmpty(app: INestApplication, config: AppConfig): Promise<void> {
  if (!config.seedOnEmpty) return;
  const plans = app.get(PlansService);
  if ((await plans.count()) > 0) return;
  const dir = join(projectRoot(), 'seeds');
  if (!existsSync(dir)) return;
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
