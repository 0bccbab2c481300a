import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { TooManyRequestsError } from '../common/errors.js';
import type { Actor } from '../auth/permissions.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

export interface Limit {
  /** What is limited, e.g. 'plan.import'. */
  name: string;
  /** Requests allowed per window, per user. */
  max: number;
  windowSeconds: number;
}

const LIMIT = 'duban:rate-limit';

/**
 * Limits how often one user may call a route (imports, uploads): checked before the body is read.
 * Answers 429 with Retry-After.
 */
export function RateLimit(limit: Limit) {
  return applyDecorators(SetMetadata(LIMIT, limit), UseGuards(RateLimitGuard));
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimitsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.reflector.get<Limit | undefined>(LIMIT, context.getHandler());
    if (!limit) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { actor?: Actor }>();
    const who = req.actor?.userId ?? req.ip ?? 'anonymous';
    const wait = await this.limiter.hit(`${limit.name}:${who}`, limit.max, limit.windowSeconds);
    if (wait > 0) {
      throw new TooManyRequestsError(
        `操作过于频繁：每 ${Math.round(limit.windowSeconds / 60)} 分钟最多 ${limit.max} 次，请 ${Math.ceil(wait / 60)} 分钟后再试`,
        wait,
      );
    }
    return true;
  }
}
