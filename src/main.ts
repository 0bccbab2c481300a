import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { WebModule } from './web/web.module.js';
import {
  configureHttp,
  createLogger,
  ensureFirstAdmin,
  loadConfigOrExit,
  prepareDatabase,
  stopOnSignals,
} from './runtime.js';

/** The HTTP API alone (scaled deployments run workers/main.ts beside it). */
async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  const logger = createLogger(config);
  Logger.overrideLogger(logger);
  const database = await prepareDatabase(config);
  @Module({
    imports: [
      AppModule.register({
        config,
        databaseUrl: database.url,
        queueSchemaMigrated: database.queueSchemaMigrated,
        role: 'api',
      }),
      WebModule,
    ],
  })
  class ApiModule {}

  const app = await NestFactory.create(ApiModule, { logger });
  configureHttp(app);
  stopOnSignals(app, database);
  await ensureFirstAdmin(app, config);
  await app.listen(config.port);
  logger.log({
    message: 'Duban API listening',
    port: config.port,
    url: `http://localhost:${config.port}/api/docs`,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `启动失败 / failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
