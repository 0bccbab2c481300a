import 'reflect-metadata';
import { join } from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../workers/worker.module.js';
import { AppModule } from './app.module.js';
import {
  configureHttp,
  createLogger,
  ensureFirstAdmin,
  importSeedsIfEmpty,
  loadConfigOrExit,
  prepareDatabase,
  projectRoot,
  stopOnSignals,
} from './runtime.js';
import { accountsTable, demoRequested, seedDemo } from './web/demo.js';
import { WebModule } from './web/web.module.js';

/** `npm start`: API and workers in one process, on the embedded database unless DATABASE_URL is set. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfigOrExit('all');
  const logger = createLogger(config);
  Logger.overrideLogger(logger);
  const database = await prepareDatabase(config);

  @Module({
    imports: [
      AppModule.register({
        config,
        databaseUrl: database.url,
        queueSchemaMigrated: database.queueSchemaMigrated,
        role: 'all',
      }),
      WorkerModule,
      WebModule,
    ],
  })
  class CombinedModule {}

  const app = await NestFactory.create(CombinedModule, { logger });
  configureHttp(app);
  stopOnSignals(app, database);
  const demo = demoRequested(process.argv.slice(2), process.env)
    ? await seedDemo(app, config, join(projectRoot(), 'seeds'))
    : null;
  await ensureFirstAdmin(app, config);
  await importSeedsIfEmpty(app, config);
  await app.listen(config.port);
  logger.log({
    message: 'Duban listening',
    port: config.port,
    docs: `http://localhost:${config.port}/api/docs`,
    database: database.embedded ? 'embedded' : 'external',
    queue: config.redisUrl ? 'redis' : 'postgres',
    mail: config.smtpUrl ? 'smtp' : `${config.dataDir}/outbox`,
    startupMs: Date.now() - started,
  });
  if (demo) process.stdout.write(accountsTable(demo, `http://localhost:${config.port}/`));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `启动失败 / failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
