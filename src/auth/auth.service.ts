import { createHash, randomBytes } from 'node:crypto';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import argon2 from 'argon2';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import {
  ConflictError,
  InvalidInputException,
  NotFoundError,
  TooManyRequestsError,
} from '../common/errors.js';
import { APP_CONFIG, PROCESS_ROLE, type ProcessRole } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { UsersRepository } from '../users/users.repository.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { LoginAttemptsRepository } from './login-attempts.repository.js';
import { decideLogin, LOGIN_THROTTLE, waitInWords } from './login-throttle.js';
import { passwordProblem } from './password-policy.js';
import type { Actor } from './permissions.js';
import { type CredentialOwner, SessionsRepository } from './sessions.repository.js';
import { loadSigningSecret } from './signing-secret.js';

export class UnauthorizedError extends HttpException {
  constructor(message = '未登录或登录已失效') {
    super({ statusCode: 401, error: 'Unauthorized', message }, HttpStatus.UNAUTHORIZED);
  }
}

/** How long a sign-in lasts; the token's `exp` and its session's expiry are the same moment. */
export const SESSION_TTL_SECONDS = 12 * 3600;
export const API_TOKEN_PREFIX = 'dbn_';
export const API_TOKEN_SCOPES = ['read', 'write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;
/** API tokens one user may create per hour. */
export const API_TOKEN_CREATE_LIMIT = 10;

const INVALID_CREDENTIAL = '登录凭证无效或已过期，请重新登录';
const ENDED_SESSION = '登录已失效（已退出登录或已被注销），请重新登录';
const INACTIVE_ACCOUNT = '账号不存在或已停用';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRUNE_EVERY_MS = 3600_000;

/** What the request was signed in with. */
export type Credential =
  | { kind: 'session'; sessionId: string }
  | { kind: 'api_token'; tokenId: string; scopes: ApiTokenScope[] };

export interface Authenticated {
  actor: Actor;
  credential: Credential;
  /** The account signed in with a temporary password and has not chosen its own yet. */
  mustChangePassword: boolean;
}

export interface SignedIn {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: string;
  mustChangePassword: boolean;
  user: Actor;
}

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// A hash to compare against when the account does not exist, so timing does not tell.
const DUMMY_HASH = argon2.hash('duban-no-such-user');

@Injectable()
export class AuthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuthService.name);
  private secret: string | null = null;
  private nextPruneAt = 0;
  private pruning: Promise<unknown> | null = null;

  constructor(
    private readonly tx: Transactor,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly apiTokens: ApiTokensRepository,
    private readonly attempts: LoginAttemptsRepository,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
  ) {}

  /** Only processes that serve the API sign or check tokens, so only they need the secret. */
  async onModuleInit(): Promise<void> {
    if (this.role === 'api' || this.role === 'all') {
      this.secret = await loadSigningSecret(this.config);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pruning;
  }

  private signingSecret(): string {
    if (!this.secret) throw new Error('the signing secret is loaded only where the API runs');
    return this.secret;
  }

  // ─── Sign-in ────────────────────────────────────────────────────────────────────────────────

  async login(
    email: string,
    password: string,
    ip: string | null,
    userAgent: string | null = null,
  ): Promise<SignedIn> {
    const normalized = email.trim().toLowerCase();
    const address = ip ?? 'unknown';
    this.pruneNowAndThen();
    const attemptId = await this.reserveAttempt(normalized, address, userAgent);

    const user = await this.users.credentialsByEmail(this.tx.manager, normalized);
    const hash = user?.passwordHash ?? (await DUMMY_HASH);
    const verified =
      (await argon2.verify(hash, password).catch(() => false)) &&
      !!user?.passwordHash &&
      user.active;
    if (!verified || !user) {
      const reason = !user ? 'unknown_account' : !user.active ? 'inactive' : 'wrong_password';
      await this.tx.run(async (m) => {
        await this.attempts.settle(m, attemptId, 'failed', reason);
        await this.audit.record(m, {
          actor: null,
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          after: { email: normalized },
          ip,
        });
      });
      throw new UnauthorizedError('邮箱或密码错误');
    }

    const actor = toActor(user);
    const session = await this.tx.run(async (m) => {
      await this.attempts.settle(m, attemptId, 'succeeded', null);
      const opened = await this.sessions.open(m, {
        userId: user.id,
        ttlSeconds: SESSION_TTL_SECONDS,
        ip,
        userAgent: userAgent?.slice(0, 500) ?? null,
      });
      await this.audit.record(m, {
        actor,
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        ip,
      });
      return opened;
    });
    const expiresAt = session.expiresAt;
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, sid: session.id, exp: Math.floor(expiresAt.getTime() / 1000) },
      { secret: this.signingSecret(), algorithm: 'HS256' },
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: SESSION_TTL_SECONDS,
      expiresAt: expiresAt.toISOString(),
      mustChangePassword: user.mustChangePassword,
      user: actor,
    };
  }

  /**
   * Decides, under a lock per address and one per account, whether this attempt may check a
   * password; records it either way. An allowed attempt is recorded as pending — counted as a
   * failure — before the password is checked, so parallel guesses cannot all pass the count, and
   * no lock is held while the (deliberately slow) hash is computed.
   */
  private async reserveAttempt(
    email: string,
    address: string,
    userAgent: string | null,
  ): Promise<string> {
    const outcome = await this.tx.run(
      async (m): Promise<{ id: string; wait: null } | { id: null; wait: number }> => {
        await this.attempts.lock(m, address, email);
        const decision = decideLogin(
          await this.attempts.throttleState(
            m,
            email,
            address,
            LOGIN_THROTTLE.failureMemorySeconds,
            LOGIN_THROTTLE.addressWindowSeconds,
          ),
        );
        const id = await this.attempts.insert(m, {
          email,
          address,
          userAgent: userAgent?.slice(0, 500) ?? null,
          outcome: decision.allowed ? 'pending' : 'refused',
          reason: decision.allowed ? null : decision.reason,
        });
        return decision.allowed
          ? { id, wait: null }
          : { id: null, wait: decision.retryAfterSeconds };
      },
    );
    if (outcome.wait !== null) {
      throw new TooManyRequestsError(
        `登录尝试过于频繁，请 ${waitInWords(outcome.wait)}后再试`,
        outcome.wait,
      );
    }
    return outcome.id;
  }

  /** Lets an account sign in again at once from every address (an admin's unlock, a reset). */
  async clearSignInDelays(m: EntityManager, email: string, by: string): Promise<void> {
    await this.attempts.insert(m, {
      email: email.trim().toLowerCase(),
      address: null,
      outcome: 'unlocked',
      reason: by,
    });
  }

  /** Deletes sign-in attempts older than the retention period; returns how many. */
  async pruneLoginAttempts(): Promise<number> {
    return this.attempts.prune(this.tx.manager, LOGIN_THROTTLE.retentionDays);
  }

  /** Deletes sessions that ended (expired) more than the retention period ago; returns how many. */
  async pruneEndedSessions(): Promise<number> {
    return this.sessions.pruneEnded(this.tx.manager, LOGIN_THROTTLE.retentionDays);
  }

  /** At most once an hour per process, from sign-in, so pruning needs no worker. */
  private pruneNowAndThen(): void {
    const now = Date.now();
    if (now < this.nextPruneAt || this.pruning) return;
    this.nextPruneAt = now + PRUNE_EVERY_MS;
    this.pruning = Promise.all([this.pruneLoginAttempts(), this.pruneEndedSessions()])
      .then(([attempts, sessions]) => {
        if (attempts || sessions) this.logger.log({ message: 'pruned', attempts, sessions });
      })
      .catch((error: unknown) =>
        this.logger.warn({ message: 'prune failed', error: String(error) }),
      )
      .finally(() => (this.pruning = null));
  }

  // ─── Every request ──────────────────────────────────────────────────────────────────────────

  /** Resolves a bearer credential (a JWT or an API token) to the acting user, or throws 401. */
  async authenticate(bearer: string): Promise<Authenticated> {
    return bearer.startsWith(API_TOKEN_PREFIX)
      ? this.authenticateApiToken(bearer)
      : this.authenticateSession(bearer);
  }

  private async authenticateSession(bearer: string): Promise<Authenticated> {
    let payload: { sub?: unknown; sid?: unknown; exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync(bearer, {
        secret: this.signingSecret(),
        algorithms: ['HS256'],
      });
    } catch {
      throw new UnauthorizedError(INVALID_CREDENTIAL);
    }
    const { sub, sid, exp } = payload;
    // A token that never expires, or names no session, is no sign-in of ours.
    if (
      typeof exp !== 'number' ||
      typeof sub !== 'string' ||
      typeof sid !== 'string' ||
      !UUID.test(sub) ||
      !UUID.test(sid)
    ) {
      throw new UnauthorizedError(INVALID_CREDENTIAL);
    }
    const found = await this.sessions.findForRequest(this.tx.manager, sid, sub);
    if (!found) throw new UnauthorizedError(INVALID_CREDENTIAL);
    if (found.revoked) throw new UnauthorizedError(ENDED_SESSION);
    if (found.expired) throw new UnauthorizedError(INVALID_CREDENTIAL);
    if (!found.user.active) throw new UnauthorizedError(INACTIVE_ACCOUNT);
    return {
      actor: toActor(found.user),
      credential: { kind: 'session', sessionId: sid },
      mustChangePassword: found.user.mustChangePassword,
    };
  }

  private async authenticateApiToken(bearer: string): Promise<Authenticated> {
    const found = await this.apiTokens.findForRequest<ApiTokenScope>(
      this.tx.manager,
      sha256(bearer),
    );
    if (!found || found.revoked) throw new UnauthorizedError('API 令牌无效或已吊销');
    if (found.expired) throw new UnauthorizedError('API 令牌已过期');
    if (!found.user.active) throw new UnauthorizedError(INACTIVE_ACCOUNT);
    return {
      actor: toActor(found.user),
      credential: { kind: 'api_token', tokenId: found.tokenId, scopes: found.scopes },
      mustChangePassword: false,
    };
  }

  // ─── Sign-out and revocation ────────────────────────────────────────────────────────────────

  /** Ends the session the request was made with. */
  async logout(actor: Actor, sessionId: string, ip: string | null): Promise<void> {
    await this.tx.run(async (m) => {
      await this.sessions.revoke(m, sessionId, actor.userId, 'logout');
      await this.audit.record(m, {
        actor,
        action: 'auth.logout',
        entityType: 'session',
        entityId: sessionId,
        ip,
      });
    });
  }

  /** Ends every session of the caller, on every device; returns how many were open. */
  async logoutEverywhere(actor: Actor, ip: string | null): Promise<number> {
    return this.tx.run(async (m) => {
      const ended = await this.revokeSessions(m, actor.userId, 'logout_all');
      await this.audit.record(m, {
        actor,
        action: 'auth.logout_all',
        entityType: 'user',
        entityId: actor.userId,
        after: { sessions: ended },
        ip,
      });
      return ended;
    });
  }

  /** Ends the user's open sessions (but `except`), in the caller's transaction; returns how many. */
  async revokeSessions(
    m: EntityManager,
    userId: string,
    reason: string,
    except: string | null = null,
  ): Promise<number> {
    return this.sessions.revokeAll(m, userId, reason, except);
  }

  /** Revokes all of the user's API tokens, in the caller's transaction; returns how many. */
  async revokeAllApiTokens(m: EntityManager, userId: string): Promise<number> {
    return this.apiTokens.revokeAll(m, userId);
  }

  // ─── Own password ───────────────────────────────────────────────────────────────────────────

  /**
   * Changes the caller's password. The current one is checked like a sign-in — same delays, same
   * record — so a stolen session cannot be used to guess it. Every other session ends.
   */
  async changePassword(
    actor: Actor,
    credential: Credential,
    currentPassword: string,
    newPassword: string,
    ip: string | null,
    userAgent: string | null,
  ): Promise<{ endedSessions: number }> {
    const user = await this.users.credentialsOf(this.tx.manager, actor.userId);
    if (!user) throw new UnauthorizedError(INACTIVE_ACCOUNT);
    const problem = passwordProblem(newPassword, { email: user.email, name: user.name });
    if (problem) {
      throw new InvalidInputException(problem, [{ field: 'newPassword', message: problem }]);
    }
    const attemptId = await this.reserveAttempt(
      user.email.toLowerCase(),
      ip ?? 'unknown',
      userAgent,
    );
    const hash = user.passwordHash ?? (await DUMMY_HASH);
    const verified =
      !!user.passwordHash && (await argon2.verify(hash, currentPassword).catch(() => false));
    if (!verified) {
      await this.tx.run(async (m) => {
        await this.attempts.settle(m, attemptId, 'failed', 'wrong_current_password');
        await this.audit.record(m, {
          actor,
          action: 'auth.password_change_failed',
          entityType: 'user',
          entityId: actor.userId,
          ip,
        });
      });
      throw new InvalidInputException('当前密码不正确', [
        { field: 'currentPassword', message: '不正确' },
      ]);
    }
    if (await argon2.verify(hash, newPassword).catch(() => false)) {
      await this.attempts.settle(this.tx.manager, attemptId, 'succeeded', null);
      throw new InvalidInputException('新密码不能与当前密码相同', [
        { field: 'newPassword', message: '不能与当前密码相同' },
      ]);
    }
    const newHash = await hashPassword(newPassword);
    const keep = credential.kind === 'session' ? credential.sessionId : null;
    return this.tx.run(async (m) => {
      await this.attempts.settle(m, attemptId, 'succeeded', null);
      const changed = await this.users.replacePassword(m, actor.userId, newHash, user.passwordHash);
      // Somebody (an admin's reset, another tab) changed it since it was checked.
      if (!changed) throw new ConflictError('密码刚被修改过，请重新操作');
      const endedSessions = await this.revokeSessions(m, actor.userId, 'password_change', keep);
      await this.audit.record(m, {
        actor,
        action: 'user.password_change',
        entityType: 'user',
        entityId: actor.userId,
        after: { endedSessions },
        ip,
      });
      return { endedSessions };
    });
  }

  // ─── API tokens ─────────────────────────────────────────────────────────────────────────────

  async createApiToken(
    actor: Actor,
    input: { name: string; expiresInDays?: number; scopes?: ApiTokenScope[] },
  ): Promise<{
    id: string;
    name: string;
    token: string;
    scopes: ApiTokenScope[];
    expiresAt: string;
  }> {
    const days = input.expiresInDays ?? API_TOKEN_DEFAULT_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS) {
      throw new InvalidInputException(`expiresInDays 须为 1–${API_TOKEN_MAX_DAYS} 的整数`, [
        { field: 'expiresInDays', message: `须为 1–${API_TOKEN_MAX_DAYS} 的整数` },
      ]);
    }
    const asked = input.scopes ?? ['read'];
    if (asked.length === 0 || asked.some((s) => !API_TOKEN_SCOPES.includes(s))) {
      throw new InvalidInputException(`scopes 须为 ${API_TOKEN_SCOPES.join('、')} 中的一个或多个`, [
        { field: 'scopes', message: `须为 ${API_TOKEN_SCOPES.join('、')} 中的一个或多个` },
      ]);
    }
    // Writing includes reading.
    const scopes: ApiTokenScope[] = asked.includes('write') ? ['read', 'write'] : ['read'];
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return this.tx.run(async (m) => {
      // One creation per user at a time, so the hourly count cannot be raced.
      await this.apiTokens.lockCreation(m, actor.userId);
      const recent = await this.apiTokens.createdLastHour(m, actor.userId);
      if (recent.count >= API_TOKEN_CREATE_LIMIT) {
        const wait = Math.max(1, recent.waitSeconds ?? 3600);
        throw new TooManyRequestsError(
          `每小时最多创建 ${API_TOKEN_CREATE_LIMIT} 个 API 令牌，请 ${waitInWords(wait)}后再试`,
          wait,
        );
      }
      const row = await this.apiTokens.insert(m, {
        userId: actor.userId,
        name: input.name,
        tokenHash: sha256(token),
        scopes,
        days,
      });
      const expiresAt = row.expiresAt.toISOString();
      await this.audit.record(m, {
        actor,
        action: 'api_token.create',
        entityType: 'api_token',
        entityId: row.id,
        after: { name: input.name, scopes, expiresAt },
      });
      return { id: row.id, name: input.name, token, scopes, expiresAt };
    });
  }

  /** The caller's API tokens, newest first; never the token itself. */
  async listApiTokens(actor: Actor): Promise<{ items: ApiTokenView[] }> {
    const rows = await this.apiTokens.listOf<ApiTokenScope>(this.tx.manager, actor.userId);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        scopes: r.scopes,
        createdAt: r.createdAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
        revokedAt: r.revokedAt?.toISOString() ?? null,
        status: r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'active',
      })),
    };
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      if (!(await this.apiTokens.revoke(m, id, actor.userId, this.clock.now())))
        throw new NotFoundError(`API 令牌 ${id} 不存在`);
      await this.audit.record(m, {
        actor,
        action: 'api_token.revoke',
        entityType: 'api_token',
        entityId: id,
      });
    });
  }
}

function toActor(user: Pick<CredentialOwner, 'id' | 'role' | 'unitId' | 'name'>): Actor {
  return { userId: user.id, role: user.role, unitId: user.unitId, name: user.name };
}
