import { Injectable } from '@nestjs/common';
import type { EntityManager } from '../database/transactor.js';
import type { EscalationLadder, EscalationLevel } from './escalation-ladder.js';

export interface EscalationTask {
  id: string;
  status: string;
  role: 'lead' | 'co';
  dueAt: Date;
  remindersPlannedAt: Date;
  level: EscalationLevel;
  unitId: string;
  unitName: string;
  /** 分管局领导 of the unit, when set. */
  leaderId: string | null;
  itemNumber: number;
  itemTitle: string;
  planTitle: string;
  ladder: EscalationLadder | null;
}

interface Row {
  id: string;
  status: string;
  role: 'lead' | 'co';
  due_at: Date;
  reminders_planned_at: Date;
  escalation_level: EscalationLevel;
  unit_id: string;
  unit_name: string;
  leader_id: string | null;
  item_number: number;
  item_title: string;
  plan_title: string;
  ladder: EscalationLadder | null;
}

const SELECT = `SELECT t.id, t.status, t.role, t.due_at, t.reminders_planned_at, t.escalation_level,
       t.unit_id, u.name AS unit_name, u.leader_id, i.number AS item_number, i.title AS item_title,
       p.title AS plan_title, coalesce(i.escalation_ladder, p.escalation_ladder) AS ladder
  FROM tasks t JOIN units u ON u.id = t.unit_id JOIN items i ON i.id = t.item_id
  JOIN plans p ON p.id = i.plan_id`;

const map = (r: Row): EscalationTask => ({
  id: r.id,
  status: r.status,
  role: r.role,
  dueAt: new Date(r.due_at),
  remindersPlannedAt: new Date(r.reminders_planned_at),
  level: r.escalation_level,
  unitId: r.unit_id,
  unitName: r.unit_name,
  leaderId: r.leader_id,
  itemNumber: r.item_number,
  itemTitle: r.item_title,
  planTitle: r.plan_title,
  ladder: r.ladder,
});

/** What escalation reads and writes of tasks. */
@Injectable()
export class EscalationsRepository {
  async task(m: EntityManager, id: string): Promise<EscalationTask | null> {
    const [row]: Row[] = await m.query(`${SELECT} WHERE t.id = $1`, [id]);
    return row ? map(row) : null;
  }

  async tasks(m: EntityManager, where: string, params: unknown[]): Promise<EscalationTask[]> {
    const rows: Row[] = await m.query(`${SELECT} WHERE ${where}`, params);
    return rows.map(map);
  }

  /** Raises a task's card; a red card is never lowered to yellow. */
  async raise(m: EntityManager, taskId: string, level: 'yellow' | 'red'): Promise<boolean> {
    const [rows]: [unknown[], number] = await m.query(
      `UPDATE tasks SET escalation_level = $2, escalated_at = now()
        WHERE id = $1 AND (escalation_level = 'none' OR ($2 = 'red' AND escalation_level = 'yellow'))
        RETURNING id`,
      [taskId, level],
    );
    return rows.length > 0;
  }

  /** Sets (or clears, with null) a plan's ladder; false when there is no such plan. */
  async setPlanLadder(
    m: EntityManager,
    planId: string,
    ladder: EscalationLadder | null,
  ): Promise<{ before: EscalationLadder | null } | null> {
    const [row]: { ladder: EscalationLadder | null }[] = await m.query(
      `SELECT escalation_ladder AS ladder FROM plans WHERE id = $1 FOR UPDATE`,
      [planId],
    );
    if (!row) return null;
    await m.query(`UPDATE plans SET escalation_ladder = $2 WHERE id = $1`, [
      planId,
      ladder === null ? null : JSON.stringify(ladder),
    ]);
    return { before: row.ladder };
  }

  async setItemLadder(
    m: EntityManager,
    itemId: string,
    ladder: EscalationLadder | null,
  ): Promise<{ before: EscalationLadder | null; planId: string } | null> {
    const [row]: { ladder: EscalationLadder | null; plan_id: string }[] = await m.query(
      `SELECT escalation_ladder AS ladder, plan_id FROM items WHERE id = $1 FOR UPDATE`,
      [itemId],
    );
    if (!row) return null;
    await m.query(`UPDATE items SET escalation_ladder = $2 WHERE id = $1`, [
      itemId,
      ladder === null ? null : JSON.stringify(ladder),
    ]);
    return { before: row.ladder, planId: row.plan_id };
  }

  async planLadder(m: EntityManager, planId: string): Promise<EscalationLadder | null | undefined> {
    const [row]: { ladder: EscalationLadder | null }[] = await m.query(
      `SELECT escalation_ladder AS ladder FROM plans WHERE id = $1`,
      [planId],
    );
    return row ? row.ladder : undefined;
  }

  /** Ids of the tasks of a plan (or one item) that wait for their unit. */
  async waitingTaskIds(
    m: EntityManager,
    scope: { planId?: string; itemId?: string },
  ): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT t.id FROM tasks t JOIN items i ON i.id = t.item_id
        WHERE t.status IN ('assigned', 'acknowledged', 'in_progress', 'returned')
          AND ($1::uuid IS NULL OR i.plan_id = $1) AND ($2::uuid IS NULL OR t.item_id = $2)`,
      [scope.planId ?? null, scope.itemId ?? null],
    );
    return rows.map((r) => r.id);
  }
}
