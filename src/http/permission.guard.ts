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
import { Authorizer } from '../auth/authorizer.service.js';
import type { Action, Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { TasksService } from '../tasks/tasks.service.js';

interface Requirement {
  action: Action;
  /** Route parameter holding the task the action is done to. */
  taskParam?: string;
}

const REQUIREMENT = 'duban:requirement';

/**
 * Checks a permission before anything of the request body is read: an upload by someone who may
 * not make it is refused before a byte of it is stored or buffered.
 */
export function RequirePermission(action: Action, options: { taskParam?: string } = {}) {
  return applyDecorators(
    SetMetadata(REQUIREMENT, { action, taskParam: options.taskParam } satisfies Requirement),
    UseGuards(PermissionGuard),
  );
}

@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: Authorizer,
    private readonly tasks: TasksService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.get<Requirement | undefined>(
      REQUIREMENT,
      context.getHandler(),
    );
    if (!requirement) return true;
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = req.actor!;
    if (requirement.taskParam) {
      const id = new EntityIdPipe('任务').transform(String(req.params[requirement.taskParam]), {
        type: 'param',
      });
      await this.tasks.requireAccess(actor, id, requirement.action);
    } else {
      this.authorizer.require(actor, requirement.action);
    }
    return true;
  }
}
