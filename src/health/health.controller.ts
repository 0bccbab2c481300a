import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard.js';
import { CalendarAdminService } from '../calendar/calendar-admin.service.js';
import { Transactor } from '../database/transactor.js';
import { QueueName } from '../queue/job-registry.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { HealthRepository } from './health.repository.js';

interface Check {
  status: 'up' | 'down';
  error?: string;
}

async function check(fn: () => Promise<unknown>, timeoutMs = 3000): Promise<Check> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  }
}

@ApiTags('运行状态')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: HealthRepository,
    private readonly queue: JobQueue,
    private readonly calendar: CalendarAdminService,
  ) {}

  @Get()
  @ApiOperation({ summary: '数据库与队列的连通状态；任一不可用时返回 503' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, queue] = await Promise.all([
      check(() => this.repo.ping(this.tx.manager)),
      check(() => this.queue.ping(QueueName.Reminders)),
    ]);
    const ok = database.status === 'up' && queue.status === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    // A calendar that does not cover a deadline's year is a warning, not an outage.
    const calendar =
      database.status === 'up' ? await this.calendar.coverage(new Date()).catch(() => null) : null;
    return {
      status: ok ? 'ok' : 'unavailable',
      database,
      queue: { ...queue, backend: this.queue.backendKind },
      ...(calendar ? { calendar } : {}),
    };
  }
}
