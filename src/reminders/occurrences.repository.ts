import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type FiringOccurrence,
  type PlannedOccurrence,
  type ReminderSourceName,
  SKIP_REASON,
  type SubjectPlan,
} from './reminder-source.js';

export interface QueuedOccurrence {
  id: string;
  fireAt: Date;
}

interface OccurrenceRow {
  id: string;
  source: ReminderSourceName;
  subject_id: string;
  task_id: string | null;
  milestone_id: string | null;
  occurrence_key: string;
  fire_at: Date;
  detail: Record<string, unknown>;
}

/** The stored reminder plan (`reminder_occurrences`). */
@Injectable()
export class OccurrencesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Replaces the scheduled occurrences of the given subjects by their new plans, in the caller's
   * transaction: what was scheduled and is not planned any more is cancelled; what is planned is
   * scheduled (or revived, if it had been cancelled), or recorded as skipped when it was due
   * before its subject's plan started. Occurrences already fired or skipped stay as they are, so
   * the same reminder of the same deadline is never sent twice. Returns the scheduled ones.
   */
  async replan(
    m: EntityManager,
    source: ReminderSourceName,
    plans: readonly SubjectPlan[],
    reason: string,
  ): Promise<QueuedOccurrence[]> {
    const scheduled: QueuedOccurrence[] = [];
    for (let i = 0; i < plans.length; i += 2000) {
      const batch = plans.slice(i, i + 2000);
      await m.query(
        `UPDATE reminder_occurrences SET status = 'cancelled', reason = $3, updated_at = now()
          WHERE source = $1 AND subject_id = ANY($2::uuid[]) AND status = 'scheduled'`,
        [source, batch.map((p) => p.subjectId), reason],
      );
      const rows = batch.flatMap((p) =>
        p.occurrences.map((o) => ({
          plan: p,
          o,
          skipped: o.fireAt.getTime() < p.plannedAt.getTime(),
        })),
      );
      for (let j = 0; j < rows.length; j += 5000) {
        const chunk = rows.slice(j, j + 5000);
        const result: { id: string; fire_at: Date; status: string }[] = await m.query(
          `INSERT INTO reminder_occurrences (source, subject_id, task_id, milestone_id, occurrence_key,
                                             fire_at, status, reason, detail)
           SELECT $1, r.subject_id, r.task_id, r.milestone_id, r.occurrence_key, r.fire_at, r.status,
                  r.reason, r.detail
             FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[],
                         $7::text[], $8::text[], $9::jsonb[])
                  AS r(subject_id, task_id, milestone_id, occurrence_key, fire_at, status, reason, detail)
           ON CONFLICT (source, subject_id, occurrence_key) DO UPDATE
              SET status = EXCLUDED.status, reason = EXCLUDED.reason, fire_at = EXCLUDED.fire_at,
                  detail = EXCLUDED.detail, queued_at = NULL, updated_at = now()
            WHERE reminder_occurrences.status = 'cancelled'
           RETURNING id, fire_at, status`,
          [
            source,
            chunk.map((r) => r.plan.subjectId),
            chunk.map((r) => r.plan.taskId),
            chunk.map((r) => r.plan.milestoneId),
            chunk.map((r) => r.o.key),
            chunk.map((r) => r.o.fireAt.toISOString()),
            chunk.map((r) => (r.skipped ? 'skipped' : 'scheduled')),
            chunk.map((r) => (r.skipped ? SKIP_REASON.pastWhenScheduled : null)),
            chunk.map((r) => JSON.stringify(r.o.detail)),
          ],
        );
        for (const r of result) {
          if (r.status === 'scheduled') scheduled.push({ id: r.id, fireAt: new Date(r.fire_at) });
        }
      }
    }
    return scheduled;
  }

  /** Adds occurrences to a subject's plan without touching the rest (in the caller's transaction). */
  async add(
    m: EntityManager,
    source: ReminderSourceName,
    fired: FiringOccurrence,
    occurrences: readonly PlannedOccurrence[],
  ): Promise<QueuedOccurrence[]> {
    if (occurrences.length === 0) return [];
    const rows: { id: string; fire_at: Date }[] = await m.query(
      `INSERT INTO reminder_occurrences (source, subject_id, task_id, milestone_id, occurrence_key,
                                         fire_at, status, detail)
       SELECT $1, $2, $3, $4, o.key, o.fire_at, 'scheduled', o.detail
         FROM unnest($5::text[], $6::timestamptz[], $7::jsonb[]) AS o(key, fire_at, detail)
       ON CONFLICT (source, subject_id, occurrence_key) DO NOTHING
       RETURNING id, fire_at`,
      [
        source,
        fired.subjectId,
        fired.taskId,
        fired.milestoneId,
        occurrences.map((o) => o.key),
        occurrences.map((o) => o.fireAt.toISOString()),
        occurrences.map((o) => JSON.stringify(o.detail)),
      ],
    );
    return rows.map((r) => ({ id: r.id, fireAt: new Date(r.fire_at) }));
  }

  /** Cancels everything still scheduled for these subjects (in the caller's transaction). */
  async cancel(
    m: EntityManager,
    source: ReminderSourceName,
    subjectIds: readonly string[],
    reason: string,
  ): Promise<void> {
    await m.query(
      `UPDATE reminder_occurrences SET status = 'cancelled', reason = $3, updated_at = now()
        WHERE source = $1 AND subject_id = ANY($2::uuid[]) AND status = 'scheduled'`,
      [source, subjectIds, reason],
    );
  }

  /** Locks the task an occurrence belongs to (if any), as a change of that task would. */
  async lockTaskOf(m: EntityManager, occurrenceId: string): Promise<void> {
    await m.query(
      `SELECT t.id FROM reminder_occurrences o JOIN tasks t ON t.id = o.task_id
        WHERE o.id = $1 FOR NO KEY UPDATE OF t`,
      [occurrenceId],
    );
  }

  /**
   * Takes an occurrence for firing: only a scheduled one, once. A change of its subject committed
   * first (which cancels it) wins; otherwise the firing wins and the change waits for it.
   */
  async take(m: EntityManager, id: string, fireAt: Date | null): Promise<FiringOccurrence | null> {
    const [rows]: [OccurrenceRow[], number] = await m.query(
      `UPDATE reminder_occurrences SET status = 'fired', fired_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'scheduled' AND ($2::timestamptz IS NULL OR fire_at = $2)
        RETURNING id, source, subject_id, task_id, milestone_id, occurrence_key, fire_at, detail`,
      [id, fireAt?.toISOString() ?? null],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      source: r.source,
      subjectId: r.subject_id,
      taskId: r.task_id,
      milestoneId: r.milestone_id,
      key: r.occurrence_key,
      fireAt: new Date(r.fire_at),
      detail: r.detail,
    };
  }

  /** Records why a taken occurrence sent nothing. */
  async settle(
    m: EntityManager,
    id: string,
    status: 'cancelled' | 'skipped',
    reason: string,
  ): Promise<void> {
    await m.query(
      `UPDATE reminder_occurrences SET status = $2, reason = $3, updated_at = now() WHERE id = $1`,
      [id, status, reason],
    );
  }

  /**
   * Occurrences that should have fired more than `graceMs` ago and are still scheduled (their job
   * was lost or nothing ran): per subject, all but the latest are marked superseded; the latest of
   * each subject is returned, to be fired late — once, not as a storm.
   */
  async catchUp(graceMs: number, reason: string, limit: number): Promise<QueuedOccurrence[]> {
    return this.db.transaction(async (m) => {
      await m.query(
        `UPDATE reminder_occurrences o SET status = 'skipped', reason = $2, updated_at = now()
           FROM (SELECT id, row_number() OVER (PARTITION BY source, subject_id ORDER BY fire_at DESC, id DESC) AS n
                   FROM reminder_occurrences
                  WHERE status = 'scheduled' AND fire_at < now() - make_interval(secs => $1 / 1000.0)) late
          WHERE o.id = late.id AND late.n > 1`,
        [graceMs, reason],
      );
      const rows: { id: string; fire_at: Date }[] = await m.query(
        `SELECT id, fire_at FROM reminder_occurrences
          WHERE status = 'scheduled' AND fire_at < now() - make_interval(secs => $1 / 1000.0)
          ORDER BY fire_at LIMIT $2`,
        [graceMs, limit],
      );
      return rows.map((r) => ({ id: r.id, fireAt: new Date(r.fire_at) }));
    });
  }

  /** Scheduled occurrences due before `until` that are not on the queue yet (oldest first). */
  async unqueued(until: Date, limit: number): Promise<QueuedOccurrence[]> {
    const rows: { id: string; fire_at: Date }[] = await this.db.query(
      `SELECT id, fire_at FROM reminder_occurrences
        WHERE status = 'scheduled' AND fire_at < $1 AND queued_at IS NULL
        ORDER BY fire_at LIMIT $2`,
      [until, limit],
    );
    return rows.map((r) => ({ id: r.id, fireAt: new Date(r.fire_at) }));
  }

  async markQueued(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE reminder_occurrences SET queued_at = now() WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [ids],
    );
  }

  /** After a queue was wiped: everything scheduled must be queued again. */
  async forgetQueued(): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE reminder_occurrences SET queued_at = NULL WHERE status = 'scheduled' AND queued_at IS NOT NULL`,
    );
    return count;
  }

  /** True when a source has no occurrence at all. */
  async isEmpty(source: ReminderSourceName): Promise<boolean> {
    const [row]: unknown[] = await this.db.query(
      `SELECT 1 FROM reminder_occurrences WHERE source = $1 LIMIT 1`,
      [source],
    );
    return row === undefined;
  }
}
