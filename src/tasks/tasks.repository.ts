import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { pageOf, pageWindow, type Page } from '../common/paging.js';
import { whereClause } from '../database/sql-filter.js';
import type { EscalationLadder } from '../escalations/escalation-ladder.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import type { PlannableTask } from './task-deadline.source.js';
import { Task } from './task.entity.js';
import { AWAITING_UNIT_SQL, OPEN_SQL, type TaskStatus } from './task-state.js';

/** A task with what every view and message of it names: its plan, item and unit. */
export interface TaskRecord {
  id: string;
  planId: string;
  planTitle: string;
  itemId: string;
  itemNumber: number;
  itemTitle: string;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  /** Business date of the deadline, YYYY-MM-DD. */
  dueDate: string;
  dueAt: Date;
  completedAt: Date | null;
  version: number;
  escalationLevel: 'none' | 'yellow' | 'red';
  escalatedAt: Date | null;
}

export interface TaskListFilter {
  /** Unit roles see their own unit's tasks only; null = every unit. */
  visibleUnit: string | null;
  planId?: string;
  /** Unit id or exact unit name. */
  unit?: string;
  /** A lifecycle status, or `open` (not closed/cancelled), or `overdue` (open and past its deadline). */
  status?: TaskStatus | 'open' | 'overdue';
  dueBefore?: string;
  dueAfter?: string;
  /** yellow / red: that card; any: either; none: neither. */
  escalation?: 'yellow' | 'red' | 'any' | 'none';
  /** The instant `overdue` is judged at. */
  now: Date;
}

/** Which page of a list, 1-based (`PageQueryDto`). */
export interface Paging {
  page: number;
  pageSize: number;
}

/**
 * The one join of a task with its item, plan and unit (aliases t, i, p, u). Every query that shows
 * a task beside something else joins it through `joinTask`.
 */
const TASK_JOINS = `JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
  JOIN units u ON u.id = t.unit_id`;

/** The join of the task named by `taskIdColumn` (e.g. `s.task_id`), with its item, plan and unit. */
export function joinTask(taskIdColumn: string): string {
  return `JOIN tasks t ON t.id = ${taskIdColumn} ${TASK_JOINS}`;
}

export const TASK_FROM = `FROM tasks t ${TASK_JOINS}`;

/** The columns of a `TaskRecord`, each named `task_…` so that they sit beside another row's. */
export const TASK_COLUMNS = `t.id AS task_id, i.plan_id AS task_plan_id, p.title AS task_plan_title,
  t.item_id AS task_item_id, i.number AS task_item_number, i.title AS task_item_title,
  t.unit_id AS task_unit_id, u.name AS task_unit_name, t.role AS task_role,
  t.status AS task_status, to_char(t.due_date, 'YYYY-MM-DD') AS task_due_date,
  t.due_at AS task_due_at, t.completed_at AS task_completed_at, t.version AS task_version,
  t.escalation_level AS task_escalation_level, t.escalated_at AS task_escalated_at`;

/** A row selected with `TASK_COLUMNS`. */
export interface TaskRow {
  task_id: string;
  task_plan_id: string;
  task_plan_title: string;
  task_item_id: string;
  task_item_number: number;
  task_item_title: string;
  task_unit_id: string;
  task_unit_name: string;
  task_role: 'lead' | 'co';
  task_status: TaskStatus;
  task_due_date: string;
  task_due_at: Date;
  task_completed_at: Date | null;
  task_version: number;
  task_escalation_level: 'none' | 'yellow' | 'red';
  task_escalated_at: Date | null;
}

export function taskRecord(r: TaskRow): TaskRecord {
  return {
    id: r.task_id,
    planId: r.task_plan_id,
    planTitle: r.task_plan_title,
    itemId: r.task_item_id,
    itemNumber: r.task_item_number,
    itemTitle: r.task_item_title,
    unitId: r.task_unit_id,
    unitName: r.task_unit_name,
    role: r.task_role,
    status: r.task_status,
    dueDate: r.task_due_date,
    dueAt: new Date(r.task_due_at),
    completedAt: r.task_completed_at ? new Date(r.task_completed_at) : null,
    version: r.task_version,
    escalationLevel: r.task_escalation_level,
    escalatedAt: r.task_escalated_at ? new Date(r.task_escalated_at) : null,
  };
}

/** A query to page: `SELECT <select> <from> ORDER BY <orderBy>`, with the bind values of `from`. */
export interface PagedQuery {
  select: string;
  from: string;
  orderBy: string;
  params: readonly unknown[];
}

/**
 * One page of a query with its count over all pages (counted first), its rows mapped by `map`:
 * the count-then-page of the lists of tasks and of what belongs to them.
 */
