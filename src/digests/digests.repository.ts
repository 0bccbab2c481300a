import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { LOCK_NAMESPACE } from '../database/advisory-lock.js';
import { OPEN_SQL, type TaskStatus } from '../tasks/task-state.js';
import type { DigestTask, PendingExtension, ProgressCounts } from './digest-content.js';

/** Second key of the advisory lock one digest run holds (first key: LOCK_NAMESPACE). */
const DIGEST_LOCK = 100;

const WORKING_SQL = `('assigned', 'acknowledged', 'in_progress')`;

interface TaskDigestRow {
  id: string;
  plan_id: string;
  plan_title: string;
  item_number: number;
  item_title: string;
  unit_id: string;
  unit_name: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  due_at: Date;
  escalation_level: 'none' | 'yellow' | 'red';
  return_comment: string | null;
}

const TASK_SELECT = `t.id, i.plan_id, p.title AS plan_title, i.number AS item_number,
  i.title AS item_title, t.unit_id, u.name AS unit_name, t.role, t.status, t.due_at,
  t.escalation_level`;
const TASK_JOIN = `FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
  JOIN units u ON u.id = t.unit_id`;

function digestTask(r: TaskDigestRow): DigestTask {
  return {
    taskId: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    itemNumber: r.item_number,
    itemTitle: r.item_title,
    unitId: r.unit_id,
    unitName: r.unit_name,
    role: r.role,
    status: r.status,
    dueAt: new Date(r.due_at),
    escalation: r.escalation_level,
    returnComment: r.return_comment ?? null,
  };
}

/** Counts of one (plan, section, unit). */
export interface CountsRow {
  planId: string;
  sectionId: string;
  unitId: string;
  counts: ProgressCounts;
}

export interface PlanOutline {
  id: string;
  title: string;
  docNumber: string | null;
  sections: { id: string; ordinal: number; title: string | null }[];
}

/**
 * Everything a week's digests read, each in one query over all units and plans — never a query
 * per unit or per task — and the once-per-week guard.
 */
@Injectable()
export class DigestsRepository {
  /** Units, by name (`unitId` given: that unit only). */
  async units(m: EntityManager, unitId?: string): Promise<{ id: string; name: string }[]> {
    return unitId
      ? m.query(`SELECT id, name FROM units WHERE id = $1`, [unitId])
      : m.query(`SELECT id, name FROM units ORDER BY name`);
  }

  /**
   * Open tasks overdue or due before `until`, and every returned task (with the comment it was
   * returned with), of every unit (or of one). Unordered: each digest sorts its own lists.
   */
  async tasks(m: EntityManager, until: Date, unitId?: string): Promise<DigestTask[]> {
    const rows: TaskDigestRow[] = await m.query(
      `SELECT ${TASK_SELECT},
              CASE WHEN t.status = 'returned' THEN
                (SELECT s.decision_comment FROM submissions s
                  WHERE s.task_id = t.id AND s.status = 'returned'
                  ORDER BY s.number DESC LIMIT 1) END AS return_comment
         ${TASK_JOIN}
        WHERE t.status IN ${OPEN_SQL} AND (t.due_at < $1 OR t.status = 'returned')
          AND ($2::uuid IS NULL OR t.unit_id = $2)`,
      [until, unitId ?? null],
    );
    return rows.map(digestTask);
  }

  /** Extension requests awaiting a decision, of every unit (or of one). */
  async pendingExtensions(m: EntityManager, unitId?: string): Promise<PendingExtension[]> {
    const rows: (TaskDigestRow & { proposed_due_date: string; requested_at: Date })[] =
      await m.query(
        `SELECT ${TASK_SELECT}, NULL AS return_comment,
                to_char(e.proposed_due_date, 'YYYY-MM-DD') AS proposed_due_date,
                e.created_at AS requested_at
           FROM extension_requests e JOIN tasks t ON t.id = e.task_id
           JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
           JOIN units u ON u.id = t.unit_id
          WHERE e.status = 'pending' AND ($1::uuid IS NULL OR t.unit_id = $1)`,
        [unitId ?? null],
      );
    return rows.map((r) => ({
      task: digestTask(r),
      proposedDueDate: r.proposed_due_date,
      requestedAt: new Date(r.requested_at),
    }));
  }

