import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { describeDeadline } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import {
  DEFAULT_REMINDER_POLICY,
  parseOffset,
  type ReminderPolicy,
} from '../reminders/reminder-policy.js';
import { computeReminders } from '../reminders/reminder-schedule.js';
import type {
  FireResult,
  FiringOccurrence,
  ReminderSource,
  SubjectPlan,
} from '../reminders/reminder-source.js';
import { AWAITING_UNIT_SQL, awaitsUnit, type TaskStatus } from './task-state.js';
import { reminderMailContent } from './task-reminder-mail.js';

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
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plan of a task: its policy's reminders while it waits for its unit, else none. */
  plan(task: PlannableTask, policy: ReminderPolicy | null): SubjectPlan {
    const dueAt = task.dueAt.toISOString();
    return {
      subjectId: task.id,
      taskId: task.id,
      milestoneId: null,
      plannedAt: task.remindersPlannedAt,
      occurrences: awaitsUnit(task.status)
        ? computeReminders(
            { dueAt: task.dueAt },
            policy ?? DEFAULT_REMINDER_POLICY,
            this.calendar,
            this.config.businessTz,
          ).map((r) => ({
            key: `${r.offset}@${dueAt}`,
            fireAt: r.fireAt,
            detail: { offset: r.offset, dueAt },
          }))
        : [],
    };
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const [task]: {
      status: TaskStatus;
      role: 'lead' | 'co';
      due_at: Date;
      unit_id: string;
      unit_name: string;
      item_number: number;
      item_title: string;
      plan_title: string;
    }[] = await m.query(
      `SELECT t.status, t.role, t.due_at, t.unit_id, u.name AS unit_name, i.number AS item_number,
              i.title AS item_title, p.title AS plan_title
         FROM tasks t JOIN units u ON u.id = t.unit_id JOIN items i ON i.id = t.item_id
         JOIN plans p ON p.id = i.plan_id
        WHERE t.id = $1`,
      [occurrence.subjectId],
    );
    const dueAt = task ? new Date(task.due_at) : null;
    if (!task || !dueAt || !awaitsUnit(task.status)) {
      return { kind: 'stale', reason: '任务已不需单位办理（已报送、办结或撤销）' };
    }
    if (dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '截止时间已变更' };
    }
    const offset = parseOffset(String(occurrence.detail.offset));
    return {
      kind: 'messages',
      messages: [
        {
          kind: 'reminder',
          dedupeKey: `reminder:${occurrence.id}`,
          taskId: occurrence.subjectId,
          occurrenceId: occurrence.id,
          audience: { unitId: task.unit_id },
          content: reminderMailContent({
            planTitle: task.plan_title,
            itemNumber: task.item_number,
            itemTitle: task.item_title,
            unitName: task.unit_name,
            role: task.role,
            deadline: describeDeadline(dueAt, this.config.businessTz),
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
    const rows: {
      id: string;
      status: TaskStatus;
      due_at: Date;
      reminders_planned_at: Date;
      reminder_policy: ReminderPolicy | null;
    }[] = await m.query(
      `SELECT t.id, t.status, t.due_at, t.reminders_planned_at, p.reminder_policy
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE t.status IN ${AWAITING_UNIT_SQL}`,
    );
    return rows.map((r) =>
      this.plan(
        {
          id: r.id,
          status: r.status,
          dueAt: new Date(r.due_at),
          remindersPlannedAt: new Date(r.reminders_planned_at),
        },
        r.reminder_policy,
      ),
    );
  }
}
