import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CredentialOwner } from './sessions.repository.js';

/** A token as its owner sees it (never the token itself). */
export interface ApiTokenRecord<Scope extends string = string> {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expired: boolean;
}

/** A token found for a request. */
export interface FoundApiToken<Scope extends string = string> {
  tokenId: string;
  scopes: Scope[];
  user: CredentialOwner;
  revoked: boolean;
  expired: boolean;
}

const date = (d: Date | string | null) => (d === null ? null : new Date(d));

/** API tokens (`api_tokens`), stored by the SHA-256 of the token. */
@Injectable()
export class ApiTokensRepository {
  /** One creation per user at a time (held until the transaction ends). */
  async lockCreation(m: EntityManager, userId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:api-token'), hashtext($1))`, [
      userId,
    ]);
  }

  /** Tokens the user created in the last hour, and the seconds until the oldest of them ages out. */
  async createdLastHour(
    m: EntityManager,
    userId: string,
  ): Promise<{ count: number; waitSeconds: number | null }> {
    const [recent]: { n: number; wait: number | null }[] = await m.query(
      `SELECT count(*)::int AS n,
              ceil(extract(epoch FROM min(created_at) + interval '1 hour' - now()))::int AS wait
         FROM api_tokens WHERE user_id = $1 AND created_at > now() - interval '1 hour'`,
      [userId],
    );
    return { count: recent.n, waitSeconds: recent.wait };
  }

  async insert(
    m: EntityManager,
    t: { userId: string; name: string; tokenHash: string; scopes: string[]; days: number },
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row]: { id: string; expires_at: Date }[] = await m.query(
      `INSERT INTO api_tokens (user_id, name, token_hash, scopes, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id, expires_at`,
      [t.userId, t.name, t.tokenHash, t.scopes, t.days],
    );
    return { id: row.id, expiresAt: new Date(row.expires_at) };
  }

  /** The token and its user; marks it used (at most once a minute). Null if unknown. */
  async findForRequest<Scope extends string>(
    m: EntityManager,
    tokenHash: string,
  ): Promise<FoundApiToken<Scope> | null> {
    const [row]: {
      token_id: string;
      scopes: Scope[];
      revoked_at: Date | null;
      expired: boolean;
      id: string;
      name: string;
      role: CredentialOwner['role'];
      unit_id: string | null;
      active: boolean;
    }[] = await m.query(
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
      [tokenHash],
    );
    if (!row) return null;
    return {
      tokenId: row.token_id,
      scopes: row.scopes,
      user: { id: row.id, name: row.name, role: row.role, unitId: row.unit_id, active: row.active },
      revoked: row.revoked_at !== null,
      expired: row.expired,
    };
  }

  /** The user's tokens, newest first. */
  async listOf<Scope extends string>(
    m: EntityManager,
    userId: string,
  ): Promise<ApiTokenRecord<Scope>[]> {
    const rows: {
      id: string;
      name: string;
      scopes: Scope[];
      created_at: Date;
      expires_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
      expired: boolean;
    }[] = await m.query(
      `SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at,
              expires_at <= now() AS expired
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`,
      [userId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: r.scopes,
      createdAt: new Date(r.created_at),
      expiresAt: new Date(r.expires_at),
      lastUsedAt: date(r.last_used_at),
      revokedAt: date(r.revoked_at),
      expired: r.expired,
    }));
  }

  /** Revokes one of the user's tokens that is not revoked yet; false if there is none. */
  async revoke(m: EntityManager, id: string, userId: string, at: Date): Promise<boolean> {
    const [rows]: [unknown[], number] = await m.query(
      `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [id, userId, at],
    );
    return rows.length > 0;
  }

  /** Revokes all of the user's tokens; returns how many. */
  async revokeAll(m: EntityManager, userId: string): Promise<number> {
    const [, revoked]: [unknown[], number] = await m.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return revoked;
  }
}
