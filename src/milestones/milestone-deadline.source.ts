import { Inject, Injectable } from '@nestjs/common';
import { describeDeadline } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { EntityManager } from '../database/transactor.js';
import {
  DEFAULT_REMINDER_POLICY,
  offsetInWords,
  parseOffset,
  type ReminderPolicy,
} from '../reminders/reminder-policy.js';
import { deadlineOccurrences } from '../reminders/reminder-schedule.js';
import type {
  FireResult,
  FiringOccurrence,
  OccurrenceMessage,
  OccurrenceTarget,
  ReminderSource,
  SubjectPlan,
} from '../reminders/reminder-source.js';
import { awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import { milestoneReminderContent } from './milestone-rules.js';
import { MilestonesRepository } from './milestones.repository.js';

/** What planning a milestone's reminders needs to know. */
export interface PlannableMilestone {
  id: string;
  taskId: string;
  dueAt: Date;
  done: boolean;
  remindersPlannedAt: Date;
}

/** The task a milestone belongs to, as far as its reminders care. */
export interface MilestoneTask {
  status: TaskStatus;
  remindersPlannedAt: Date;
}

/** Reminders before a milestone's date (节点提醒), by the plan's reminder policy. */
@Injectable()
export class MilestoneDeadlineSource implements ReminderSource {
  readonly name = 'milestone.deadline' as const;

  constructor(
    private readonly milestones: MilestonesRepository,
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * An open milestone of a task that waits for its unit gets its policy's reminders; reminders
   * due before the milestone's date was set, or before the task last started waiting, are skipped.
   */
  plan(
    milestone: PlannableMilestone,
    task: MilestoneTask,
    policy: ReminderPolicy | null,
  ): SubjectPlan {
    const active = !milestone.done && awaitsUnit(task.status);
    return {
      subjectId: milestone.id,
      taskId: milestone.taskId,
      milestoneId: milestone.id,
      plannedAt: new Date(
        Math.max(milestone.remindersPlannedAt.getTime(), task.remindersPlannedAt.getTime()),
      ),
      occurrences: active
        ? deadlineOccurrences(
            milestone.dueAt,
            policy ?? DEFAULT_REMINDER_POLICY,
            this.calendar,
            this.config.businessTz,
          )
        : [],
    };
  }

  /** The plans of every milestone of these tasks (after the tasks' state or policy changed). */
  async plansOfTasks(
    m: EntityManager,
    taskIds: readonly string[],
    policy: ReminderPolicy | null,
  ): Promise<SubjectPlan[]> {
    if (taskIds.length === 0) return [];
    const rows = await this.milestones.plannableOfTasks(m, taskIds);
    return rows.map((r) => this.plan(r.milestone, r.task, policy));
  }

  describe(
    occurrence: Pick<FiringOccurrence, 'detail'>,
    target: OccurrenceTarget,
  ): OccurrenceMessage {
    return {
      kind: 'milestone.reminder',
      audience: { unitId: target.unitId },
      why: `工作节点${offsetInWords(parseOffset(String(occurrence.detail.offset)))}提醒`,
    };
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const row = await this.milestones.firing(m, occurrence.subjectId);
    if (!row || row.doneAt !== null || !awaitsUnit(row.task.status)) {
      return { kind: 'stale', reason: '节点已完成或已删除，或任务已不需单位办理' };
    }
    if (row.dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '节点时间已变更' };
    }
    const task = row.task;
    const tz = this.config.businessTz;
    const { kind, audience } = this.describe(occurrence, { unitId: task.unitId, leaderId: null });
    return {
      kind: 'messages',
      messages: [
        {
          kind,
          dedupeKey: `milestone.reminder:${occurrence.id}`,
          taskId: task.id,
          milestoneId: occurrence.subjectId,
          occurrenceId: occurrence.id,
          audience,
          content: milestoneReminderContent({
            planTitle: task.planTitle,
            itemNumber: task.itemNumber,
            itemTitle: task.itemTitle,
            unitName: task.unitName,
            milestoneTitle: row.title,
            deadline: describeDeadline(row.dueAt, tz),
            taskDeadline: describeDeadline(task.dueAt, tz),
            offset: parseOffset(String(occurrence.detail.offset)),
            link: {
              label: '在督办系统中查看',
              url: `${this.config.publicUrl}/tasks/${task.id}`,
            },
          }),
        },
      ],
    };
  }

  async backfill(m: EntityManager): Promise<SubjectPlan[]> {
    const rows = await this.milestones.plannableAwaitingUnit(m);
    return rows.map((r) => this.plan(r.milestone, r.task, r.policy));
  }
}
