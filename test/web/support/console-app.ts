import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module.js';
import { loadConfig } from '../../../src/config/config.js';
import { configureHttp } from '../../../src/runtime.js';
import { WebModule } from '../../../src/web/web.module.js';
import { WorkerModule } from '../../../workers/worker.module.js';
import { createTestDatabase, dropDatabase, testRedisUrl } from '../../support/databases.js';
import { uniquePrefix, type TestApp } from '../../support/app.js';

export interface ConsoleApp extends TestApp {
  dataDir: string;
}

/**
 * The application as `npm start` runs it (API, workers and the console's own module) on a fresh
 * database, listening on a free port, with mail written to the outbox of a temporary DATA_DIR.
 */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<ConsoleApp> {
  const databaseUrl = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'duban-console-'));
  const redis = testRedisUrl();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'error',
    RECONCILE_INTERVAL_SECONDS: '0',
    SEED_ON_EMPTY: 'false',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: uniquePrefix(),
    ...(redis ? { REDIS_URL: redis } : {}),
    ...env,
  });
  @Module({
    imports: [AppModule.register({ config, databaseUrl, role: 'all' }), WorkerModule, WebModule],
  })
  class ConsoleTestModule {}
  const app = await NestFactory.create(ConsoleTestModule, { logger: ['error'] });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    db: app.get(DataSource),
    config,
    dataDir,
    close: async () => {
      await app.close();
      await dropDatabase(databaseUrl);
    },
  };
}
