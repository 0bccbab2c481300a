import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService, type Credential, UnauthorizedError } from './auth.service.js';
import { ForbiddenError } from './authorizer.service.js';
import type { Actor } from './permissions.js';

const PUBLIC = 'duban:public';
const INTERACTIVE_ONLY = 'duban:interactive-only';
const BEFORE_PASSWORD_CHANGE = 'duban:before-password-change';

/** Marks a route that needs no sign-in (login, health). */
export const Public = () => SetMetadata(PUBLIC, true);
/**
 * Marks a route that only a signed-in person may use, not an API token: creating tokens,
 * changing passwords, signing anybody out.
 */
export const InteractiveOnly = () => SetMetadata(INTERACTIVE_ONLY, true);
/** Marks a route open to a session that still has to replace its temporary password. */
export const BeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

interface AuthenticatedRequest extends Request {
  actor?: Actor;
  credential?: Credential;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route needs a signed-in user unless marked @Public(). An API token with only the `read`
 * scope may use safe methods only; a session signed in with a temporary password may only
 * change it (and sign out).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const flag = (key: string) =>
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) ===
      true;
    if (flag(PUBLIC)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('请先登录（Authorization: Bearer <令牌>）');
    const { actor, credential, mustChangePassword } = await this.auth.authenticate(match[1]);
    req.actor = actor;
    req.credential = credential;

    const refuse = (message: string, what: string) =>
      new ForbiddenError(message, {
        actor,
        action: 'forbidden',
        entityType: credential.kind,
        entityId: credential.kind === 'session' ? credential.sessionId : credential.tokenId,
        after: { attempted: `${req.method} ${req.path}`, reason: what },
      });
    if (credential.kind === 'api_token') {
      if (flag(INTERACTIVE_ONLY)) {
        throw refuse('此操作须登录后进行，API 令牌不能执行', 'interactive_only');
      }
      if (!SAFE_METHODS.has(req.method) && !credential.scopes.includes('write')) {
        throw refuse('此 API 令牌只有读取权限（read），不能修改数据', 'read_only_token');
      }
    } else if (mustChangePassword && !flag(BEFORE_PASSWORD_CHANGE)) {
      throw refuse('请先修改临时密码（POST /api/v1/auth/password）', 'must_change_password');
    }
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

/** What the request was signed in with (a session or an API token). */
export const CurrentCredential = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Credential => {
    const credential = context.switchToHttp().getRequest<AuthenticatedRequest>().credential;
    if (!credential) throw new UnauthorizedError();
    return credential;
  },
);

/**
 * The client address, for the audit trail and sign-in throttling: `req.ip`, which honours the
 * TRUST_PROXY setting (without it, X-Forwarded-For is ignored and the socket's address is used).
 */
export const ClientIp = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null => {
    const req = context.switchToHttp().getRequest<Request>();
    return req.ip ?? req.socket.remoteAddress ?? null;
  },
);

export const UserAgent = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null =>
    context.switchToHttp().getRequest<Request>().headers['user-agent'] ?? null,
);
