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
import { AWAITING_UNIT_SQL, awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import { milestoneReminderContent } from './milestone-rules.js';

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
    const dueAt = milestone.dueAt.toISOString();
    const active = !milestone.done && awaitsUnit(task.status);
    return {
      subjectId: milestone.id,
      taskId: milestone.taskId,
      milestoneId: milestone.id,
      plannedAt: new Date(
        Math.max(milestone.remindersPlannedAt.getTime(), task.remindersPlannedAt.getTime()),
      ),
      occurrences: active
        ? computeReminders(
            { dueAt: milestone.dueAt },
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

  /** The plans of every milestone of these tasks (after the tasks' state or policy changed). */
  async plansOfTasks(
    m: EntityManager,
    taskIds: readonly string[],
    policy: ReminderPolicy | null,
  ): Promise<SubjectPlan[]> {
    if (taskIds.length === 0) return [];
    const rows = await this.load(m, `m.task_id = ANY($1::uuid[])`, [taskIds]);
    return rows.map((r) => this.plan(r.milestone, r.task, policy));
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const [row]: {
      title: string;
      due_at: Date;
      done_at: Date | null;
      task_id: string;
      task_status: TaskStatus;
      task_due_at: Date;
      unit_id: string;
      unit_name: string;
      item_number: number;
      item_title: string;
      plan_title: string;
    }[] = await m.query(
      `SELECT m.title, m.due_at, m.done_at, t.id AS task_id, t.status AS task_status,
              t.due_at AS task_due_at, t.unit_id, u.name AS unit_name, i.number AS item_number,
              i.title AS item_title, p.title AS plan_title
         FROM milestones m JOIN tasks t ON t.id = m.task_id JOIN units u ON u.id = t.unit_id
         JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
        WHERE m.id = $1`,
      [occurrence.subjectId],
    );
    if (!row || row.done_at !== null || !awaitsUnit(row.task_status)) {
      return { kind: 'stale', reason: '节点已完成或已删除，或任务已不需单位办理' };
    }
    const dueAt = new Date(row.due_at);
    if (dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '节点时间已变更' };
    }
    const tz = this.config.businessTz;
    return {
      kind: 'messages',
      messages: [
        {
          kind: 'milestone.reminder',
          dedupeKey: `milestone.reminder:${occurrence.id}`,
          taskId: row.task_id,
          milestoneId: occurrence.subjectId,
          occurrenceId: occurrence.id,
          audience: { unitId: row.unit_id },
          content: milestoneReminderContent({
            planTitle: row.plan_title,
            itemNumber: row.item_number,
            itemTitle: row.item_title,
            unitName: row.unit_name,
            milestoneTitle: row.title,
            deadline: describeDeadline(dueAt, tz),
            taskDeadline: describeDeadline(new Date(row.task_due_at), tz),
            offset: parseOffset(String(occurrence.detail.offset)),
            link: {
              label: '在督办系统中查看',
              url: `${this.config.publicUrl}/tasks/${row.task_id}`,
            },
          }),
        },
      ],
    };
  }

  async backfill(m: EntityManager): Promise<SubjectPlan[]> {
    const rows = await this.load(m, `m.done_at IS NULL AND t.status IN ${AWAITING_UNIT_SQL}`, []);
    return rows.map((r) => this.plan(r.milestone, r.task, r.policy));
  }

  private async load(m: EntityManager, where: string, params: unknown[]) {
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
         FROM milestones m JOIN tasks t ON t.id = m.task_id
         JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
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
