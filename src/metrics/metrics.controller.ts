import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Inject } from '@nestjs/common';
import { Public } from '../auth/auth.guard.js';
import { UnauthorizedError } from '../auth/auth.service.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus scrape endpoint, outside /api; with METRICS_TOKEN set it needs that bearer token. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = this.config.metricsToken;
    if (token && authorization !== `Bearer ${token}`) {
      throw new UnauthorizedError('需要 METRICS_TOKEN（Authorization: Bearer …）');
    }
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}
