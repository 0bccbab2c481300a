import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * One log line per HTTP request (method, route, status, duration, user, request id) and the
 * request-duration histogram. The request id comes from X-Request-Id when the caller (a proxy)
 * sends a sane one, else is made here; it is echoed in the response.
 */
export function accessLog(metrics: MetricsService) {
  const logger = new Logger('HTTP');
  return (req: Request & { actor?: { userId: string } }, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route pattern, not the path: ids would make every request a metric of its own.
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      metrics.httpDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        seconds,
      );
      logger.log({
        message: 'http',
        requestId: id,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        userId: req.actor?.userId,
      });
    });
    next();
  };
}
