import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { createLogger, loadConfigOrExit, prepareDatabase, stopOnSignals } from '../src/runtime.js';
import { Transactor } from '../src/database/transactor.js';
import { HealthRepository } from '../src/health/health.repository.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { startWorkerHealthServer } from './health-server.js';
import { WorkerModule } from './worker.module.js';

/** Job workers alone; run as many as needed beside the API. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'DubanWorker');
  Logger.overrideLogger(logger);
  const database = await prepareDatabase(config);

  @Module({
    imports: [
      AppModule.register({
        config,
        databaseUrl: database.url,
        queueSchemaMigrated: database.queueSchemaMigrated,
        role: 'worker',
      }),
      WorkerModule,
    ],
  })
  class WorkerRootModule {}

  const app = await NestFactory.createApplicationContext(WorkerRootModule, { logger });
  stopOnSignals(app as never, database);
  await app.init();
  if (config.workerHealthPort !== null) {
    const server = await startWorkerHealthServer(config.workerHealthPort, {
      tx: app.get(Transactor),
      health: app.get(HealthRepository),
      queue: app.get(JobQueue),
      metrics: app.get(MetricsService),
      config,
    });
    logger.log({ message: 'worker health and metrics', port: server.port });
  }
  logger.log({ message: 'Duban workers running', queue: config.redisUrl ? 'redis' : 'postgres' });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `启动失败 / failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
