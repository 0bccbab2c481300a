import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Page } from '../common/paging.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import {
  joinTask,
  type Paging,
  readPage,
  TASK_COLUMNS,
  type TaskRecord,
  taskRecord,
  type TaskRow,
} from '../tasks/tasks.repository.js';
import { AWAITING_UNIT_SQL, type TaskStatus } from '../tasks/task-state.js';
import type { MilestoneTask, PlannableMilestone } from './milestone-deadline.source.js';

export interface Milestone {
  id: string;
  taskId: string;
  title: string;
  /** Business date, YYYY-MM-DD. */
  dueDate: string;
  dueAt: Date;
  /** When the current date was set (or the milestone reopened): earlier reminders are skipped. */
  remindersPlannedAt: Date;
  doneAt: Date | null;
  createdAt: Date;
}

/** What a change writes (everything but the identity). */
export type MilestoneFields = Pick<
  Milestone,
  'title' | 'dueDate' | 'dueAt' | 'remindersPlannedAt' | 'doneAt'
>;

/** A milestone with its task and the plan's reminder policy, for planning its reminders. */
export interface PlannableMilestoneRow {
  milestone: PlannableMilestone;
  task: MilestoneTask;
  policy: ReminderPolicy | null;
}

interface MilestoneRow {
  id: string;
  task_id: string;
  title: string;
  due_date: string;
  due_at: Date;
  reminders_planned_at: Date;
  done_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, task_id, title, to_char(due_date, 'YYYY-MM-DD') AS due_date, due_at,
  reminders_planned_at, done_at, created_at`;

function milestone(r: MilestoneRow): Milestone {
  return {
    id: r.id,
    taskId: r.task_id,
    title: r.title,
    dueDate: r.due_date,
    dueAt: new Date(r.due_at),
    remindersPlannedAt: new Date(r.reminders_planned_at),
    doneAt: r.done_at ? new Date(r.done_at) : null,
    createdAt: new Date(r.created_at),
  };
}

/** Milestones (`milestones`) of tasks, and what their reminders read. */
@Injectable()
export class MilestonesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A task's milestones, earliest first. */
  async pageOfTask(taskId: string, paging: Paging): Promise<Page<Milestone>> {
    return readPage(
      this.db.manager,
      {
        select: COLUMNS,
        from: 'FROM milestones WHERE task_id = $1',
        orderBy: 'due_at, created_at, id',
        params: [taskId],
      },
      paging,
      (rows: MilestoneRow[]) => rows.map(milestone),
    );
  }

  /** A new milestone; its reminders count from its creation. */
  async insert(
    m: EntityManager,
    n: { taskId: string; title: string; dueDate: string; dueAt: Date; createdAt: Date },
  ): Promise<Milestone> {
    const [row]: MilestoneRow[] = await m.query(
      `INSERT INTO milestones (task_id, title, due_date, due_at, reminders_planned_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${COLUMNS}`,
      [n.taskId, n.title, n.dueDate, n.dueAt, n.createdAt],
    );
    return milestone(row);
  }

  /** The task a milestone belongs to; null for an unknown milestone. */
  async taskOf(m: EntityManager, id: string): Promise<string | null> {
    const [row]: { task_id: string }[] = await m.query(
      `SELECT task_id FROM milestones WHERE id = $1`,
      [id],
    );
    return row?.task_id ?? null;
  }

  /**
   * What a task's milestones are suggested from: its item's text, the plan's year and the task's
   * deadline; null for an unknown task.
   */
  async suggestionSource(
    m: EntityManager,
    taskId: string,
  ): Promise<{ itemBody: string; planYear: number; dueDate: string } | null> {
    const [row]: { body: string; year: number; due_date: string }[] = await m.query(
      `SELECT i.body, p.year, to_char(t.due_date, 'YYYY-MM-DD') AS due_date
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE t.id = $1`,
      [taskId],
    );
    return row ? { itemBody: row.body, planYear: Number(row.year), dueDate: row.due_date } : null;
  }

  /** The titles of a task's milestones. */
  async titlesOfTask(m: EntityManager, taskId: string): Promise<Set<string>> {
    const rows: { title: string }[] = await m.query(
      `SELECT title FROM milestones WHERE task_id = $1`,
      [taskId],
    );
    return new Set(rows.map((r) => r.title));
  }

  /** The milestone, row-locked for a change in the caller's transaction. */
  async lock(m: EntityManager, id: string): Promise<Milestone | null> {
    const [row]: MilestoneRow[] = await m.query(
      `SELECT ${COLUMNS} FROM milestones WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? milestone(row) : null;
  }

  async update(m: EntityManager, id: string, f: MilestoneFields): Promise<Milestone> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[row]]: [MilestoneRow[], number] = await m.query(
      `UPDATE milestones SET title = $2, due_date = $3, due_at = $4, reminders_planned_at = $5,
              done_at = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, f.title, f.dueDate, f.dueAt, f.remindersPlannedAt, f.doneAt],
    );
    return milestone(row);
  }

  /** Deletes a milestone; its reminder occurrences go with it (ON DELETE CASCADE). */
  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM milestones WHERE id = $1`, [id]);
  }

  /** Every milestone of these tasks. */
  async plannableOfTasks(
    m: EntityManager,
    taskIds: readonly string[],
  ): Promise<PlannableMilestoneRow[]> {
    return this.plannable(m, `m.task_id = ANY($1::uuid[])`, [taskIds]);
  }

  /** Every open milestone of a task that waits for its unit. */
  async plannableAwaitingUnit(m: EntityManager): Promise<PlannableMilestoneRow[]> {
    return this.plannable(m, `m.done_at IS NULL AND t.status IN ${AWAITING_UNIT_SQL}`, []);
  }

  /** A milestone about to be reminded of, with its task as messages name it. */
  async firing(
    m: EntityManager,
    id: string,
  ): Promise<{ title: string; dueAt: Date; doneAt: Date | null; task: TaskRecord } | null> {
    const [row]: ({ title: string; due_at: Date; done_at: Date | null } & TaskRow)[] =
      await m.query(
        `SELECT m.title, m.due_at, m.done_at, ${TASK_COLUMNS}
           FROM milestones m ${joinTask('m.task_id')} WHERE m.id = $1`,
        [id],
      );
    if (!row) return null;
    return {
      title: row.title,
      dueAt: new Date(row.due_at),
      doneAt: row.done_at ? new Date(row.done_at) : null,
      task: taskRecord(row),
    };
  }

  private async plannable(
    m: EntityManager,
    where: string,
    params: unknown[],
  ): Promise<PlannableMilestoneRow[]> {
    const rows: {
      id: string;
      task_id: string;
      due_at: Date;
      done_at: Date | null;
      planned_at: Date;
      task_status: TaskStatus;
      task_planned_at: Date;
      reminder_policy: ReminderPolicy | null;
    }[] = await m.query(
      `SELECT m.id, m.task_id, m.due_at, m.done_at, m.reminders_planned_at AS planned_at,
              t.status AS task_status, t.reminders_planned_at AS task_planned_at, p.reminder_policy
         FROM milestones m ${joinTask('m.task_id')}
        WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({
      milestone: {
        id: r.id,
        taskId: r.task_id,
        dueAt: new Date(r.due_at),
        done: r.done_at !== null,
        remindersPlannedAt: new Date(r.planned_at),
      },
      task: { status: r.task_status, remindersPlannedAt: new Date(r.task_planned_at) },
      policy: r.reminder_policy,
    }));
  }
}
