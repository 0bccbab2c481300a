import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Action, type Actor, visibleUnit } from '../auth/permissions.js';
import { businessDateOf, endOfBusinessDay, isValidDate } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/paging.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { EscalationSource } from '../escalations/escalation.source.js';
import { MilestoneDeadlineSource } from '../milestones/milestone-deadline.source.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { TaskDeadlineSource } from './task-deadline.source.js';
import { checkDeadlineInRange } from './deadline-range.js';
import type { Task } from './task.entity.js';
import {
  awaitsUnit,
  IllegalTransitionError,
  isOverdue,
  nextStatus,
  type TaskEvent,
  type TaskStatus,
} from './task-state.js';
import {
  type Paging,
  type TaskListFilter,
  type TaskRecord,
  TasksRepository,
} from './tasks.repository.js';

/** `GET /tasks`: what to list (the caller's visibility is added here) and which page. */
export type TaskFilter = Omit<TaskListFilter, 'visibleUnit' | 'now'> & Paging;

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
  /** 黄牌/红牌 and since when; level none while the task is not overdue-and-waiting. */
  escalation: { level: 'none' | 'yellow' | 'red'; since: string | null };
}

/** What a list across tasks (reports, requests …) shows of each entry's task. */
export interface TaskSummary {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: TaskStatus;
  dueAt: string;
}

export function taskSummary(t: TaskRecord): TaskSummary {
  return {
    id: t.id,
    planId: t.planId,
    item: { number: t.itemNumber, title: t.itemTitle },
    unit: { id: t.unitId, name: t.unitName },
    role: t.role,
    status: t.status,
    dueAt: t.dueAt.toISOString(),
  };
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

@Injectable()
export class TasksService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: TasksRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly deadlines: TaskDeadlineSource,
    private readonly milestoneDeadlines: MilestoneDeadlineSource,
    private readonly escalations: EscalationSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, filter: TaskFilter): Promise<Page<TaskView>> {
    const found = await this.repo.page(
      { ...filter, visibleUnit: visibleUnit(actor), now: this.clock.now() },
      filter,
    );
    return { ...found, items: found.items.map((r) => this.view(r)) };
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
    const unitId = await this.repo.unitOf(this.tx.manager, taskId);
    if (unitId === null) throw new NotFoundError(`任务 ${taskId} 不存在`);
    this.authorizer.require(actor, action, { unitId }, { type: 'task', id: taskId });
    return { unitId };
  }

  /** What messages about a task name: its plan, item and unit. */
  async mailContext(
    m: EntityManager,
    taskId: string,
  ): Promise<{ planTitle: string; itemNumber: number; itemTitle: string; unitName: string }> {
    const task = await this.repo.find(m, taskId);
    if (!task) throw new NotFoundError(`任务 ${taskId} 不存在`);
    return {
      planTitle: task.planTitle,
      itemNumber: task.itemNumber,
      itemTitle: task.itemTitle,
      unitName: task.unitName,
    };
  }

  /** The task's page in the web console, for links in messages. */
  linkTo(taskId: string): { label: string; url: string } {
    return { label: '在督办系统中查看', url: `${this.config.publicUrl}/tasks/${taskId}` };
  }

  private async find(id: string): Promise<TaskView> {
    const task = await this.repo.find(this.tx.manager, id);
    if (!task) throw new NotFoundError(`任务 ${id} 不存在`);
    return this.view(task);
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
    const outcome = await this.tx.run(async (m) => {
      const task = await this.lockForChange(m, actor, id, EVENT_ACTIONS[event], version);
      const before = { status: task.status, dueAt: task.dueAt };
      this.applyEvent(task, event);
      await this.repo.save(m, task);
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
    const unitId = await this.repo.unitOf(m, id);
    if (unitId === null) throw new NotFoundError(`任务 ${id} 不存在`);
    for (const action of typeof actions === 'string' ? [actions] : actions) {
      this.authorizer.require(actor, action, { unitId }, { type: 'task', id });
    }
    const task = await this.repo.lock(m, id);
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
    const plan = await this.repo.planOfItem(m, task.itemId);
    const policy = plan?.reminderPolicy ?? null;
    const scheduled = [
      ...(await this.scheduler.replan(m, 'task.deadline', [this.deadlines.plan(task, policy)])),
      ...(await this.scheduler.replan(m, 'task.escalation', [
        this.escalations.plan(task, plan?.escalationLadder ?? null),
      ])),
    ];
    if (waitingChanged) {
      const milestones = await this.milestoneDeadlines.plansOfTasks(m, [task.id], policy);
      scheduled.push(...(await this.scheduler.replan(m, 'milestone.deadline', milestones)));
    }
    // A card ends when the task stops waiting for its unit or gets a new deadline.
    if (task.escalationLevel !== 'none') {
      await this.audit.record(m, {
        actor: null,
        action: 'task.escalation_reset',
        entityType: 'task',
        entityId: task.id,
        before: { level: task.escalationLevel },
        after: { level: 'none', reason: dueChanged ? '截止时间变更' : '任务不再等待责任单位办理' },
      });
      task.escalationLevel = 'none';
      task.escalatedAt = null;
      await this.repo.resetEscalation(m, task.id);
    }
    return scheduled;
  }

  async planYearOf(m: EntityManager, itemId: string): Promise<number> {
    const plan = await this.repo.planOfItem(m, itemId);
    if (!plan) throw new NotFoundError(`条目 ${itemId} 不存在`);
    return plan.year;
  }

  async policyOf(m: EntityManager, itemId: string): Promise<ReminderPolicy | null> {
    return (await this.repo.planOfItem(m, itemId))?.reminderPolicy ?? null;
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

    const outcome = await this.tx.run(async (m) => {
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
        await this.repo.save(m, task);
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

  private view(r: TaskRecord): TaskView {
    return {
      id: r.id,
      planId: r.planId,
      item: { id: r.itemId, number: r.itemNumber, title: r.itemTitle },
      unit: { id: r.unitId, name: r.unitName },
      role: r.role,
      status: r.status,
      overdue: isOverdue(r.status, r.dueAt, this.clock.now()),
      dueDate: r.dueDate,
      dueAt: r.dueAt.toISOString(),
      completedAt: r.completedAt ? r.completedAt.toISOString() : null,
      version: r.version,
      escalation: {
        level: r.escalationLevel,
        since: r.escalatedAt ? r.escalatedAt.toISOString() : null,
      },
    };
  }
}
