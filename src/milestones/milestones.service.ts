import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Action, Actor } from '../auth/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { Task } from '../tasks/task.entity.js';
import { isOpen, STATUS_LABELS } from '../tasks/task-state.js';
import type { Page } from '../common/paging.js';
import { TasksService } from '../tasks/tasks.service.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { MilestoneDeadlineSource } from './milestone-deadline.source.js';
import { type Checked, checkTitle, resolveMilestoneDate } from './milestone-rules.js';

export interface MilestoneView {
  id: string;
  taskId: string;
  title: string;
  dueDate: string;
  dueAt: string;
  done: boolean;
  doneAt: string | null;
  /** Not done and past its date; derived, never stored. */
  overdue: boolean;
  createdAt: string;
}

export interface NewMilestone {
  title: string;
  dueDate?: string;
  dueAt?: string;
}

export interface MilestoneChange {
  title?: string;
  dueDate?: string;
  dueAt?: string;
  done?: boolean;
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

function valid<T>(checked: Checked<T>): T {
  if (checked.ok) return checked.value;
  throw new InvalidInputException(checked.refusal.message, [checked.refusal]);
}

/**
 * Milestones (节点) inside a task: dated checkpoints with their own reminders. Each change and its
 * audit entry commit together; reminders are rescheduled after commit.
 */
@Injectable()
export class MilestonesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tasks: TasksService,
    private readonly scheduler: ReminderScheduler,
    private readonly deadlines: MilestoneDeadlineSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<MilestoneView>> {
    await this.tasks.requireAccess(actor, taskId, 'milestone.read');
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM milestones WHERE task_id = $1`,
      [taskId],
    );
    const rows: MilestoneRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM milestones WHERE task_id = $1
        ORDER BY due_at, created_at, id LIMIT $2 OFFSET $3`,
      [taskId, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map((r) => this.view(r)), total, page, pageSize };
  }

  async create(actor: Actor, taskId: string, input: NewMilestone): Promise<MilestoneView> {
    const title = valid(checkTitle(input.title));
    const outcome = await this.db.transaction(async (m) => {
      const task = await this.tasks.lockForChange(m, actor, taskId, 'milestone.manage');
      this.requireOpen(task, '添加节点');
      const now = this.clock.now();
      const date = valid(
        resolveMilestoneDate(
          { dueDate: input.dueDate, dueAt: input.dueAt },
          task,
          now,
          this.config.businessTz,
        ),
      );
      const [row]: MilestoneRow[] = await m.query(
        `INSERT INTO milestones (task_id, title, due_date, due_at, reminders_planned_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${COLUMNS}`,
        [taskId, title, date.dueDate, date.dueAt, now],
      );
      await this.audit.record(m, {
        actor,
        action: 'milestone.create',
        entityType: 'milestone',
        entityId: row.id,
        after: this.snapshot(row),
      });
      return { row, scheduled: await this.replanReminders(m, row, task) };
    });
    this.scheduler.queueSoon(outcome.scheduled);
    return this.view(outcome.row);
  }

