import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { AuditEntry } from '../audit/audit.service.js';
import { type Action, type Actor, can, type Target } from './permissions.js';

/**
 * 403. It carries the audit entry of the refusal, which is written once the request has failed —
 * after any transaction of the request has rolled back and given its connection back — never
 * through a second connection while the first one holds row locks.
 */
export class ForbiddenError extends HttpException {
  constructor(
    message = '无权执行此操作',
    readonly refusal: AuditEntry | null = null,
  ) {
    super({ statusCode: 403, error: 'Forbidden', message }, HttpStatus.FORBIDDEN);
  }
}

/** Enforces the permission rules; every refusal ends on the audit trail (see ForbiddenError). */
@Injectable()
export class Authorizer {
  private readonly logger = new Logger(Authorizer.name);

  require(
    actor: Actor,
    action: Action,
    target: Target = {},
    entity?: { type: string; id: string },
  ): void {
    if (can(actor, action, target)) return;
    this.logger.warn({
      message: 'forbidden',
      userId: actor.userId,
      role: actor.role,
      action,
      entity,
    });
    throw new ForbiddenError(undefined, {
      actor,
      action: 'forbidden',
      entityType: entity?.type ?? action.split('.')[0],
      entityId: entity?.id ?? null,
      after: { attempted: action },
    });
  }
}
