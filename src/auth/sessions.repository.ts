import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from './permissions.js';

/** The account a credential belongs to, as every request needs it. */
export interface CredentialOwner {
  id: string;
  name: string;
  role: Role;
  unitId: string | null;
  active: boolean;
}

/** A session found for a request. */
export interface FoundSession {
  user: CredentialOwner & { mustChangePassword: boolean };
  revoked: boolean;
  expired: boolean;
}

/** Sign-ins (`sessions`): one row per sign-in, ended by expiry or revocation. */
@Injectable()
export class SessionsRepository {
  async open(
    m: EntityManager,
    s: { userId: string; ttlSeconds: number; ip: string | null; userAgent: string | null },
  ): Promise<{ id: string; expiresAt: Date }> {
    const [row]: { id: string; expires_at: Date }[] = await m.query(
      `INSERT INTO sessions (user_id, expires_at, ip, user_agent)
       VALUES ($1, now() + make_interval(secs => $2), $3, $4) RETURNING id, expires_at`,
      [s.userId, s.ttlSeconds, s.ip, s.userAgent],
    );
    return { id: row.id, expiresAt: new Date(row.expires_at) };
  }

  /**
   * The session and its user, in one indexed statement; marks it seen (at most once a minute).
   * Null when there is no such session of that user.
   */
  async findForRequest(
    m: EntityManager,
    sessionId: string,
    userId: string,
  ): Promise<FoundSession | null> {
    const [row]: {
      revoked_at: Date | null;
      expired: boolean;
      id: string;
      name: string;
      role: Role;
      unit_id: string | null;
      active: boolean;
      must_change_password: boolean;
    }[] = await m.query(
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
      [sessionId, userId],
    );
    if (!row) return null;
    return {
      user: {
        id: row.id,
        name: row.name,
        role: row.role,
        unitId: row.unit_id,
        active: row.active,
        mustChangePassword: row.must_change_password,
      },
      revoked: row.revoked_at !== null,
      expired: row.expired,
    };
  }

  /** Ends one open session of the user. */
  async revoke(m: EntityManager, sessionId: string, userId: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $3
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [sessionId, userId, reason],
    );
  }

  /** Ends the user's open sessions but `except`; returns how many. */
  async revokeAll(
    m: EntityManager,
    userId: string,
    reason: string,
    except: string | null,
  ): Promise<number> {
    const [, ended]: [unknown[], number] = await m.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [userId, reason, except],
    );
    return ended;
  }

  /** Deletes sessions that expired more than `days` ago; returns how many. */
  async pruneEnded(m: EntityManager, days: number): Promise<number> {
    const [, deleted]: [unknown[], number] = await m.query(
      `DELETE FROM sessions WHERE expires_at < now() - make_interval(days => $1)`,
      [days],
    );
    return deleted;
  }
}
