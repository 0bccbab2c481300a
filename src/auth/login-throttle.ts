/**
 * When a sign-in may be tried. Pure: the service reads the counts from `login_attempts` and asks.
 *
 * Failures are counted per (account, client address): someone guessing from elsewhere slows
 * themselves down, never the real user at their own desk. After a few free failures each further
 * one doubles the wait, up to a cap. A much higher ceiling per address, across all accounts,
 * stops one address from trying many accounts (credential stuffing) while a school behind one
 * NAT address signs in as usual.
 */
export const LOGIN_THROTTLE = {
  /** Failures of one account from one address before any wait. */
  freeFailures: 5,
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  firstDelaySeconds: 60,
  maxDelaySeconds: 3600,
  /** Failures older than this no longer count for an account and address. */
  failureMemorySeconds: 24 * 3600,
  /** Failures from one address, across all accounts, within `addressWindowSeconds`. */
  addressMaxFailures: 100,
  addressWindowSeconds: 3600,
  /** `login_attempts` rows are kept this long. */
  retentionDays: 30,
} as const;

export type RefusalReason = 'account_address_delay' | 'address_ceiling';

export interface ThrottleState {
  now: Date;
  /** Failures of this account from this address since its last success there or an admin unlock. */
  pairFailures: number;
  lastPairFailureAt: Date | null;
  /** Failures from this address within the address window, any account. */
  addressFailures: number;
  oldestAddressFailureAt: Date | null;
}

export type ThrottleDecision =
  { allowed: true } | { allowed: false; reason: RefusalReason; retryAfterSeconds: number };

/** The wait imposed after `failures` failures of one account from one address (0 = none). */
export function pairDelaySeconds(failures: number): number {
  const beyond = failures - LOGIN_THROTTLE.freeFailures;
  if (beyond < 0) return 0;
  return Math.min(LOGIN_THROTTLE.firstDelaySeconds * 2 ** beyond, LOGIN_THROTTLE.maxDelaySeconds);
}

export function decideLogin(state: ThrottleState): ThrottleDecision {
  const now = state.now.getTime();
  const waits: { reason: RefusalReason; until: number }[] = [];
  const delay = pairDelaySeconds(state.pairFailures);
  if (delay > 0 && state.lastPairFailureAt) {
    waits.push({
      reason: 'account_address_delay',
      until: state.lastPairFailureAt.getTime() + delay * 1000,
    });
  }
  if (state.addressFailures >= LOGIN_THROTTLE.addressMaxFailures && state.oldestAddressFailureAt) {
    waits.push({
      reason: 'address_ceiling',
      until: state.oldestAddressFailureAt.getTime() + LOGIN_THROTTLE.addressWindowSeconds * 1000,
    });
  }
  const blocking = waits.filter((w) => w.until > now).sort((a, b) => b.until - a.until)[0];
  if (!blocking) return { allowed: true };
  return {
    allowed: false,
    reason: blocking.reason,
    retryAfterSeconds: Math.max(1, Math.ceil((blocking.until - now) / 1000)),
  };
}

/** "30 秒", "5 分钟", "1 小时" — the wait as a person reads it. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} 秒`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟`;
  return `${Math.ceil(minutes / 60)} 小时`;
}
