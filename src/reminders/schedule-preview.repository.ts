import { Injectable } from '@nestjs/common';
import type { EntityManager } from '../database/transactor.js';
import { whereClause } from '../database/sql-filter.js';
import type { ReminderSourceName } from './reminder-source.js';

/** A scheduled occurrence with the task it concerns. */
export interface ScheduledRow {
  id: string;
  source: ReminderSourceName;
  fireAt: Date;
  detail: Record<string, unknown>;
  taskId: string;
  milestoneId: string | null;
  milestoneTitle: string | null;
  unitId: string;
  unitName: string;
  leaderId: string | null;
  role: 'lead' | 'co';
  itemNumber: string;
  itemTitle: string;
}

export interface ScheduleFilter {
  planId?: string;
  taskId?: string;
  /** Only this unit's tasks (a unit's people see their own). */
  unitId?: string | null;
  from: Date;
  to: Date;
}

/** What the reminder pipeline will fire, read from the stored plan (`reminder_occurrences`). */
@Injectable()
export class SchedulePreviewRepository {
  async scheduled(
    m: EntityManager,
    filter: ScheduleFilter,
    window: { limit: number; offset: number },
  ): Promise<{ rows: ScheduledRow[]; total: number }> {
    const { sql, params } = whereClause([
      [`o.status = 'scheduled'`, true],
      ['o.fire_at >= ?', filter.from],
      ['o.fire_at < ?', filter.to],
      ['i.plan_id = ?', filter.planId],
      ['o.task_id = ?', filter.taskId],
      ['t.unit_id = ?', filter.unitId ?? undefined],
    ]);
    const from = `FROM reminder_occurrences o
      JOIN tasks t ON t.id = o.task_id
      JOIN items i ON i.id = t.item_id
      JOIN units u ON u.id = t.unit_id
      LEFT JOIN milestones ms ON ms.id = o.milestone_id
      ${sql}`;
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT o.id, o.source, o.fire_at, o.detail, o.task_id, o.milestone_id,
                ms.title AS milestone_title, t.unit_id, u.name AS unit_name, u.leader_id,
                t.role, i.number AS item_number, i.title AS item_title
           ${from}
          ORDER BY o.fire_at, o.id
          LIMIT ${Number(window.limit)} OFFSET ${Number(window.offset)}`,
      params,
    );
    const [{ total }]: { total: number }[] = await m.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id as string,
        source: r.source as ReminderSourceName,
        fireAt: new Date(r.fire_at as string),
        detail: r.detail as Record<string, unknown>,
        taskId: r.task_id as string,
        milestoneId: (r.milestone_id as string | null) ?? null,
        milestoneTitle: (r.milestone_title as string | null) ?? null,
        unitId: r.unit_id as string,
        unitName: r.unit_name as string,
        leaderId: (r.leader_id as string | null) ?? null,
        role: r.role as 'lead' | 'co',
        itemNumber: String(r.item_number),
        itemTitle: r.item_title as string,
      })),
    };
  }

  async planExists(m: EntityManager, planId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM plans WHERE id = $1`, [planId]);
    return rows.length > 0;
  }
}
