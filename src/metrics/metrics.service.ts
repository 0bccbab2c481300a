import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JobQueue } from '../queue/job-queue.service.js';
import { QueueName } from '../queue/job-registry.js';

/**
 * Prometheus metrics of one process (`GET /metrics` on the API, on WORKER_HEALTH_PORT for
 * workers). Counters are per process, as Prometheus expects; sum them across processes.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  /** Messages delivered, failed (to be retried), dead-lettered and skipped, by kind and channel. */
  readonly messages = new Counter({
    name: 'duban_messages_total',
    help: 'Messages by kind, channel and outcome (sent, failed, dead, skipped)',
    labelNames: ['kind', 'channel', 'outcome'] as const,
    registers: [this.registry],
  });

  /** From a reminder's planned time to its message being accepted by the mail server. */
  readonly reminderLag = new Histogram({
    name: 'duban_reminder_lag_seconds',
    help: 'Seconds from a reminder’s planned time to its delivery',
    labelNames: ['source', 'channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly reconcileDuration = new Histogram({
    name: 'duban_reconcile_duration_seconds',
    help: 'Duration of reconcile passes',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'duban_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(private readonly queue: JobQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: 'duban_process_' });
    const jobs = new Gauge({
      name: 'duban_queue_jobs',
      help: 'Jobs in each queue by state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      // Read from the queue's datastore when scraped.
      collect: async () => {
        for (const name of Object.values(QueueName)) {
          try {
            const counts = await this.queue.counts(name);
            for (const [state, n] of Object.entries(counts)) jobs.set({ queue: name, state }, n);
          } catch {
            // The queue is unreachable: health says so; the gauge keeps its last values.
          }
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
