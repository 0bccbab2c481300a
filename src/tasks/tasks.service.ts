import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Action, type Actor, visibleUnit } from '../auth/permissions.js';
import { businessDateOf, endOfBusinessDay, isValidDate } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/paging.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { MilestoneDeadlineSource } from '../milestones/milestone-deadline.source.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { TaskDeadlineSource } from './task-deadline.source.js';
import { checkDeadlineInRange } from './deadline-range.js';
import { Task } from './task.entity.js';
import {
  awaitsUnit,
  IllegalTransitionError,
  isOverdue,
  nextStatus,
  OPEN_SQL,
  type TaskEvent,
  type TaskStatus,
} from './task-state.js';

export interface TaskFilter {
  planId?: string;
  /** Unit id or exact unit name. */
  unit?: string;
  /** A lifecycle status, or `open` (not closed/cancelled), or `overdue` (open and past its deadline). */
  status?: TaskStatus | 'open' | 'overdue';
  dueBefore?: string;
  dueAfter?: string;
  page: number;
  pageSize: number;
}

export interface TaskView {
  id: string;
  planId: string;
  item: { id: string; number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: TaskStatus;
  overdue: boolean;
  dueDate: string;
  dueAt: string;
  completedAt: string | null;
  version: number;
}

export interface TaskChange {
  dueDate?: string;
  dueAt?: string;
  /** `done` closes the task (办结), `open` reopens it. */
  status?: 'done' | 'open';
  /** Optimistic lock: the version the caller last saw. */
  version?: number;
}

const EVENT_ACTIONS: Record<TaskEvent, Action> = {
  acknowledge: 'task.acknowledge',
  start: 'task.start',
  submit: 'task.submit',
  approve: 'submission.decide',
  return: 'submission.decide',
  close: 'task.close',
  cancel: 'task.cancel',
  reopen: 'task.reopen',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scheduler: ReminderScheduler,
    private readonly deadlines: TaskDeadlineSource,
    private readonly milestoneDeadlines: MilestoneDeadlineSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, filter: TaskFilter): Promise<Page<TaskView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const ownUnit = visibleUnit(actor);
    if (ownUnit) add('t.unit_id = ?', ownUnit);
    if (filter.planId) add('i.plan_id = ?', filter.planId);
    if (filter.unit) {
      if (UUID.test(filter.unit)) add('t.unit_id = ?', filter.unit);
      else add('u.name = ?', filter.unit);
    }
    if (filter.status === 'overdue') {
      where.push(`t.status IN ${OPEN_SQL}`);
      add('t.due_at < ?', this.clock.now());
    } else if (filter.status === 'open') where.push(`t.status IN ${OPEN_SQL}`);
    else if (filter.status) add('t.status = ?', filter.status);
    if (filter.dueBefore) add('t.due_date <= ?', filter.dueBefore);
    if (filter.dueAfter) add('t.due_date >= ?', filter.dueAfter);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id ${whereSql}`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const rows: TaskRow[] = await this.db.query(
      `SELECT ${TASK_COLUMNS} ${from}
        ORDER BY t.due_at, i.ordinal, t.role DESC, u.name
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return {
      items: rows.map((r) => this.view(r)),
      total,
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    const view = await this.find(id);
    this.authorizer.require(actor, 'task.read', { unitId: view.unit.id }, { type: 'task', id });
    return view;
  }

  /**
   * Checks that `actor` may do `action` on what belongs to a task (its reports, requests,
   * milestones …), judged by the task's unit; 404 for an unknown task.
   */
  async requireAccess(actor: Actor, taskId: string, action: Action): Promise<{ unitId: string }> {
    const [task]: { unit_id: string }[] = await this.db.query(
      `SELECT unit_id FROM tasks WHERE id = $1`,
      [taskId],
    );
    if (!task) throw new NotFoundError(`任务 ${taskId} 不存在`);
    this.authorizer.require(actor, action, { unitId: task.unit_id }, { type: 'task', id: taskId });
    return { unitId: task.unit_id };
  }

  /** What messages about a task name: its plan, item and unit. */
  async mailContext(
    m: EntityManager,
    taskId: string,
  ): Promise<{ planTitle: string; itemNumber: number; itemTitle: string; unitName: string }> {
    const [row]: {
      plan_title: string;
      item_number: number;
      item_title: string;
      unit_name: string;
    }[] = await m.query(
      `SELECT p.title AS plan_title, i.number AS item_number, i.title AS item_title, u.name AS unit_name
           FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
           JOIN units u ON u.id = t.unit_id WHERE t.id = $1`,
      [taskId],
    );
    if (!row) throw new NotFoundError(`任务 ${taskId} 不存在`);
    return {
      planTitle: row.plan_title,
      itemNumber: row.item_number,
      itemTitle: row.item_title,
      unitName: row.unit_name,
    };
  }

  /** The task's page in the web console, for links in messages. */
  linkTo(taskId: string): { label: string; url: string } {
    return { label: '在督办系统中查看', url: `${this.config.publicUrl}/tasks/${taskId}` };
  }

