import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { businessDateOf, endOfBusinessDay, isValidDate } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import { RemindersService } from '../reminders/reminders.service.js';
import { Task, type TaskStatus } from './task.entity.js';

export interface TaskFilter {
  planId?: string;
  /** Unit id or exact unit name. */
  unit?: string;
  status?: TaskStatus | 'overdue';
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

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TaskChange {
  dueDate?: string;
  dueAt?: string;
  status?: TaskStatus;
  /** Optimistic lock: the version the caller last saw. */
  version?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(filter: TaskFilter): Promise<Page<TaskView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.planId) add('i.plan_id = ?', filter.planId);
    if (filter.unit) {
      if (UUID.test(filter.unit)) add('t.unit_id = ?', filter.unit);
      else add('u.name = ?', filter.unit);
    }
    if (filter.status === 'overdue') {
      where.push(`t.status = 'open'`);
      add('t.due_at < ?', this.clock.now());
    } else if (filter.status) add('t.status = ?', filter.status);
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

  async get(id: string): Promise<TaskView> {
    const [row]: TaskRow[] = await this.db.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
        WHERE t.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError(`任务 ${id} 不存在`);
    return this.view(row);
  }

  /**
   * Moves a task's deadline (a business date, or an exact instant) and/or marks it done or open
   * again. Reminders follow: a new deadline replaces the old reminders, a finished task has none.
   */
  async update(id: string, change: TaskChange): Promise<TaskView> {
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

    const result = await this.db.transaction(async (m) => {
      const task = await m
        .getRepository(Task)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError(`任务 ${id} 不存在`);
      if (change.version !== undefined && change.version !== task.version) {
        throw new ConflictError(`任务已被他人修改（当前版本 ${task.version}），请刷新后重试`, {
          currentVersion: task.version,
        });
      }
      const [planRow]: { reminder_policy: ReminderPolicy | null }[] = await m.query(
        `SELECT p.reminder_policy FROM plans p JOIN items i ON i.plan_id = p.id WHERE i.id = $1`,
        [task.itemId],
      );
      const policy = planRow?.reminder_policy ?? null;
      const before = { id: task.id, status: task.status, dueAt: task.dueAt, policy };
      let changed = false;
      if (newDueAt && newDueAt.getTime() !== task.dueAt.getTime()) {
        task.dueAt = newDueAt;
        task.dueDate = businessDateOf(newDueAt, tz);
        task.remindersPlannedAt = now;
        changed = true;
      }
      if (change.status && change.status !== task.status) {
        task.status = change.status;
        task.completedAt = change.status === 'done' ? now : null;
        if (change.status === 'open') task.remindersPlannedAt = now;
        changed = true;
      }
      if (changed) await m.getRepository(Task).save(task);
      return { changed, before, after: { ...task, policy } };
    });
    if (result.changed) {
      if (result.before.status === 'open') await this.reminders.unschedule([result.before]);
      await this.reminders.schedule([result.after]);
    }
    return this.get(id);
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
      overdue: r.status === 'open' && dueAt.getTime() < this.clock.now().getTime(),
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
