import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { type Action, type Actor, can, type Target } from './permissions.js';

export class ForbiddenError extends HttpException {
  constructor(message = '无权执行此操作') {
    super({ statusCode: 403, error: 'Forbidden', message }, HttpStatus.FORBIDDEN);
  }
}

/** Enforces the permission rules and records every refused attempt. */
@Injectable()
export class Authorizer {
  private readonly logger = new Logger(Authorizer.name);

  constructor(private readonly audit: AuditService) {}

  async require(
    actor: Actor,
    action: Action,
    target: Target = {},
    entity?: { type: string; id: string },
  ): Promise<void> {
    if (can(actor, action, target)) return;
    this.logger.warn({
      message: 'forbidden',
      userId: actor.userId,
      role: actor.role,
      action,
      entity,
    });
    await this.audit.record(null, {
      actor,
      action: 'forbidden',
      entityType: entity?.type ?? action.split('.')[0],
      entityId: entity?.id ?? null,
      after: { attempted: action },
    });
    throw new ForbiddenError();
  }
}
