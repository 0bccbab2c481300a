import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { Clock } from '../../src/common/clock.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { configureHttp } from '../../src/runtime.js';
import { WorkerModule } from '../../workers/worker.module.js';
import type { Role } from '../../src/auth/permissions.js';
import { UsersService } from '../../src/users/users.service.js';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  db: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  databaseUrl: string;
  redisUrl?: string | null;
  smtpUrl?: string | null;
  /** Redis key prefix; give the same one to a restarted app to find its queue again. */
  queuePrefix?: string;
  dataDir?: string;
  workers?: boolean;
  clock?: Clock;
  env?: Record<string, string>;
  /** The database URL is a least-privilege role: BullMQ's schema was migrated by the owner. */
  queueSchemaMigrated?: boolean;
}

export function uniquePrefix(): string {
  return `duban-test-${randomBytes(4).toString('hex')}`;
}

/** Boots the real application (API, and workers unless disabled) in this process on a free port. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'error',
    RECONCILE_INTERVAL_SECONDS: '0',
    SEED_ON_EMPTY: 'false',
    DATA_DIR: options.dataDir ?? (await mkdtemp(join(tmpdir(), 'duban-test-'))),
    QUEUE_PREFIX: options.queuePrefix ?? uniquePrefix(),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const core = AppModule.register({
    config,
    databaseUrl: options.databaseUrl,
    role: options.workers === false ? 'api' : 'all',
    clock: options.clock,
    queueSchemaMigrated: options.queueSchemaMigrated,
  });
  @Module({ imports: options.workers === false ? [core] : [core, WorkerModule] })
  class TestRootModule {}

  const app = await NestFactory.create(TestRootModule, { logger: ['error'] });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, baseUrl, db: app.get(DataSource), config, close: () => app.close() };
}

let userCounter = 0;

/**
 * Creates a user with `role` (in the unit named `unitName` for unit roles) and signs in through
 * the API; returns the Authorization header value.
 */
export async function signIn(
  app: TestApp,
  role: Role,
  unitName?: string,
): Promise<{ authorization: string; userId: string; email: string }> {
  const email = `${role}-${++userCounter}-${randomBytes(3).toString('hex')}@example.org`;
  const password = 'correct-horse-battery';
  const user = await app.app
    .get(UsersService)
    .create(null, { email, name: `${role} ${userCounter}`, role, unitName, password });
  const res = await fetch(`${app.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}`, userId: user.id, email };
}