export async function readPage<R, T>(
  m: EntityManager,
  q: PagedQuery,
  paging: Paging,
  map: (rows: R[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  const [{ total }]: { total: number }[] = await m.query(
    `SELECT count(*)::int AS total ${q.from}`,
    [...q.params],
  );
  const { limit, offset } = pageWindow(paging);
  const n = q.params.length;
  const rows: R[] = await m.query(
    `SELECT ${q.select} ${q.from} ORDER BY ${q.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...q.params, limit, offset],
  );
  return pageOf(await map(rows), total, paging);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tasks (`tasks`): reads, row locks and saves, and the plan each task's item belongs to. */
@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(filter: TaskListFilter, paging: Paging): Promise<Page<TaskRecord>> {
    const unitIsId = filter.unit !== undefined && UUID.test(filter.unit);
    const open = filter.status === 'open' || filter.status === 'overdue';
    const { sql, params } = whereClause([
      ['t.unit_id = ?', filter.visibleUnit ?? undefined],
      ['i.plan_id = ?', filter.planId || undefined],
      ['t.unit_id = ?', unitIsId ? filter.unit : undefined],
      ['u.name = ?', filter.unit && !unitIsId ? filter.unit : undefined],
      [`t.status IN ${OPEN_SQL}`, open ? true : undefined],
      ['t.due_at < ?', filter.status === 'overdue' ? filter.now : undefined],
      ['t.status = ?', open ? undefined : filter.status || undefined],
      ['t.due_date <= ?', filter.dueBefore || undefined],
      ['t.due_date >= ?', filter.dueAfter || undefined],
      [
        't.escalation_level = ?',
        filter.escalation === 'yellow' || filter.escalation === 'red'
          ? filter.escalation
          : undefined,
      ],
      [`t.escalation_level <> 'none'`, filter.escalation === 'any' ? true : undefined],
      [`t.escalation_level = 'none'`, filter.escalation === 'none' ? true : undefined],
    ]);
    return readPage(
      this.db.manager,
      {
        select: TASK_COLUMNS,
        from: `${TASK_FROM} ${sql}`,
        orderBy: 't.due_at, i.ordinal, t.role DESC, u.name',
        params,
      },
      paging,
      (rows: TaskRow[]) => rows.map(taskRecord),
    );
  }

  async find(m: EntityManager, id: string): Promise<TaskRecord | null> {
    const [row]: TaskRow[] = await m.query(`SELECT ${TASK_COLUMNS} ${TASK_FROM} WHERE t.id = $1`, [
      id,
    ]);
    return row ? taskRecord(row) : null;
  }

  /** The unit a task belongs to (a task never changes unit); null for an unknown task. */
  async unitOf(m: EntityManager, id: string): Promise<string | null> {
    const [row]: { unit_id: string }[] = await m.query(`SELECT unit_id FROM tasks WHERE id = $1`, [
      id,
    ]);
    return row?.unit_id ?? null;
  }

  /** The task, row-locked for a change in the caller's transaction. */
  async lock(m: EntityManager, id: string): Promise<Task | null> {
    return m.getRepository(Task).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes a changed task (its version goes up by one). */
  async save(m: EntityManager, task: Task): Promise<void> {
    await m.getRepository(Task).save(task);
  }

  async resetEscalation(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE tasks SET escalation_level = 'none', escalated_at = NULL WHERE id = $1`, [
      id,
    ]);
  }

  /** The plan an item belongs to: its year, reminder policy and escalation ladder (the item's own first). */
  async planOfItem(
    m: EntityManager,
    itemId: string,
  ): Promise<{
    year: number;
    reminderPolicy: ReminderPolicy | null;
    escalationLadder: EscalationLadder | null;
  } | null> {
    const [row]: {
      year: number;
      reminder_policy: ReminderPolicy | null;
      ladder: EscalationLadder | null;
    }[] = await m.query(
      `SELECT p.year, p.reminder_policy, coalesce(i.escalation_ladder, p.escalation_ladder) AS ladder
         FROM plans p JOIN items i ON i.plan_id = p.id WHERE i.id = $1`,
      [itemId],
    );
    return row
      ? { year: row.year, reminderPolicy: row.reminder_policy, escalationLadder: row.ladder }
      : null;
  }

  /** Every task that waits for its unit, with its plan's reminder policy. */
  async awaitingUnit(
    m: EntityManager,
  ): Promise<{ task: PlannableTask; policy: ReminderPolicy | null }[]> {
    const rows: {
      id: string;
      status: TaskStatus;
      due_at: Date;
      reminders_planned_at: Date;
      reminder_policy: ReminderPolicy | null;
    }[] = await m.query(
      `SELECT t.id, t.status, t.due_at, t.reminders_planned_at, p.reminder_policy
         ${TASK_FROM} WHERE t.status IN ${AWAITING_UNIT_SQL}`,
    );
    return rows.map((r) => ({
      task: {
        id: r.id,
        status: r.status,
        dueAt: new Date(r.due_at),
        remindersPlannedAt: new Date(r.reminders_planned_at),
      },
      policy: r.reminder_policy,
    }));
  }
}
