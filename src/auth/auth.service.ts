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
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import type { DataSource, EntityManager } from 'typeorm';
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
import { decideLogin, LOGIN_THROTTLE, waitInWords } from './login-throttle.js';
import { passwordProblem } from './password-policy.js';
import type { Actor, Role } from './permissions.js';
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

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  unit_id: string | null;
  active: boolean;
  password_hash: string | null;
  must_change_password: boolean;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// A hash to compare against when the account does not exist, so timing does not tell.
const DUMMY_HASH = argon2.hash('duban-no-such-user');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

@Injectable()
export class AuthService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuthService.name);
  private secret: string | null = null;
  private nextPruneAt = 0;
  private pruning: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
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

    const [user]: UserRow[] = await this.db.query(
      `SELECT id, email, name, role, unit_id, active, password_hash, must_change_password
         FROM users WHERE lower(email) = $1`,
      [normalized],
    );
    const hash = user?.password_hash ?? (await DUMMY_HASH);
    const verified =
      (await argon2.verify(hash, password).catch(() => false)) &&
      !!user?.password_hash &&
      user.active;
    if (!verified) {
      const reason = !user ? 'unknown_account' : !user.active ? 'inactive' : 'wrong_password';
      await this.db.transaction(async (m) => {
        await settleAttempt(m, attemptId, 'failed', reason);
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
    const session = await this.db.transaction(async (m) => {
      await settleAttempt(m, attemptId, 'succeeded', null);
      const [row]: { id: string; expires_at: Date }[] = await m.query(
        `INSERT INTO sessions (user_id, expires_at, ip, user_agent)
         VALUES ($1, now() + make_interval(secs => $2), $3, $4) RETURNING id, expires_at`,
        [user.id, SESSION_TTL_SECONDS, ip, userAgent?.slice(0, 500) ?? null],
      );
      await this.audit.record(m, {
        actor,
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        ip,
      });
      return row;
    });
    const expiresAt = new Date(session.expires_at);
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, sid: session.id, exp: Math.floor(expiresAt.getTime() / 1000) },
      { secret: this.signingSecret(), algorithm: 'HS256' },
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: SESSION_TTL_SECONDS,
      expiresAt: expiresAt.toISOString(),
      mustChangePassword: user.must_change_password,
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
    const outcome = await this.db.transaction(
      async (m): Promise<{ id: string; wait: null } | { id: null; wait: number }> => {
        // Always the address first, then the account: one order, no deadlock.
        await m.query(
          `SELECT pg_advisory_xact_lock(hashtext('duban:login-address'), hashtext($1))`,
          [address],
        );
        await m.query(
          `SELECT pg_advisory_xact_lock(hashtext('duban:login-account'), hashtext($1))`,
          [email],
        );
        const [state]: {
          now: Date;
          pair_failures: number;
          last_pair_failure: Date | null;
          address_failures: number;
          oldest_address_failure: Date | null;
        }[] = await m.query(
          `WITH since AS (
           SELECT greatest(
             now() - make_interval(secs => $3),
             (SELECT max(at) FROM login_attempts
               WHERE lower(email) = $1 AND ip = $2 AND outcome = 'succeeded'),
             (SELECT max(at) FROM login_attempts WHERE lower(email) = $1 AND outcome = 'unlocked')
           ) AS at
         ), pair AS (
           SELECT count(*)::int AS failures, max(a.at) AS last_at FROM login_attempts a, since
            WHERE lower(a.email) = $1 AND a.ip = $2 AND a.outcome IN ('failed', 'pending')
              AND a.at > since.at
         ), address AS (
           SELECT count(*)::int AS failures, min(at) AS oldest_at FROM login_attempts
            WHERE ip = $2 AND outcome IN ('failed', 'pending')
              AND at > now() - make_interval(secs => $4)
         )
         SELECT now() AS now, pair.failures AS pair_failures, pair.last_at AS last_pair_failure,
                address.failures AS address_failures, address.oldest_at AS oldest_address_failure
           FROM pair, address`,
          [
            email,
            address,
            LOGIN_THROTTLE.failureMemorySeconds,
            LOGIN_THROTTLE.addressWindowSeconds,
          ],
        );
        const decision = decideLogin({
          now: new Date(state.now),
          pairFailures: state.pair_failures,
          lastPairFailureAt: state.last_pair_failure && new Date(state.last_pair_failure),
          addressFailures: state.address_failures,
          oldestAddressFailureAt:
            state.oldest_address_failure && new Date(state.oldest_address_failure),
        });
        const [row]: { id: string }[] = await m.query(
          `INSERT INTO login_attempts (email, ip, user_agent, outcome, reason)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [
            email,
            address,
            userAgent?.slice(0, 500) ?? null,
            decision.allowed ? 'pending' : 'refused',
            decision.allowed ? null : decision.reason,
          ],
        );
        return decision.allowed
          ? { id: String(row.id), wait: null }
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
    await m.query(
      `INSERT INTO login_attempts (email, ip, outcome, reason) VALUES ($1, NULL, 'unlocked', $2)`,
      [email.trim().toLowerCase(), by],
    );
  }

  /** Deletes sign-in attempts older than the retention period; returns how many. */
  async pruneLoginAttempts(): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.db.query(
      `DELETE FROM login_attempts WHERE at < now() - make_interval(days => $1)`,
      [LOGIN_THROTTLE.retentionDays],
    );
    return deleted;
  }

  /** Deletes sessions that ended (expired) more than the retention period ago; returns how many. */
  async pruneEndedSessions(): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.db.query(
      `DELETE FROM sessions WHERE expires_at < now() - make_interval(days => $1)`,
      [LOGIN_THROTTLE.retentionDays],
    );
    return deleted;
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
    // One indexed statement: the session and its user; last_seen_at is written at most once a minute.
    const [row]: (UserRow & { revoked_at: Date | null; expired: boolean })[] = await this.db.query(
      `WITH found AS (
         SELECT s.revoked_at, s.expires_at <= now() AS expired,
                u.id, u.name, u.role, u.unit_id, u.active, u.must_change_password
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.user_id = $2
       ), touched AS (
         UPDATE sessions SET last_seen_at = now()
          WHERE id = $1 AND revoked_at IS NULL AND last_seen_at < now() - interval '1 minute'
       )
       SELECT * FROM found`,
      [sid, sub],
    );
    if (!row) throw new UnauthorizedError(INVALID_CREDENTIAL);
    if (row.revoked_at) throw new UnauthorizedError(ENDED_SESSION);
    if (row.expired) throw new UnauthorizedError(INVALID_CREDENTIAL);
    if (!row.active) throw new UnauthorizedError(INACTIVE_ACCOUNT);
    return {
      actor: toActor(row),
      credential: { kind: 'session', sessionId: sid },
      mustChangePassword: row.must_change_password,
    };
  }

  private async authenticateApiToken(bearer: string): Promise<Authenticated> {
    const [row]: (UserRow & {
      token_id: string;
      scopes: ApiTokenScope[];
      revoked_at: Date | null;
      expired: boolean;
    })[] = await this.db.query(
      `WITH found AS (
         SELECT t.id AS token_id, t.scopes, t.revoked_at, t.expires_at <= now() AS expired,
                u.id, u.name, u.role, u.unit_id, u.active
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1
       ), touched AS (
         UPDATE api_tokens SET last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
            AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
       )
       SELECT * FROM found`,
      [sha256(bearer)],
    );
    if (!row || row.revoked_at) throw new UnauthorizedError('API 令牌无效或已吊销');
    if (row.expired) throw new UnauthorizedError('API 令牌已过期');
    if (!row.active) throw new UnauthorizedError(INACTIVE_ACCOUNT);
    return {
      actor: toActor(row),
      credential: { kind: 'api_token', tokenId: row.token_id, scopes: row.scopes },
      mustChangePassword: false,
    };
  }

  // ─── Sign-out and revocation ────────────────────────────────────────────────────────────────

  /** Ends the session the request was made with. */
  async logout(actor: Actor, sessionId: string, ip: string | null): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout'
          WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
        [sessionId, actor.userId],
      );
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
    return this.db.transaction(async (m) => {
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
    const [, ended]: [unknown[], number] = await m.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [userId, reason, except],
    );
    return ended;
  }

  /** Revokes all of the user's API tokens, in the caller's transaction; returns how many. */
  async revokeAllApiTokens(m: EntityManager, userId: string): Promise<number> {
    const [, revoked]: [unknown[], number] = await m.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return revoked;
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
    const [user]: UserRow[] = await this.db.query(
      `SELECT id, email, name, password_hash FROM users WHERE id = $1`,
      [actor.userId],
    );
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
    const hash = user.password_hash ?? (await DUMMY_HASH);
    const verified =
      !!user.password_hash && (await argon2.verify(hash, currentPassword).catch(() => false));
    if (!verified) {
      await this.db.transaction(async (m) => {
        await settleAttempt(m, attemptId, 'failed', 'wrong_current_password');
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
      await settleAttempt(this.db.manager, attemptId, 'succeeded', null);
      throw new InvalidInputException('新密码不能与当前密码相同', [
        { field: 'newPassword', message: '不能与当前密码相同' },
      ]);
    }
    const newHash = await hashPassword(newPassword);
    const keep = credential.kind === 'session' ? credential.sessionId : null;
    return this.db.transaction(async (m) => {
      await settleAttempt(m, attemptId, 'succeeded', null);
      const [[changed]]: [{ id: string }[], number] = await m.query(
        `UPDATE users SET password_hash = $2, must_change_password = false,
                password_changed_at = now(), updated_at = now()
          WHERE id = $1 AND password_hash IS NOT DISTINCT FROM $3 RETURNING id`,
        [actor.userId, newHash, user.password_hash],
      );
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
    return this.db.transaction(async (m) => {
      // One creation per user at a time, so the hourly count cannot be raced.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:api-token'), hashtext($1))`, [
        actor.userId,
      ]);
      const [recent]: { n: number; wait: number | null }[] = await m.query(
        `SELECT count(*)::int AS n,
                ceil(extract(epoch FROM min(created_at) + interval '1 hour' - now()))::int AS wait
           FROM api_tokens WHERE user_id = $1 AND created_at > now() - interval '1 hour'`,
        [actor.userId],
      );
      if (recent.n >= API_TOKEN_CREATE_LIMIT) {
        const wait = Math.max(1, recent.wait ?? 3600);
        throw new TooManyRequestsError(
          `每小时最多创建 ${API_TOKEN_CREATE_LIMIT} 个 API 令牌，请 ${waitInWords(wait)}后再试`,
          wait,
        );
      }
      const [row]: { id: string; expires_at: Date }[] = await m.query(
        `INSERT INTO api_tokens (user_id, name, token_hash, scopes, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id, expires_at`,
        [actor.userId, input.name, sha256(token), scopes, days],
      );
      const expiresAt = new Date(row.expires_at).toISOString();
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
    const rows: {
      id: string;
      name: string;
      scopes: ApiTokenScope[];
      created_at: Date;
      expires_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
      expired: boolean;
    }[] = await this.db.query(
      `SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at,
              expires_at <= now() AS expired
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`,
      [actor.userId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        scopes: r.scopes,
        createdAt: iso(r.created_at)!,
        expiresAt: iso(r.expires_at)!,
        lastUsedAt: iso(r.last_used_at),
        revokedAt: iso(r.revoked_at),
        status: r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'active',
      })),
    };
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
        [id, actor.userId, this.clock.now()],
      );
      if (rows.length === 0) throw new NotFoundError(`API 令牌 ${id} 不存在`);
      await this.audit.record(m, {
        actor,
        action: 'api_token.revoke',
        entityType: 'api_token',
        entityId: id,
      });
    });
  }
}

async function settleAttempt(
  m: EntityManager,
  attemptId: string,
  outcome: 'succeeded' | 'failed',
  reason: string | null,
): Promise<void> {
  await m.query(`UPDATE login_attempts SET outcome = $2, reason = $3 WHERE id = $1`, [
    attemptId,
    outcome,
    reason,
  ]);
}

function toActor(user: Pick<UserRow, 'id' | 'role' | 'unit_id' | 'name'>): Actor {
  return { userId: user.id, role: user.role, unitId: user.unit_id, name: user.name };
}
