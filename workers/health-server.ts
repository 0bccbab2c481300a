import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../src/config/config.js';
import type { Transactor } from '../src/database/transactor.js';
import type { HealthRepository } from '../src/health/health.repository.js';
import type { MetricsService } from '../src/metrics/metrics.service.js';
import { QueueName } from '../src/queue/job-registry.js';
import type { JobQueue } from '../src/queue/job-queue.service.js';

/** Resolves with `work`'s outcome, or rejects after `ms`. */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const probe = (work: () => Promise<unknown>) =>
  within(3000, work()).then(
    () => ({ status: 'up' as const }),
    (error: unknown) => ({
      status: 'down' as const,
      error: error instanceof Error ? error.message : String(error),
    }),
  );

/**
 * A worker's own health and metrics, for a container health check and Prometheus: GET /health
 * (database and queue reachable: 200, else 503) and GET /metrics (this process's messages sent,
 * reminder lag, queue depth …; with METRICS_TOKEN, that bearer token is required).
 */
export async function startWorkerHealthServer(
  port: number,
  deps: {
    tx: Transactor;
    health: HealthRepository;
    queue: JobQueue;
    metrics: MetricsService;
    config: AppConfig;
  },
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    void (async () => {
      if (req.method !== 'GET') {
        res.writeHead(405).end();
      } else if (path === '/health') {
        const [database, queue] = await Promise.all([
          probe(() => deps.health.ping(deps.tx.manager)),
          probe(() => deps.queue.ping(QueueName.Reminders)),
        ]);
        const ok = database.status === 'up' && queue.status === 'up';
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({
            status: ok ? 'ok' : 'unavailable',
            role: 'worker',
            database,
            queue: { ...queue, backend: deps.queue.backendKind },
          }),
        );
      } else if (path === '/metrics') {
        const token = deps.config.metricsToken;
        if (token && req.headers.authorization !== `Bearer ${token}`) {
          res
            .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
            .end('需要 METRICS_TOKEN');
          return;
        }
        const { contentType, body } = await deps.metrics.render();
        res.writeHead(200, { 'content-type': contentType }).end(body);
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, done);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
