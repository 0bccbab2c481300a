import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { describeDeadline } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { EntityManager } from '../database/transactor.js';
import type { OutboxMessage } from '../notifications/outbox-message.js';
import { parseOffset } from '../reminders/reminder-policy.js';
import type {
  FireResult,
  FiringOccurrence,
  OccurrenceMessage,
  OccurrenceTarget,
  ReminderSource,
  SubjectPlan,
} from '../reminders/reminder-source.js';
import { AWAITING_UNIT_SQL, awaitsUnit, type TaskStatus } from '../tasks/task-state.js';
import {
  DEFAULT_ESCALATION_LADDER,
  type EscalationLadder,
  type EscalationStep,
  escalationSteps,
  nextOverdueStep,
} from './escalation-ladder.js';
import {
  lateInWords,
  overdueReminderContent,
  redCardContent,
  yellowCardContent,
} from './escalation-mail.js';
import { type EscalationTask, EscalationsRepository } from './escalations.repository.js';

/** What planning a task's escalation needs to know. */
export interface EscalatableTask {
  id: string;
  status: TaskStatus;
  dueAt: Date;
  remindersPlannedAt: Date;
}

const occurrenceOf = (step: EscalationStep) => ({
  key: step.key,
  fireAt: step.fireAt,
  detail: {
    step: step.kind,
    offset: step.offset,
    repeat: step.repeat,
    dueAt: step.key.slice(step.key.indexOf('@') + 1),
  },
});

/**
 * The escalation ladder as a reminder source: yellow card to the unit's head, red card to the
 * supervision office and the leader in charge, overdue reminders to the unit — while the task
 * waits for its unit. Each card raises the task's escalation level (never lowers it), on the
 * audit trail; a change of the task that stops its waiting or moves its deadline resets it.
 */
@Injectable()
export class EscalationSource implements ReminderSource {
  readonly name = 'task.escalation' as const;

  constructor(
    private readonly repo: EscalationsRepository,
    private readonly audit: AuditService,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  plan(task: EscalatableTask, ladder: EscalationLadder | null): SubjectPlan {
    return {
      subjectId: task.id,
      taskId: task.id,
      milestoneId: null,
      plannedAt: task.remindersPlannedAt,
      occurrences: awaitsUnit(task.status)
        ? this.steps(task, ladder ?? DEFAULT_ESCALATION_LADDER).map(occurrenceOf)
        : [],
    };
  }

  /**
   * The cards and the overdue series: its first step, and — while its steps fall between the
   * planning of the task and now — each next one up to the first still ahead. Planning a task
   * again (a new calendar) so keeps a running series going: the steps that fired keep their
   * state and the next one is planned as firing the last one did.
   */
  private steps(task: EscalatableTask, ladder: EscalationLadder): EscalationStep[] {
    const tz = this.config.businessTz;
    const steps = escalationSteps(task.dueAt, ladder, this.calendar, tz);
    const now = this.clock.now().getTime();
    const since = task.remindersPlannedAt.getTime();
    let last = steps.find((s) => s.kind === 'overdue');
    while (last && last.fireAt.getTime() <= now && last.fireAt.getTime() >= since) {
      const next = nextOverdueStep(task.dueAt, ladder, last.repeat ?? 1, this.calendar, tz);
      if (next) steps.push(next);
      last = next ?? undefined;
    }
    return steps;
  }

  /** The plans of these tasks (after their ladder or calendar changed). */
  async plansOf(m: EntityManager, taskIds: readonly string[]): Promise<SubjectPlan[]> {
    if (taskIds.length === 0) return [];
    const tasks = await this.repo.tasks(m, `t.id = ANY($1::uuid[])`, [taskIds]);
    return tasks.map((t) => this.plan({ ...t, status: t.status as TaskStatus }, t.ladder));
  }

  describe(
    occurrence: Pick<FiringOccurrence, 'detail'>,
    target: OccurrenceTarget,
  ): OccurrenceMessage {
    const step = String(occurrence.detail.step) as EscalationStep['kind'];
    const late = lateInWords(parseOffset(String(occurrence.detail.offset)));
    if (step === 'overdue') {
      return {
        kind: 'escalation.overdue',
        audience: { unitId: target.unitId },
        why: `逾期 ${late}，第 ${Number(occurrence.detail.repeat ?? 1)} 次逾期提醒`,
      };
    }
    if (step === 'yellow') {
      return {
        kind: 'escalation.yellow',
        audience: { unitId: target.unitId, unitRoles: ['unit_head'] },
        why: `逾期 ${late}，黄牌督办（责任单位负责人）`,
      };
    }
    return {
      kind: 'escalation.red',
      mandatory: true,
      // The leader in charge of the unit; without one, every leader.
      audience: target.leaderId
        ? { roles: ['supervisor'], userIds: [target.leaderId] }
        : { roles: ['supervisor', 'leader'] },
      why: `逾期 ${late}，红牌督办（督导室与分管领导）`,
    };
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const task = await this.repo.task(m, occurrence.subjectId);
    if (!task || !awaitsUnit(task.status as TaskStatus)) {
      return { kind: 'stale', reason: '任务已不需单位办理（已报送、办结或撤销）' };
    }
    if (task.dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '截止时间已变更' };
    }
    const ladder = task.ladder ?? DEFAULT_ESCALATION_LADDER;
    const step = String(occurrence.detail.step) as EscalationStep['kind'];
    const input = {
      planTitle: task.planTitle,
      itemNumber: task.itemNumber,
      itemTitle: task.itemTitle,
      unitName: task.unitName,
      role: task.role,
      deadline: describeDeadline(task.dueAt, this.config.businessTz),
      late: lateInWords(parseOffset(String(occurrence.detail.offset))),
      redAfter: lateInWords(parseOffset(ladder.red)),
      link: { label: '在督办系统中查看', url: `${this.config.publicUrl}/tasks/${task.id}` },
    };
    const base = {
      dedupeKey: `${occurrence.source}:${occurrence.id}`,
      taskId: task.id,
      occurrenceId: occurrence.id,
    };
    const { kind, audience, mandatory } = this.describe(occurrence, task);
    if (step === 'overdue') {
      const done = Number(occurrence.detail.repeat ?? 1);
      const next = nextOverdueStep(task.dueAt, ladder, done, this.calendar, this.config.businessTz);
      return {
        kind: 'messages',
        messages: [{ ...base, kind, audience, content: overdueReminderContent(input) }],
        next: next ? [occurrenceOf(next)] : [],
      };
    }
    const level = step === 'red' ? 'red' : 'yellow';
    await this.raise(m, task, level);
    const message: OutboxMessage = {
      ...base,
      kind,
      audience,
      mandatory,
      content: level === 'yellow' ? yellowCardContent(input) : redCardContent(input),
    };
    return { kind: 'messages', messages: [message] };
  }

  private async raise(
    m: EntityManager,
    task: EscalationTask,
    level: 'yellow' | 'red',
  ): Promise<void> {
    if (!(await this.repo.raise(m, task.id, level))) return;
    await this.audit.record(m, {
      actor: null,
      action: 'task.escalate',
      entityType: 'task',
      entityId: task.id,
      before: { level: task.level },
      after: { level, unit: task.unitName },
    });
  }

  async backfill(m: EntityManager): Promise<SubjectPlan[]> {
    const tasks = await this.repo.tasks(m, `t.status IN ${AWAITING_UNIT_SQL}`, []);
    return tasks.map((t) => this.plan({ ...t, status: t.status as TaskStatus }, t.ladder));
  }
}
