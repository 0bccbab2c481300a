import { createHash, randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/errors.js';
import type { Actor, Role } from './permissions.js';

export class UnauthorizedError extends HttpException {
  constructor(message = '未登录或登录已失效') {
    super({ statusCode: 401, error: 'Unauthorized', message }, HttpStatus.UNAUTHORIZED);
  }
}

export class TooManyAttemptsError extends HttpException {
  constructor(minutes: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `登录失败次数过多，请 ${minutes} 分钟后再试`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Failed sign-ins allowed per account (and per address) in the window before refusing. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MINUTES = 15;
const TOKEN_TTL_SECONDS = 12 * 3600;
export const API_TOKEN_PREFIX = 'dbn_';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  unit_id: string | null;
  active: boolean;
  password_hash: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// A hash to compare against when the account does not exist, so timing does not tell.
const DUMMY_HASH = argon2.hash('duban-no-such-user');

@Injectable()
export class AuthService implements OnModuleInit {
  private secret: string | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The signing secret lives in the database, so every API process of an installation shares it. */
  async onModuleInit(): Promise<void> {
    await this.db.query(
      `INSERT INTO app_secrets (name, value) VALUES ('jwt', $1) ON CONFLICT (name) DO NOTHING`,
      [randomBytes(48).toString('base64url')],
    );
    const [row]: { value: string }[] = await this.db.query(
      `SELECT value FROM app_secrets WHERE name = 'jwt'`,
    );
    this.secret = row.value;
  }

  private signingSecret(): string {
    if (!this.secret) throw new Error('auth secret not loaded');
    return this.secret;
  }

  async login(
    email: string,
    password: string,
    ip: string | null,
  ): Promise<{ accessToken: string; expiresIn: number; user: Actor }> {
    const normalized = email.trim().toLowerCase();
    // One attempt per account at a time: otherwise parallel guesses would all pass the count
    // before any of them is recorded, and the limit would not limit.
    const { user, ok } = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:login'), hashtext($1))`, [
        normalized,
      ]);
      const [{ failures }]: { failures: number }[] = await m.query(
        `SELECT count(*)::int AS failures FROM login_attempts
          WHERE NOT succeeded AND at > now() - make_interval(mins => $3)
            AND (lower(email) = $1 OR ($2::text IS NOT NULL AND ip = $2 AND $2 <> ''))`,
        [normalized, ip, LOGIN_WINDOW_MINUTES],
      );
      if (failures >= LOGIN_MAX_FAILURES) throw new TooManyAttemptsError(LOGIN_WINDOW_MINUTES);

      const [found]: UserRow[] = await m.query(
        `SELECT id, email, name, role, unit_id, active, password_hash FROM users WHERE lower(email) = $1`,
        [normalized],
      );
      const hash = found?.password_hash ?? (await DUMMY_HASH);
      const verified =
        (await argon2.verify(hash, password).catch(() => false)) &&
        !!found?.password_hash &&
        found.active;
      await m.query(`INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, $3)`, [
        normalized,
        ip,
        verified,
      ]);
      return { user: found, ok: verified };
    });
    if (!ok || !user) {
      await this.audit.record(null, {
        actor: null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { email: normalized },
        ip,
      });
      throw new UnauthorizedError('邮箱或密码错误');
    }
    const actor = toActor(user);
    await this.audit.record(null, {
      actor,
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      ip,
    });
    const accessToken = await this.jwt.signAsync(
      { sub: user.id },
      { secret: this.signingSecret(), expiresIn: TOKEN_TTL_SECONDS, algorithm: 'HS256' },
    );
    return { accessToken, expiresIn: TOKEN_TTL_SECONDS, user: actor };
  }

  /** Resolves a bearer credential (a JWT or an API token) to the acting user, or throws 401. */
  async authenticate(bearer: string): Promise<Actor> {
    let userId: string;
    if (bearer.startsWith(API_TOKEN_PREFIX)) {
      // TypeORM answers an UPDATE with [rows, affected count], not with the rows alone.
      const [[token]]: [{ user_id: string }[], number] = await this.db.query(
        `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id`,
        [sha256(bearer)],
      );
      if (!token) throw new UnauthorizedError('API 令牌无效或已吊销');
      userId = token.user_id;
    } else {
      try {
        const payload = await this.jwt.verifyAsync<{ sub: string }>(bearer, {
          secret: this.signingSecret(),
          algorithms: ['HS256'],
        });
        userId = payload.sub;
      } catch {
        throw new UnauthorizedError('登录凭证无效或已过期，请重新登录');
      }
    }
    const [user]: UserRow[] = await this.db.query(
      `SELECT id, email, name, role, unit_id, active FROM users WHERE id = $1`,
      [userId],
    );
    if (!user || !user.active) throw new UnauthorizedError('账号不存在或已停用');
    return toActor(user);
  }

  async createApiToken(
    actor: Actor,
    name: string,
  ): Promise<{ id: string; name: string; token: string }> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return this.db.transaction(async (m) => {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) RETURNING id`,
        [actor.userId, name, sha256(token)],
      );
      await this.audit.record(m, {
        actor,
        action: 'api_token.create',
        entityType: 'api_token',
        entityId: row.id,
        after: { name },
      });
      return { id: row.id, name, token };
    });
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

function toActor(user: Pick<UserRow, 'id' | 'role' | 'unit_id' | 'name'>): Actor {
  return { userId: user.id, role: user.role, unitId: user.unit_id, name: user.name };
}
