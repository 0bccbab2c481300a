import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ThrottleState } from './login-throttle.js';

export type AttemptOutcome = 'pending' | 'refused' | 'succeeded' | 'failed';

/**
 * Sign-in attempts (`login_attempts`): what the sign-in delays count. An admin's unlock or a
 * password reset is recorded as an `unlocked` row for the account.
 */
@Injectable()
export class LoginAttemptsRepository {
  /**
   * Locks the address, then the account (held until the transaction ends): one order, no
   * deadlock.
   */
  async lock(m: EntityManager, address: string, email: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:login-address'), hashtext($1))`, [
      address,
    ]);
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:login-account'), hashtext($1))`, [
      email,
    ]);
  }

  /**
   * The counts the throttle decides on: failures of the account from the address since the
   * later of `memorySeconds` ago, its last success there and its last unlock; failures from the
   * address within `addressWindowSeconds`.
   */
  async throttleState(
    m: EntityManager,
    email: string,
    address: string,
    memorySeconds: number,
    addressWindowSeconds: number,
  ): Promise<ThrottleState> {
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
      [email, address, memorySeconds, addressWindowSeconds],
    );
    return {
      now: new Date(state.now),
      pairFailures: state.pair_failures,
      lastPairFailureAt: state.last_pair_failure && new Date(state.last_pair_failure),
      addressFailures: state.address_failures,
      oldestAddressFailureAt:
        state.oldest_address_failure && new Date(state.oldest_address_failure),
    };
  }

  async insert(
    m: EntityManager,
    a: {
      email: string;
      address: string | null;
      userAgent?: string | null;
      outcome: AttemptOutcome | 'unlocked';
      reason: string | null;
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO login_attempts (email, ip, user_agent, outcome, reason)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [a.email, a.address, a.userAgent ?? null, a.outcome, a.reason],
    );
    return String(row.id);
  }

  async settle(
    m: EntityManager,
    id: string,
    outcome: 'succeeded' | 'failed',
    reason: string | null,
  ): Promise<void> {
    await m.query(`UPDATE login_attempts SET outcome = $2, reason = $3 WHERE id = $1`, [
      id,
      outcome,
      reason,
    ]);
  }

  /** Deletes attempts older than `days`; returns how many. */
  async prune(m: EntityManager, days: number): Promise<number> {
    const [, deleted]: [unknown[], number] = await m.query(
      `DELETE FROM login_attempts WHERE at < now() - make_interval(days => $1)`,
      [days],
    );
    return deleted;
  }
}
