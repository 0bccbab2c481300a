import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TaskStatus } from '../tasks/task-state.js';

/** One task of the progress ledger (督办台账). */
export interface LedgerRow {
  taskId: string;
  sectionOrdinal: number;
  sectionTitle: string | null;
  itemNumber: number;
  itemTitle: string;
  unitName: string;
  role: 'lead' | 'co';
  dueDate: string;
  dueAt: Date;
  status: TaskStatus;
  escalation: 'none' | 'yellow' | 'red';
  lastReportAt: Date | null;
  lastReportBody: string | null;
  lastReportStatus: 'submitted' | 'approved' | 'returned' | null;
}

/** A deadline of a unit for its calendar feed: a task's, or a milestone's within a task. */
export interface UnitDeadline {
  kind: 'task' | 'milestone';
  id: string;
  taskId: string;
  planTitle: string;
  itemNumber: number;
  itemTitle: string;
  milestoneTitle: string | null;
  role: 'lead' | 'co';
  dueDate: string;
  dueAt: Date;
  status: TaskStatus;
  /** Milestone marked done. */
  done: boolean;
  version: number;
}

@Injectable()
export class ExportsRepository {
  async plan(m: EntityManager, planId: string): Promise<{ id: string; title: string } | null> {
    const [plan]: { id: string; title: string }[] = await m.query(
      `SELECT id, title FROM plans WHERE id = $1`,
      [planId],
    );
    return plan ?? null;
  }

  /** Every task of the plan (of one unit when given) in document order, with its latest report. */
  async ledger(m: EntityManager, planId: string, unitId: string | null): Promise<LedgerRow[]> {
    const rows: {
      id: string;
      section_ordinal: number;
      section_title: string | null;
      item_number: number;
      item_title: string;
      unit_name: string;
      role: 'lead' | 'co';
      due_date: string;
      due_at: Date;
      status: TaskStatus;
      escalation_level: 'none' | 'yellow' | 'red';
      report_at: Date | null;
      report_body: string | null;
      report_status: 'submitted' | 'approved' | 'returned' | null;
    }[] = await m.query(
      `SELECT t.id, s.ordinal AS section_ordinal, s.title AS section_title,
              i.number AS item_number, i.title AS item_title, u.name AS unit_name, t.role,
              to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.due_at, t.status,
              t.escalation_level, r.submitted_at AS report_at, r.body AS report_body,
              r.status AS report_status
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN sections s ON s.id = i.section_id
         JOIN units u ON u.id = t.unit_id
         LEFT JOIN LATERAL (
           SELECT submitted_at, body, status FROM submissions
            WHERE task_id = t.id ORDER BY number DESC LIMIT 1) r ON true
        WHERE i.plan_id = $1 AND ($2::uuid IS NULL OR t.unit_id = $2)
        ORDER BY s.ordinal, i.ordinal, (t.role = 'lead') DESC, u.name, t.id`,
      [planId, unitId],
    );
    return rows.map((r) => ({
      taskId: r.id,
      sectionOrdinal: r.section_ordinal,
      sectionTitle: r.section_title,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      unitName: r.unit_name,
      role: r.role,
      dueDate: r.due_date,
      dueAt: new Date(r.due_at),
      status: r.status,
      escalation: r.escalation_level,
      lastReportAt: r.report_at ? new Date(r.report_at) : null,
      lastReportBody: r.report_body,
      lastReportStatus: r.report_status,
    }));
  }

  async unit(m: EntityManager, unitId: string): Promise<{ id: string; name: string } | null> {
    const [unit]: { id: string; name: string }[] = await m.query(
      `SELECT id, name FROM units WHERE id = $1`,
      [unitId],
    );
    return unit ?? null;
  }

  /** Stores the feed's token hash, replacing the unit's earlier one (which stops working). */
  async replaceFeed(
    m: EntityManager,
    unitId: string,
    tokenHash: string,
    createdBy: string,
  ): Promise<Date> {
    const [row]: { created_at: Date }[] = await m.query(
      `INSERT INTO unit_calendar_feeds (unit_id, token_hash, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (unit_id) DO UPDATE
         SET token_hash = EXCLUDED.token_hash, created_by = EXCLUDED.created_by,
             created_at = now()
       RETURNING created_at`,
      [unitId, tokenHash, createdBy],
    );
    return new Date(row.created_at);
  }

  /** The unit whose feed has this token hash. */
  async unitOfFeed(
    m: EntityManager,
    tokenHash: string,
  ): Promise<{ id: string; name: string } | null> {
    const [unit]: { id: string; name: string }[] = await m.query(
      `SELECT u.id, u.name FROM unit_calendar_feeds f JOIN units u ON u.id = f.unit_id
        WHERE f.token_hash = $1`,
      [tokenHash],
    );
    return unit ?? null;
  }

  /** The unit's task deadlines and milestone dates (cancelled tasks left out). */
  async deadlines(m: EntityManager, unitId: string): Promise<UnitDeadline[]> {
    const rows: {
      kind: 'task' | 'milestone';
      id: string;
      task_id: string;
      plan_title: string;
      item_number: number;
      item_title: string;
      milestone_title: string | null;
      role: 'lead' | 'co';
      due_date: string;
      due_at: Date;
      status: TaskStatus;
      done: boolean;
      version: number;
    }[] = await m.query(
      `SELECT 'task' AS kind, t.id, t.id AS task_id, p.title AS plan_title,
              i.number AS item_number, i.title AS item_title, NULL AS milestone_title, t.role,
              to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.due_at, t.status,
              false AS done, t.version
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE t.unit_id = $1 AND t.status <> 'cancelled'
       UNION ALL
       SELECT 'milestone', ms.id, t.id, p.title, i.number, i.title, ms.title, t.role,
              to_char(ms.due_date, 'YYYY-MM-DD'), ms.due_at, t.status,
              ms.done_at IS NOT NULL, t.version
         FROM milestones ms JOIN tasks t ON t.id = ms.task_id JOIN items i ON i.id = t.item_id
         JOIN plans p ON p.id = i.plan_id
        WHERE t.unit_id = $1 AND t.status <> 'cancelled'
        ORDER BY due_at, item_number`,
      [unitId],
    );
    return rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      taskId: r.task_id,
      planTitle: r.plan_title,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      milestoneTitle: r.milestone_title,
      role: r.role,
      dueDate: r.due_date,
      dueAt: new Date(r.due_at),
      status: r.status,
      done: r.done,
      version: r.version,
    }));
  }
}
