import type { DataSource } from 'typeorm';

/** Advisory lock keys of Duban (one namespace: the first key; the job: the second). */
export const LOCK_NAMESPACE = 0x64756261; // "duba"
export const LOCKS = {
  reconciler: 1,
} as const;

/**
 * Runs `work` while holding a session advisory lock on a connection of its own, if no other
 * process holds it; otherwise returns null at once. The lock goes when the work ends or its
 * connection dies, so a crashed process never keeps it.
 */
export async function withTryLock<T>(
  db: DataSource,
  lock: keyof typeof LOCKS,
  work: () => Promise<T>,
): Promise<T | null> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }]: { locked: boolean }[] = await runner.query(
      'SELECT pg_try_advisory_lock($1, $2) AS locked',
      [LOCK_NAMESPACE, LOCKS[lock]],
    );
    if (!locked) return null;
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCKS[lock]]);
    }
  } finally {
    await runner.release();
  }
}
