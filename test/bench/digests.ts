import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/config.js';
import { PlansService } from '../../src/plans/plans.service.js';
import { projectRoot } from '../../src/runtime.js';
import { digestFigures } from './digests-bench.js';
import { type BenchContext, type BenchSection, freshDatabase } from './support.js';

/**
 * Weekly digests for 1,000 units over 100k tasks (100 units over 10k with `--quick`): the time
 * and the SQL statements to compose every digest, and to write them all to the outbox.
 */
export const digestsSection: BenchSection = {
  name: 'digests',
  async run(ctx: BenchContext) {
    const database = await freshDatabase(ctx.pgServerUrl, 'digests');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: '',
      LOG_LEVEL: 'error',
      QUEUE_PREFIX: `duban-bench-digests-${Date.now()}`,
    });
    const app = await NestFactory.createApplicationContext(
      AppModule.register({ config, databaseUrl: database.url, role: 'cli' }),
      { logger: ['error'] },
    );
    try {
      const seed = readFileSync(join(projectRoot(), 'seeds', 'hongkou-2022-work-plan.txt'));
      await app.get(PlansService).importDocument('bench-digests.txt', seed);
      return await digestFigures(app, {
        units: Math.round(1000 * ctx.scale),
        tasksPerUnit: 100,
      });
    } finally {
      await app.close();
      await database.drop();
    }
  },
};
