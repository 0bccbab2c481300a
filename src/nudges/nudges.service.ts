import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { Clock } from '../common/clock.js';
import { ConflictError, TooManyRequestsError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import { describeDeadline } from '../calendar/business-time.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { isOpen, isOverdue, STATUS_LABELS } from '../tasks/task-state.js';
import { TasksService } from '../tasks/tasks.service.js';
import { nudgeMailContent, nudgeWaitMs, waitMessage } from './nudge-rules.js';
import { NudgesRepository } from './nudges.repository.js';

export interface NudgeResult {
  taskId: string;
  nudgeId: string;
  /** Recipients reached: the unit's head and members (or its contact address) and its group robots. */
  recipients: number;
  nudgedAt: string;
}

/**
 * Nudges (催办): a supervisor reminds a task's unit at once, with an optional note. The message
 * and the audit entry commit together; the mail goes out after commit.
 */
@Injectable()
export class NudgesService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: NudgesRepository,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async nudge(actor: Actor, taskId: string, note: string | null): Promise<NudgeResult> {
    const text = note?.trim() ? note : null;
    const outcome = await this.tx.run(async (m) => {
      // The task row lock serialises nudges of one task, so the rate limit holds under concurrency.
      const task = await this.tasks.lockForChange(m, actor, taskId, 'task.nudge');
      if (!isOpen(task.status)) {
        throw new ConflictError(`任务当前状态为“${STATUS_LABELS[task.status]}”，无需催办`, {
          currentStatus: task.status,
        });
      }
      const now = this.clock.now();
      const lastAt = await this.repo.lastNudgeAt(m, taskId);
      const waitMs = nudgeWaitMs(lastAt, now);
      if (waitMs > 0) throw new TooManyRequestsError(waitMessage(waitMs), Math.ceil(waitMs / 1000));

      const info = await this.tasks.mailContext(m, taskId);
      const nudgeId = randomUUID();
      const { deliveryIds, recipients } = await this.outbox.record(m, [
        {
          kind: 'nudge',
          dedupeKey: `nudge:${nudgeId}`,
          taskId,
          audience: { unitId: task.unitId },
          content: nudgeMailContent({
            ...info,
            role: task.role,
            status: task.status,
            deadline: describeDeadline(task.dueAt, this.config.businessTz),
            overdue: isOverdue(task.status, task.dueAt, now),
            note: text,
            nudgedBy: actor.name,
            link: this.tasks.linkTo(taskId),
          }),
        },
      ]);
      if (recipients === 0) {
        throw new ConflictError(
          `责任单位“${info.unitName}”没有联系人，也未设置联系邮箱，催办无法送达；请先设置联系邮箱`,
          { unitId: task.unitId },
        );
      }
      await this.audit.record(m, {
        actor,
        action: 'task.nudge',
        entityType: 'task',
        entityId: taskId,
        after: { nudgeId, note: text, recipients, nudgedAt: now.toISOString() },
      });
      return { deliveryIds, recipients, nudgeId, now };
    });
    this.outbox.dispatch(outcome.deliveryIds);
    return {
      taskId,
      nudgeId: outcome.nudgeId,
      recipients: outcome.recipients,
      nudgedAt: outcome.now.toISOString(),
    };
  }
}