  /**
   * Task counts per (plan, section, unit) of every plan that still has open work, judged at
   * `asOf` (overdue) and `soonUntil` (due soon).
   */
  async counts(m: EntityManager, asOf: Date, soonUntil: Date): Promise<CountsRow[]> {
    const rows: {
      plan_id: string;
      section_id: string;
      unit_id: string;
      total: number;
      closed: number;
      overdue: number;
      due_soon: number;
      returned: number;
      yellow: number;
      red: number;
    }[] = await m.query(
      `WITH active AS (
         SELECT DISTINCT i.plan_id FROM tasks t JOIN items i ON i.id = t.item_id
          WHERE t.status IN ${OPEN_SQL})
       SELECT i.plan_id, i.section_id, t.unit_id,
              count(*) FILTER (WHERE t.status <> 'cancelled')::int AS total,
              count(*) FILTER (WHERE t.status = 'closed')::int AS closed,
              count(*) FILTER (WHERE t.status IN ${OPEN_SQL} AND t.due_at < $1)::int AS overdue,
              count(*) FILTER (WHERE t.status IN ${WORKING_SQL}
                                 AND t.due_at >= $1 AND t.due_at < $2)::int AS due_soon,
              count(*) FILTER (WHERE t.status = 'returned')::int AS returned,
              count(*) FILTER (WHERE t.status IN ${OPEN_SQL}
                                 AND t.escalation_level = 'yellow')::int AS yellow,
              count(*) FILTER (WHERE t.status IN ${OPEN_SQL}
                                 AND t.escalation_level = 'red')::int AS red
         FROM tasks t JOIN items i ON i.id = t.item_id
        WHERE i.plan_id IN (SELECT plan_id FROM active)
        GROUP BY i.plan_id, i.section_id, t.unit_id`,
      [asOf, soonUntil],
    );
    return rows.map((r) => ({
      planId: r.plan_id,
      sectionId: r.section_id,
      unitId: r.unit_id,
      counts: {
        total: r.total,
        closed: r.closed,
        overdue: r.overdue,
        dueSoon: r.due_soon,
        returned: r.returned,
        yellow: r.yellow,
        red: r.red,
      },
    }));
  }

  /** Plans with their sections, in order. */
  async outlines(m: EntityManager, planIds: readonly string[]): Promise<PlanOutline[]> {
    if (planIds.length === 0) return [];
    const rows: {
      plan_id: string;
      plan_title: string;
      doc_number: string | null;
      section_id: string | null;
      ordinal: number | null;
      section_title: string | null;
    }[] = await m.query(
      `SELECT p.id AS plan_id, p.title AS plan_title, p.doc_number, s.id AS section_id,
              s.ordinal, s.title AS section_title
         FROM plans p LEFT JOIN sections s ON s.plan_id = p.id
        WHERE p.id = ANY($1::uuid[])
        ORDER BY p.year DESC, p.imported_at DESC, s.ordinal`,
      [planIds],
    );
    const plans = new Map<string, PlanOutline>();
    for (const r of rows) {
      let plan = plans.get(r.plan_id);
      if (!plan) {
        plan = { id: r.plan_id, title: r.plan_title, docNumber: r.doc_number, sections: [] };
        plans.set(r.plan_id, plan);
      }
      if (r.section_id !== null) {
        plan.sections.push({ id: r.section_id, ordinal: r.ordinal!, title: r.section_title });
      }
    }
    return [...plans.values()];
  }

  /** Whether the week's digests were all sent already. */
  async weekDone(m: EntityManager, week: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM digest_weeks WHERE iso_week = $1`, [week]);
    return rows.length > 0;
  }

  async wasSent(m: EntityManager, recipient: string, week: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM digest_runs WHERE recipient = $1 AND iso_week = $2`,
      [recipient, week],
    );
    return rows.length > 0;
  }

  async markWeekDone(
    m: EntityManager,
    week: string,
    summary: { sent: number; empty: number; slotAt: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO digest_weeks (iso_week, slot_at, sent, empty) VALUES ($1, $2, $3, $4)
       ON CONFLICT (iso_week) DO NOTHING`,
      [week, summary.slotAt, summary.sent, summary.empty],
    );
  }

  /**
   * Claims the week's digest for each recipient, once: returns those no earlier run (in any
   * process) has claimed. Commits with the outbox rows written in the same transaction.
   */
  async claim(
    m: EntityManager,
    week: string,
    digests: readonly { recipient: string; kind: string }[],
  ): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows: { recipient: string }[] = await m.query(
      `INSERT INTO digest_runs (recipient, iso_week, kind)
       SELECT r.recipient, $2, r.kind FROM unnest($1::text[], $3::text[]) AS r(recipient, kind)
       ON CONFLICT (recipient, iso_week) DO NOTHING
       RETURNING recipient`,
      [digests.map((d) => d.recipient), week, digests.map((d) => d.kind)],
    );
    return new Set(rows.map((r) => r.recipient));
  }

  /**
   * Runs `work` while holding the digest lock on a connection of its own, if no other process
   * holds it; otherwise returns null at once.
   */
  async withRunLock<T>(db: DataSource, work: () => Promise<T>): Promise<T | null> {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: { locked: boolean }[] = await runner.query(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [LOCK_NAMESPACE, DIGEST_LOCK],
      );
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, DIGEST_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
