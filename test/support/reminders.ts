import { reminderJobId } from '../../src/reminders/reminder-scheduler.service.js';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobQueue } from '../../src/queue/job-queue.service.js';
import { QueueName, SENTINEL_JOB_ID } from '../../src/queue/job-registry.js';
import type { TestApp } from './app.js';

export interface OccurrenceRow {
  id: string;
  source: string;
  key: string;
  status: 'scheduled' | 'fired' | 'skipped' | 'cancelled';
  reason: string | null;
  fireAt: Date;
  queued: boolean;
}

/** The stored reminder plan of a task or milestone, in firing order. */
export async function occurrencesOf(db: DataSource, subjectId: string): Promise<OccurrenceRow[]> {
  const rows: {
    id: string;
    source: string;
    occurrence_key: string;
    status: OccurrenceRow['status'];
    reason: string | null;
    fire_at: Date;
    queued_at: Date | null;
  }[] = await db.query(
    `SELECT id, source, occurrence_key, status, reason, fire_at, queued_at FROM reminder_occurrences
      WHERE subject_id = $1 ORDER BY fire_at, occurrence_key`,
    [subjectId],
  );
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    key: r.occurrence_key,
    status: r.status,
    reason: r.reason,
    fireAt: new Date(r.fire_at),
    queued: r.queued_at !== null,
  }));
}

/** The queue job that fires an occurrence, if it is on the queue. */
export async function jobOf(app: TestApp, occurrenceId: string): Promise<Job | undefined> {
  const [row]: { fire_at: Date }[] = await app.db.query(
    `SELECT fire_at FROM reminder_occurrences WHERE id = $1`,
    [occurrenceId],
  );
  if (!row) return undefined;
  return app.app
    .get(JobQueue)
    .queue(QueueName.Reminders)
    .getJob(reminderJobId({ id: occurrenceId, fireAt: new Date(row.fire_at) }));
}

/** Empties the queues' data as a flushed Redis or emptied job tables would (sentinels included). */
export async function wipeQueues(app: TestApp): Promise<void> {
  const queue = app.app.get(JobQueue);
  for (const name of Object.values(QueueName)) {
    const q = queue.queue(name);
    await q.obliterate({ force: true });
  }
  for (const name of Object.values(QueueName)) {
    if (await queue.queue(name).getJob(SENTINEL_JOB_ID)) throw new Error('sentinel survived');
  }
}
