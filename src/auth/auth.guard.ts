import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService, UnauthorizedError } from './auth.service.js';
import type { Actor } from './permissions.js';

const PUBLIC = 'duban:public';
/** Marks a route that needs no sign-in (login, health). */
export const Public = () => SetMetadata(PUBLIC, true);

interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/** Every route needs a signed-in user unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])
    )
      return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('请先登录（Authorization: Bearer <令牌>）');
    req.actor = await this.auth.authenticate(match[1]);
    return true;
  }
}

/** The signed-in user of the request. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    if (!actor) throw new UnauthorizedError();
    return actor;
  },
);

/** The client address, for the audit trail and sign-in throttling. */
export const ClientIp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null => {
    const req = context.switchToHttp().getRequest<Request>();
    return req.ip ?? req.socket.remoteAddress ?? null;
  },
);
