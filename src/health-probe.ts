/**
 * Container health check: asks the process's health endpoint and exits 0 when it answers 200.
 * HEALTH_URL overrides the address (workers: http://127.0.0.1:<WORKER_HEALTH_PORT>/health).
 */
const url =
  process.env.HEALTH_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}/api/v1/health`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