  private async find(id: string): Promise<TaskView> {
    const [row]: TaskRow[] = await this.db.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
        WHERE t.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError(`任务 ${id} 不存在`);
    return this.view(row);
  }

  /**
   * Moves a task through its lifecycle (签收, 开始办理, 撤销 …) on behalf of `actor`. An illegal
   * step is a 409 naming the current status; a stale `version` is a 409 too.
   */
  async transition(
    actor: Actor,
    id: string,
    event: TaskEvent,
    version?: number,
  ): Promise<TaskView> {
    const outcome = await this.db.transaction(async (m) => {
      const task = await this.lockForChange(m, actor, id, EVENT_ACTIONS[event], version);
      const before = { status: task.status, dueAt: task.dueAt };
      this.applyEvent(task, event);
      await m.getRepository(Task).save(task);
      await this.audit.record(m, {
        actor,
        action: `task.${event}`,
        entityType: 'task',
        entityId: task.id,
        before: { status: before.status },
        after: { status: task.status },
      });
      return this.replanReminders(m, task, before);
    });
    this.scheduler.queueSoon(outcome);
    return this.find(id);
  }

  /**
   * Loads a task for a change inside `m`: permission checked against its unit first (a task never
   * changes unit), then row-locked, and its version compared when the caller sent one. A refusal
   * takes no lock.
   */
  async lockForChange(
    m: EntityManager,
    actor: Actor,
    id: string,
    actions: Action | readonly Action[],
    version?: number,
  ): Promise<Task> {
    const [ref]: { unit_id: string }[] = await m.query(`SELECT unit_id FROM tasks WHERE id = $1`, [
      id,
    ]);
    if (!ref) throw new NotFoundError(`任务 ${id} 不存在`);
    for (const action of typeof actions === 'string' ? [actions] : actions) {
      this.authorizer.require(actor, action, { unitId: ref.unit_id }, { type: 'task', id });
    }
    const task = await m
      .getRepository(Task)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!task) throw new NotFoundError(`任务 ${id} 不存在`);
    if (version !== undefined && version !== task.version) {
      throw new ConflictError(`任务已被他人修改（当前版本 ${task.version}），请刷新后重试`, {
        currentVersion: task.version,
        currentStatus: task.status,
      });
    }
    return task;
  }

  /** Changes the status in memory; an illegal step becomes a 409 with the current status. */
  applyEvent(task: Task, event: TaskEvent): void {
    try {
      task.status = nextStatus(task.status, event);
    } catch (error) {
      if (error instanceof IllegalTransitionError) {
        throw new ConflictError(error.message, { currentStatus: error.current, event });
      }
      throw error;
    }
    const now = this.clock.now();
    if (task.status === 'closed') task.completedAt = now;
    if (event === 'reopen') task.completedAt = null;
    // Reminders that fell due while the unit had nothing to do are not sent late.
    if (awaitsUnit(task.status)) task.remindersPlannedAt = now;
  }

  /**
   * In the transaction of a change: the task's reminders follow its deadline and whether it waits
   * for its unit, and so do its milestones' reminders. Pass the result to
   * `ReminderScheduler.queueSoon` after the commit.
   */
  async replanReminders(
    m: EntityManager,
    task: Task,
    before: { status: TaskStatus; dueAt: Date },
  ): Promise<QueuedOccurrence[]> {
    const dueChanged = before.dueAt.getTime() !== task.dueAt.getTime();
    const waitingChanged = awaitsUnit(before.status) !== awaitsUnit(task.status);
    if (!dueChanged && !waitingChanged) return [];
    const policy = await this.policyOf(m, task.itemId);
    const scheduled = await this.scheduler.replan(m, 'task.deadline', [
      this.deadlines.plan(task, policy),
    ]);
    if (waitingChanged) {
      const milestones = await this.milestoneDeadlines.plansOfTasks(m, [task.id], policy);
      scheduled.push(...(await this.scheduler.replan(m, 'milestone.deadline', milestones)));
    }
    return scheduled;
  }

  async planYearOf(m: EntityManager, itemId: string): Promise<number> {
    const [row]: { year: number }[] = await m.query(
      `SELECT p.year FROM plans p JOIN items i ON i.plan_id = p.id WHERE i.id = $1`,
      [itemId],
    );
    return row.year;
  }

  async policyOf(m: EntityManager, itemId: string): Promise<ReminderPolicy | null> {
    const [row]: { reminder_policy: ReminderPolicy | null }[] = await m.query(
      `SELECT p.reminder_policy FROM plans p JOIN items i ON i.plan_id = p.id WHERE i.id = $1`,
      [itemId],
    );
    return row?.reminder_policy ?? null;
  }

  /**
   * Moves a task's deadline (a business date, or an exact instant) and/or marks it done or open
   * again. Reminders follow: a new deadline replaces the old reminders, a finished task has none.
   */
  async update(actor: Actor, id: string, change: TaskChange): Promise<TaskView> {
    if (change.dueDate !== undefined && change.dueAt !== undefined) {
      throw new InvalidInputException('dueDate 与 dueAt 只能二选一', [
        { field: 'dueAt', message: '已给出 dueDate 时不能再给 dueAt' },
      ]);
    }
    const now = this.clock.now();
    const tz = this.config.businessTz;
    let newDueAt: Date | null = null;
    if (change.dueDate !== undefined) {
      if (!isValidDate(change.dueDate)) {
        throw new InvalidInputException(
          `dueDate“${change.dueDate}”不是有效日期，格式为 YYYY-MM-DD`,
          [{ field: 'dueDate', message: '须为有效日期，格式 YYYY-MM-DD' }],
        );
      }
      if (change.dueDate < businessDateOf(now, tz)) {
        throw new InvalidInputException(`截止日期 ${change.dueDate} 已过，不能设为过去的日期`, [
          { field: 'dueDate', message: '不能早于今天' },
        ]);
      }
      newDueAt = endOfBusinessDay(change.dueDate, tz);
    }
    if (change.dueAt !== undefined) {
      const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(
        change.dueAt,
      )
        ? new Date(change.dueAt)
        : null;
      if (!t || Number.isNaN(t.getTime())) {
        throw new InvalidInputException(
          `dueAt“${change.dueAt}”不是带时区的 ISO-8601 时间，例如 2026-06-30T18:00:00+08:00`,
          [{ field: 'dueAt', message: '须为带时区的 ISO-8601 时间' }],
        );
      }
      if (t.getTime() <= now.getTime()) {
        throw new InvalidInputException(`截止时间 ${change.dueAt} 已过，不能设为过去的时间`, [
          { field: 'dueAt', message: '不能早于当前时间' },
        ]);
      }
      newDueAt = t;
    }

    const actions: Action[] = [];
    if (newDueAt !== null) actions.push('task.assign');
    if (change.status === 'done') actions.push('task.close');
    if (change.status === 'open') actions.push('task.reopen');
    if (actions.length === 0) {
      throw new InvalidInputException('没有要修改的内容：请给出 dueDate、dueAt 或 status', [
        { field: 'status', message: '须给出 dueDate、dueAt 或 status 之一' },
      ]);
    }

    const outcome = await this.db.transaction(async (m) => {
      const task = await this.lockForChange(m, actor, id, actions, change.version);
      const before = { status: task.status, dueAt: task.dueAt, dueDate: task.dueDate };
      if (newDueAt) {
        const field = change.dueAt !== undefined ? 'dueAt' : 'dueDate';
        const refusal = checkDeadlineInRange(
          businessDateOf(newDueAt, tz),
          await this.planYearOf(m, task.itemId),
          businessDateOf(now, tz),
        );
        if (refusal) throw new InvalidInputException(refusal, [{ field, message: refusal }]);
      }
      if (newDueAt && newDueAt.getTime() !== task.dueAt.getTime()) {
        task.dueAt = newDueAt;
        task.dueDate = businessDateOf(newDueAt, tz);
        task.remindersPlannedAt = now;
      }
      if (change.status === 'done' && task.status !== 'closed') {
        this.applyEvent(task, 'close');
      } else if (
        change.status === 'open' &&
        (task.status === 'closed' || task.status === 'cancelled')
      ) {
        this.applyEvent(task, 'reopen');
      }
      const changed =
        before.status !== task.status || before.dueAt.getTime() !== task.dueAt.getTime();
      if (changed) {
        await m.getRepository(Task).save(task);
        await this.audit.record(m, {
          actor,
          action: 'task.update',
          entityType: 'task',
          entityId: task.id,
          before: {
            status: before.status,
            dueAt: before.dueAt.toISOString(),
            dueDate: before.dueDate,
          },
          after: { status: task.status, dueAt: task.dueAt.toISOString(), dueDate: task.dueDate },
        });
      }
      return changed ? this.replanReminders(m, task, before) : [];
    });
    this.scheduler.queueSoon(outcome);
    return this.find(id);
  }

  private view(r: TaskRow): TaskView {
    const dueAt = new Date(r.due_at);
    return {
      id: r.id,
      planId: r.plan_id,
      item: { id: r.item_id, number: r.item_number, title: r.item_title },
      unit: { id: r.unit_id, name: r.unit_name },
      role: r.role,
      status: r.status,
      overdue: isOverdue(r.status, dueAt, this.clock.now()),
      dueDate: r.due_date,
      dueAt: dueAt.toISOString(),
      completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
      version: r.version,
    };
  }
}

interface TaskRow {
  id: string;
  plan_id: string;
  item_id: string;
  item_number: number;
  item_title: string;
  unit_id: string;
  unit_name: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  due_date: string;
  due_at: Date;
  completed_at: Date | null;
  version: number;
}

const TASK_COLUMNS = `t.id, i.plan_id, t.item_id, i.number AS item_number, i.title AS item_title,
  t.unit_id, u.name AS unit_name, t.role, t.status, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
  t.due_at, t.completed_at, t.version`;
