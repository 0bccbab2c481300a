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
import { awaitsUnit, type TaskStatus } from './task-state.js';
import { reminderMailContent } from './task-reminder-mail.js';
import { TasksRepository } from './tasks.repository.js';

/** What planning a task's deadline reminders needs to know. */
export interface PlannableTask {
  id: string;
  status: TaskStatus;
  dueAt: Date;
  remindersPlannedAt: Date;
}

/** Reminders before (and after) a task's deadline, by the plan's reminder policy. */
@Injectable()
export class TaskDeadlineSource implements ReminderSource {
  readonly name = 'task.deadline' as const;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plan of a task: its policy's reminders while it waits for its unit, else none. */
  plan(task: PlannableTask, policy: ReminderPolicy | null): SubjectPlan {
    return {
      subjectId: task.id,
      taskId: task.id,
      milestoneId: null,
      plannedAt: task.remindersPlannedAt,
      occurrences: awaitsUnit(task.status)
        ? deadlineOccurrences(
            task.dueAt,
            policy ?? DEFAULT_REMINDER_POLICY,
            this.calendar,
            this.config.businessTz,
          )
        : [],
    };
  }

  describe(
    occurrence: Pick<FiringOccurrence, 'detail'>,
    target: OccurrenceTarget,
  ): OccurrenceMessage {
    return {
      kind: 'reminder',
      audience: { unitId: target.unitId },
      why: `${offsetInWords(parseOffset(String(occurrence.detail.offset)))}提醒`,
    };
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const task = await this.tasks.find(m, occurrence.subjectId);
    if (!task || !awaitsUnit(task.status)) {
      return { kind: 'stale', reason: '任务已不需单位办理（已报送、办结或撤销）' };
    }
    if (task.dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '截止时间已变更' };
    }
    const offset = parseOffset(String(occurrence.detail.offset));
    const { kind, audience } = this.describe(occurrence, { unitId: task.unitId, leaderId: null });
    return {
      kind: 'messages',
      messages: [
        {
          kind,
          dedupeKey: `reminder:${occurrence.id}`,
          taskId: occurrence.subjectId,
          occurrenceId: occurrence.id,
          audience,
          content: reminderMailContent({
            planTitle: task.planTitle,
            itemNumber: task.itemNumber,
            itemTitle: task.itemTitle,
            unitName: task.unitName,
            role: task.role,
            deadline: describeDeadline(task.dueAt, this.config.businessTz),
            workdaysLeft: offset.kind === 'workdays' ? -offset.workdays : null,
            msLeft: offset.kind === 'exact' ? -offset.milliseconds : null,
            link: {
              label: '在督办系统中查看',
              url: `${this.config.publicUrl}/tasks/${occurrence.subjectId}`,
            },
          }),
        },
      ],
    };
  }

  async backfill(m: EntityManager): Promise<SubjectPlan[]> {
    const rows = await this.tasks.awaitingUnit(m);
    return rows.map((r) => this.plan(r.task, r.policy));
  }
}
