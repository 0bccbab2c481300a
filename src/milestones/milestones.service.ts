import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Action, Actor } from '../auth/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import { ForbiddenError } from '../auth/authorizer.service.js';
import { businessDateOf } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { type MilestoneSuggestion, suggestMilestones } from '../plan-document/index.js';
import type { AppConfig } from '../config/config.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { Task } from '../tasks/task.entity.js';
import { isOpen, STATUS_LABELS } from '../tasks/task-state.js';
import type { Page } from '../common/paging.js';
import { TasksService } from '../tasks/tasks.service.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { MilestoneDeadlineSource } from './milestone-deadline.source.js';
import { type Checked, checkTitle, resolveMilestoneDate } from './milestone-rules.js';
import { type Milestone, MilestonesRepository } from './milestones.repository.js';

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

/** A suggested milestone, and whether the task already has a milestone of that title. */
export interface MilestoneSuggestionView extends MilestoneSuggestion {
  exists: boolean;
}

export interface AcceptedSuggestions {
  created: MilestoneView[];
  /** Chosen suggestions not created because the task already has a milestone of that title. */
  skipped: { index: number; title: string }[];
}

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
    private readonly tx: Transactor,
    private readonly repo: MilestonesRepository,
    private readonly tasks: TasksService,
    private readonly scheduler: ReminderScheduler,
    private readonly deadlines: MilestoneDeadlineSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The milestones suggested for a task: the measures its item's text lists, dated by their own
   * words or spread on working days between today and the task's deadline.
   */
  async suggestions(actor: Actor, taskId: string): Promise<MilestoneSuggestionView[]> {
    await this.tasks.requireAccess(actor, taskId, 'milestone.read');
    const m = this.tx.manager;
    const suggested = await this.suggest(m, taskId);
    const existing = await this.repo.titlesOfTask(m, taskId);
    return suggested.map((s) => ({ ...s, exists: existing.has(s.title) }));
  }

  /**
   * Creates the chosen suggested milestones (all when `indexes` is not given) under the rules of
   * `create`, skipping those whose title the task already has. The lead unit's people or a
   * supervisor accept; everything commits at once, each milestone audited.
   */
  async acceptSuggestions(
    actor: Actor,
    taskId: string,
    indexes?: readonly number[],
  ): Promise<AcceptedSuggestions> {
    const outcome = await this.tx.run(async (m) => {
      const task = await this.tasks.lockForChange(m, actor, taskId, 'milestone.complete');
      if (actor.role !== 'supervisor' && task.role !== 'lead') {
        throw new ForbiddenError('只有牵头单位或督导室可以采纳建议节点', {
          actor,
          action: 'forbidden',
          entityType: 'task',
          entityId: taskId,
          after: { attempted: 'milestone.suggestions.accept' },
        });
      }
      this.requireOpen(task, '添加节点');
      const suggested = await this.suggest(m, taskId);
      const unknown = (indexes ?? []).filter((i) => !suggested.some((s) => s.index === i));
      if (unknown.length > 0) {
        throw new InvalidInputException(
          `没有第 ${unknown.join('、')} 条建议节点（共 ${suggested.length} 条）`,
          [{ field: 'indexes', message: `须为 1 到 ${suggested.length} 之间的序号` }],
        );
      }
      const chosen = indexes ? suggested.filter((s) => indexes.includes(s.index)) : suggested;
      const existing = await this.repo.titlesOfTask(m, taskId);
      const now = this.clock.now();
      const created: Milestone[] = [];
      const skipped: AcceptedSuggestions['skipped'] = [];
      const scheduled: QueuedOccurrence[] = [];
      for (const suggestion of chosen) {
        if (existing.has(suggestion.title)) {
          skipped.push({ index: suggestion.index, title: suggestion.title });
          continue;
        }
        const title = valid(checkTitle(suggestion.title));
        const date = valid(
          resolveMilestoneDate({ dueDate: suggestion.dueDate }, task, now, this.config.businessTz),
        );
        const row = await this.repo.insert(m, {
          taskId,
          title,
          dueDate: date.dueDate,
          dueAt: date.dueAt,
          createdAt: now,
        });
        existing.add(title);
        created.push(row);
        await this.audit.record(m, {
          actor,
          action: 'milestone.create',
          entityType: 'milestone',
          entityId: row.id,
          after: { ...this.snapshot(row), suggestion: suggestion.index },
        });
        scheduled.push(...(await this.replanReminders(m, row, task)));
      }
      await this.audit.record(m, {
        actor,
        action: 'milestone.suggestions.accept',
        entityType: 'task',
        entityId: taskId,
        after: {
          created: created.map((r) => r.title),
          skipped: skipped.map((s) => s.title),
        },
      });
      return { created, skipped, scheduled };
    });
    this.scheduler.queueSoon(outcome.scheduled);
    return { created: outcome.created.map((r) => this.view(r)), skipped: outcome.skipped };
  }

  private async suggest(m: EntityManager, taskId: string): Promise<MilestoneSuggestion[]> {
    const source = await this.repo.suggestionSource(m, taskId);
    if (source === null) throw new NotFoundError(`任务 ${taskId} 不存在`);
    const today = businessDateOf(this.clock.now(), this.config.businessTz);
    return suggestMilestones(source.itemBody, source.dueDate, source.planYear, {
      from: today,
      adjust: (date) => this.calendar.previousOrSameWorkday(date),
    });
  }

  async list(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<MilestoneView>> {
    await this.tasks.requireAccess(actor, taskId, 'milestone.read');
    const found = await this.repo.pageOfTask(taskId, { page, pageSize });
    return { ...found, items: found.items.map((r) => this.view(r)) };
  }

  async create(actor: Actor, taskId: string, input: NewMilestone): Promise<MilestoneView> {
    const title = valid(checkTitle(input.title));
    const outcome = await this.tx.run(async (m) => {
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
      const row = await this.repo.insert(m, {
        taskId,
        title,
        dueDate: date.dueDate,
        dueAt: date.dueAt,
        createdAt: now,
      });
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
    const outcome = await this.tx.run(async (m) => {
      const taskId = await this.repo.taskOf(m, id);
      if (taskId === null) throw new NotFoundError(`节点 ${id} 不存在`);
      // Editing the milestone needs 'milestone.manage'; marking it done or open, 'milestone.complete'.
      const edits = title !== undefined || redates;
      const actions: Action[] = [];
      if (edits) actions.push('milestone.manage');
      if (change.done !== undefined || !edits) actions.push('milestone.complete');
      const task = await this.tasks.lockForChange(m, actor, taskId, actions);
      const before = await this.lockMilestone(m, id);
      const now = this.clock.now();
      const after: Milestone = { ...before };
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
        if (date.dueAt.getTime() !== before.dueAt.getTime()) {
          after.dueAt = date.dueAt;
          after.remindersPlannedAt = now;
        }
        after.dueDate = date.dueDate;
      }
      if (change.done === true && before.doneAt === null) after.doneAt = now;
      if (change.done === false && before.doneAt !== null) {
        after.doneAt = null;
        // Reminders that fell due while the milestone was done are not sent late.
        after.remindersPlannedAt = now;
      }
      const doneChanged = (after.doneAt === null) !== (before.doneAt === null);
      const changed =
        after.title !== before.title ||
        after.dueDate !== before.dueDate ||
        after.dueAt.getTime() !== before.dueAt.getTime() ||
        doneChanged;
      if (!changed) return { after: before, scheduled: [] };
      const saved = await this.repo.update(m, id, after);
      const action =
        doneChanged && !edits
          ? after.doneAt
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
      const remindersChanged = doneChanged || saved.dueAt.getTime() !== before.dueAt.getTime();
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
    await this.tx.run(async (m) => {
      const taskId = await this.repo.taskOf(m, id);
      if (taskId === null) throw new NotFoundError(`节点 ${id} 不存在`);
      // Deleting is the supervision office's call (the same rule as setting task deadlines).
      await this.tasks.lockForChange(m, actor, taskId, 'task.assign');
      const before = await this.lockMilestone(m, id);
      await this.repo.delete(m, id);
      await this.audit.record(m, {
        actor,
        action: 'milestone.delete',
        entityType: 'milestone',
        entityId: id,
        before: this.snapshot(before),
      });
    });
  }

  private async lockMilestone(m: EntityManager, id: string): Promise<Milestone> {
    const row = await this.repo.lock(m, id);
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
    row: Milestone,
    task: Task,
  ): Promise<QueuedOccurrence[]> {
    const plan = this.deadlines.plan(
      {
        id: row.id,
        taskId: task.id,
        dueAt: row.dueAt,
        done: row.doneAt !== null,
        remindersPlannedAt: row.remindersPlannedAt,
      },
      task,
      await this.tasks.policyOf(m, task.itemId),
    );
    return this.scheduler.replan(m, 'milestone.deadline', [plan]);
  }

  private snapshot(row: Milestone) {
    return {
      taskId: row.taskId,
      title: row.title,
      dueDate: row.dueDate,
      dueAt: row.dueAt.toISOString(),
      doneAt: row.doneAt ? row.doneAt.toISOString() : null,
    };
  }

  private view(row: Milestone): MilestoneView {
    return {
      id: row.id,
      taskId: row.taskId,
      title: row.title,
      dueDate: row.dueDate,
      dueAt: row.dueAt.toISOString(),
      done: row.doneAt !== null,
      doneAt: row.doneAt ? row.doneAt.toISOString() : null,
      overdue: row.doneAt === null && row.dueAt.getTime() < this.clock.now().getTime(),
      createdAt: row.createdAt.toISOString(),
    };
  }
}
