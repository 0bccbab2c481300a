import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../auth/permissions.js';
import { findPage, type Page } from '../common/paging.js';
import { User } from './user.entity.js';

/** What an admin may change about an account, as it is now. */
export interface AccountState {
  email: string;
  name: string;
  role: Role;
  unitId: string | null;
  active: boolean;
}

/** An account with what signing in checks. */
export interface Credentials {
  id: string;
  email: string;
  name: string;
  role: Role;
  unitId: string | null;
  active: boolean;
  passwordHash: string | null;
  mustChangePassword: boolean;
}

const CREDENTIALS = `SELECT id, email, name, role, unit_id AS "unitId", active,
  password_hash AS "passwordHash", must_change_password AS "mustChangePassword" FROM users`;

/** Accounts (`users`). */
@Injectable()
export class UsersRepository {
  /** Oldest first. */
  async page(m: EntityManager, paging: { page: number; pageSize: number }): Promise<Page<User>> {
    return findPage(paging, (w) =>
      m.getRepository(User).findAndCount({ order: { createdAt: 'ASC' }, ...w }),
    );
  }

  async find(m: EntityManager, id: string): Promise<User | null> {
    return m.getRepository(User).findOneBy({ id });
  }

  async count(m: EntityManager): Promise<number> {
    const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM users`);
    return n;
  }

  /** Whether an account has this address (compared in lower case). */
  async emailTaken(m: EntityManager, email: string): Promise<boolean> {
    const [row]: unknown[] = await m.query(`SELECT 1 FROM users WHERE lower(email) = $1`, [email]);
    return row !== undefined;
  }

  async insert(
    m: EntityManager,
    fields: { email: string; name: string; role: Role; unitId: string | null },
    passwordHash: string | null,
  ): Promise<User> {
    const repo = m.getRepository(User);
    const saved = await repo.save(repo.create({ ...fields, passwordHash, active: true }));
    // Read back as every other read of an account is: without the password hash.
    return (await this.find(m, saved.id))!;
  }

  /** Changes that could leave no admin take turns (held until the transaction ends). */
  async lockAdmins(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:admins'))`);
  }

  /** The account, row-locked for a change in the caller's transaction; null if unknown. */
  async lockState(m: EntityManager, id: string): Promise<AccountState | null> {
    const [row]: {
      email: string;
      name: string;
      role: Role;
      unit_id: string | null;
      active: boolean;
    }[] = await m.query(
      `SELECT email, name, role, unit_id, active FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row
      ? {
          email: row.email,
          name: row.name,
          role: row.role,
          unitId: row.unit_id,
          active: row.active,
        }
      : null;
  }

  async otherActiveAdmins(m: EntityManager, id: string): Promise<number> {
    const [{ others }]: { others: number }[] = await m.query(
      `SELECT count(*)::int AS others FROM users WHERE role = 'admin' AND active AND id <> $1`,
      [id],
    );
    return others;
  }

  async update(
    m: EntityManager,
    id: string,
    next: { name: string; role: Role; unitId: string | null; active: boolean },
  ): Promise<void> {
    await m.query(
      `UPDATE users SET name = $2, role = $3, unit_id = $4, active = $5, updated_at = now()
        WHERE id = $1`,
      [id, next.name, next.role, next.unitId, next.active],
    );
  }

  async emailOf(m: EntityManager, id: string): Promise<string | null> {
    const [user]: { email: string }[] = await m.query(`SELECT email FROM users WHERE id = $1`, [
      id,
    ]);
    return user?.email ?? null;
  }

  /** The account signing in with this address (lower case), with its password hash. */
  async credentialsByEmail(m: EntityManager, email: string): Promise<Credentials | null> {
    const [row]: Credentials[] = await m.query(`${CREDENTIALS} WHERE lower(email) = $1`, [email]);
    return row ?? null;
  }

  async credentialsOf(m: EntityManager, id: string): Promise<Credentials | null> {
    const [row]: Credentials[] = await m.query(`${CREDENTIALS} WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * A temporary password from an admin's reset: the user must choose their own at the next
   * sign-in. Returns the account's address; null for an unknown account.
   */
  async setTemporaryPassword(m: EntityManager, id: string, hash: string): Promise<string | null> {
    const [[user]]: [{ email: string }[], number] = await m.query(
      `UPDATE users SET password_hash = $2, must_change_password = true,
              password_changed_at = now(), updated_at = now()
        WHERE id = $1 RETURNING email`,
      [id, hash],
    );
    return user?.email ?? null;
  }

  /**
   * The user's own new password, written only if the current one is still `expected` (nobody
   * changed it since it was checked). Returns whether it was written.
   */
  async replacePassword(
    m: EntityManager,
    id: string,
    hash: string,
    expected: string | null,
  ): Promise<boolean> {
    const [[changed]]: [{ id: string }[], number] = await m.query(
      `UPDATE users SET password_hash = $2, must_change_password = false,
              password_changed_at = now(), updated_at = now()
        WHERE id = $1 AND password_hash IS NOT DISTINCT FROM $3 RETURNING id`,
      [id, hash, expected],
    );
    return changed !== undefined;
  }
}
