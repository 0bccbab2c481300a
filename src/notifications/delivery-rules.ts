/**
 * When a failed delivery is tried again. Pure: no Nest, no database.
 *
 * The delays grow from `baseMs` (30 s by default): 30 s, 1 min, 2 min, 5 min, 10 min, 20 min,
 * 30 min, 1 h, 2 h, 3 h, 4 h, 6 h, 6 h, 6 h — about a day in all, so a mail server that is down
 * for hours gets every message once it is back. After the last attempt the message is
 * dead-lettered: it stays `failed`, visible in the delivery ledger, and can be retried by hand.
 */
const STEPS = [1, 2, 4, 10, 20, 40, 60, 120, 240, 360, 480, 720, 720, 720];

/** The delay after failed attempt `attempt` (1-based), or null when no attempt is left. */
export function retryDelayMs(attempt: number, baseMs: number, maxAttempts: number): number | null {
  if (attempt >= maxAttempts) return null;
  const step = STEPS[Math.min(attempt, STEPS.length) - 1];
  return step * baseMs;
}

/** The total time the automatic retries of one message span. */
export function retrySpanMs(baseMs: number, maxAttempts: number): number {
  let total = 0;
  for (let attempt = 1; ; attempt++) {
    const delay = retryDelayMs(attempt, baseMs, maxAttempts);
    if (delay === null) return total;
    total += delay;
  }
}

/** A message has been claimed for this long: a sender that died mid-send is replaced after it. */
export const DELIVERY_LEASE_MS = 120_000;