  async update(actor: Actor, id: string, change: MilestoneChange): Promise<MilestoneView> {
    const title = change.title !== undefined ? valid(checkTitle(change.title)) : undefined;
    const redates = change.dueDate !== undefined || change.dueAt !== undefined;
    const outcome = await this.db.transaction(async (m) => {
      const [ref]: { task_id: string }[] = await m.query(
        `SELECT task_id FROM milestones WHERE id = $1`,
        [id],
      );
      if (!ref) throw new NotFoundError(`节点 ${id} 不存在`);
      // Editing the milestone needs 'milestone.manage'; marking it done or open, 'milestone.complete'.
      const edits = title !== undefined || redates;
      const actions: Action[] = [];
      if (edits) actions.push('milestone.manage');
      if (change.done !== undefined || !edits) actions.push('milestone.complete');
      const task = await this.tasks.lockForChange(m, actor, ref.task_id, actions);
      const before = await this.lockMilestone(m, id);
      const now = this.clock.now();
      const after: MilestoneRow = { ...before };
      if (title !== undefined) after.title = title;
      if (redates) {
        this.requireOpen(task, '修改节点日期');
        const date = valid(
          resolveMilestoneDate(
            { dueDate: change.dueDate, dueAt: change.dueAt },
            task,
            now,
            this.config.businessTz,
          ),
        );
        if (date.dueAt.getTime() !== new Date(before.due_at).getTime()) {
          after.due_at = date.dueAt;
          after.reminders_planned_at = now;
        }
        after.due_date = date.dueDate;
      }
      if (change.done === true && before.done_at === null) after.done_at = now;
      if (change.done === false && before.done_at !== null) {
        after.done_at = null;
        // Reminders that fell due while the milestone was done are not sent late.
        after.reminders_planned_at = now;
      }
      const changed =
        after.title !== before.title ||
        after.due_date !== before.due_date ||
        new Date(after.due_at).getTime() !== new Date(before.due_at).getTime() ||
        (after.done_at === null) !== (before.done_at === null);
      if (!changed) return { after: before, scheduled: [] };
      // TypeORM answers an UPDATE with [rows, affected count].
      const [[saved]]: [MilestoneRow[], number] = await m.query(
        `UPDATE milestones SET title = $2, due_date = $3, due_at = $4, reminders_planned_at = $5,
                done_at = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, after.title, after.due_date, after.due_at, after.reminders_planned_at, after.done_at],
      );
      const doneChanged = (after.done_at === null) !== (before.done_at === null);
      const action =
        doneChanged && !edits
          ? after.done_at
            ? 'milestone.complete'
            : 'milestone.reopen'
          : 'milestone.update';
      await this.audit.record(m, {
        actor,
        action,
        entityType: 'milestone',
        entityId: id,
        before: this.snapshot(before),
        after: this.snapshot(saved),
      });
      const remindersChanged =
        doneChanged || new Date(saved.due_at).getTime() !== new Date(before.due_at).getTime();
      return {
        after: saved,
        scheduled: remindersChanged ? await this.replanReminders(m, saved, task) : [],
      };
    });
    this.scheduler.queueSoon(outcome.scheduled);
    return this.view(outcome.after);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    // The milestone's reminder occurrences go with it (ON DELETE CASCADE).
    await this.db.transaction(async (m) => {
      const [ref]: { task_id: string }[] = await m.query(
        `SELECT task_id FROM milestones WHERE id = $1`,
        [id],
      );
      if (!ref) throw new NotFoundError(`节点 ${id} 不存在`);
      // Deleting is the supervision office's call (the same rule as setting task deadlines).
      await this.tasks.lockForChange(m, actor, ref.task_id, 'task.assign');
      const before = await this.lockMilestone(m, id);
      await m.query(`DELETE FROM milestones WHERE id = $1`, [id]);
      await this.audit.record(m, {
        actor,
        action: 'milestone.delete',
        entityType: 'milestone',
        entityId: id,
        before: this.snapshot(before),
      });
    });
  }

  private async lockMilestone(m: EntityManager, id: string): Promise<MilestoneRow> {
    const [row]: MilestoneRow[] = await m.query(
      `SELECT ${COLUMNS} FROM milestones WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw new NotFoundError(`节点 ${id} 不存在`);
    return row;
  }

  private requireOpen(task: Task, what: string): void {
    if (isOpen(task.status)) return;
    throw new ConflictError(`任务当前状态为“${STATUS_LABELS[task.status]}”，不能${what}`, {
      currentStatus: task.status,
    });
  }

  /** In the change's transaction: the milestone's reminders follow its date and state. */
  private async replanReminders(
    m: EntityManager,
    row: MilestoneRow,
    task: Task,
  ): Promise<QueuedOccurrence[]> {
    const plan = this.deadlines.plan(
      {
        id: row.id,
        taskId: task.id,
        dueAt: new Date(row.due_at),
        done: row.done_at !== null,
        remindersPlannedAt: new Date(row.reminders_planned_at),
      },
      task,
      await this.tasks.policyOf(m, task.itemId),
    );
    return this.scheduler.replan(m, 'milestone.deadline', [plan]);
  }

  private snapshot(row: MilestoneRow) {
    return {
      taskId: row.task_id,
      title: row.title,
      dueDate: row.due_date,
      dueAt: new Date(row.due_at).toISOString(),
      doneAt: row.done_at ? new Date(row.done_at).toISOString() : null,
    };
  }

  private view(row: MilestoneRow): MilestoneView {
    const dueAt = new Date(row.due_at);
    return {
      id: row.id,
      taskId: row.task_id,
      title: row.title,
      dueDate: row.due_date,
      dueAt: dueAt.toISOString(),
      done: row.done_at !== null,
      doneAt: row.done_at ? new Date(row.done_at).toISOString() : null,
      overdue: row.done_at === null && dueAt.getTime() < this.clock.now().getTime(),
      createdAt: new Date(row.created_at).toISOString(),
    };
  }
}
