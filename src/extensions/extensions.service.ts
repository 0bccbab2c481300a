import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { businessDateOf, endOfBusinessDay } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import type { Task } from '../tasks/task.entity.js';
import type { Page } from '../common/paging.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { TasksService, type TaskSummary, taskSummary } from '../tasks/tasks.service.js';
import {
  checkDecision,
  checkProposedDate,
  checkRequest,
  decisionMailContent,
  describeDeadline,
  type ExtensionDecision,
  type ExtensionStatus,
  type Refusal,
} from './extension-rules.js';
import {
  type ExtensionRequest,
  ExtensionRequestsRepository,
} from './extension-requests.repository.js';

export interface ExtensionRequestView {
  id: string;
  taskId: string;
  status: ExtensionStatus;
  reason: string;
  /** The deadline when the request was made. */
  currentDueAt: string;
  currentDueDate: string;
  proposedDueDate: string;
  requestedBy: { id: string; name: string };
  createdAt: string;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionComment: string | null;
  version: number;
}

export type ExtensionTaskSummary = Omit<TaskSummary, 'role' | 'status'>;

export interface DecisionInput {
  comment?: string;
  /** Optimistic lock: the request version the caller last saw. */
  version?: number;
}

const ONE_PENDING_MESSAGE = '已有待审批的延期申请，请等待督导室审批后再提出';

/**
 * Extension requests (延期申请): a unit asks for a later deadline before its task is due; a
 * supervisor approves (the deadline moves and the reminders follow) or rejects; the unit is told
 * either way.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ExtensionRequestsRepository,
    private readonly taskRows: TasksRepository,
    private readonly tasks: TasksService,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    private readonly outbox: OutboxService,
    private readonly scheduler: ReminderScheduler,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(
    actor: Actor,
    taskId: string,
    input: { reason: string; proposedDueDate: string },
  ): Promise<ExtensionRequestView> {
    refuse(checkProposedDate(input.proposedDueDate));
    const tz = this.config.businessTz;
    const id = await this.tx.run(async (m) => {
      // The task row lock serialises requests for one task; the partial unique index backs it up.
      const task = await this.tasks.lockForChange(m, actor, taskId, 'extension.request');
      const now = this.clock.now();
      refuse(checkRequest(task, input.proposedDueDate, now, tz));
      const pendingRequestId = await this.repo.pendingOf(m, taskId);
      if (pendingRequestId !== null) {
        throw new ConflictError(ONE_PENDING_MESSAGE, { pendingRequestId });
      }
      const requestId = await this.repo.insert(m, {
        taskId,
        requestedBy: actor.userId,
        reason: input.reason,
        currentDueAt: task.dueAt,
        proposedDueDate: input.proposedDueDate,
        createdAt: now,
      });
      if (requestId === null) throw new ConflictError(ONE_PENDING_MESSAGE);
      await this.audit.record(m, {
        actor,
        action: 'extension.request',
        entityType: 'extension_request',
        entityId: requestId,
        after: {
          taskId,
          status: 'pending',
          reason: input.reason,
          currentDueAt: task.dueAt.toISOString(),
          currentDueDate: task.dueDate,
          proposedDueDate: input.proposedDueDate,
        },
      });
      return requestId;
    });
    return this.find(id);
  }

  /**
   * Requests across tasks — the supervisors' decision queue (`status=pending`, oldest first) —
   * each with its task's item and unit. Unit roles see their own unit's only.
   */
  async listAll(
    actor: Actor,
    filter: {
      status?: ExtensionStatus;
      planId?: string;
      unitId?: string;
      page: number;
      pageSize: number;
    },
  ): Promise<Page<ExtensionRequestView & { task: ExtensionTaskSummary }>> {
    const found = await this.repo.page({ ...filter, visibleUnit: visibleUnit(actor) }, filter);
    return {
      ...found,
      items: found.items.map(({ record, task }) => {
        // The requests' queue shows neither the task's role nor its status.
        const { role: _role, status: _status, ...summary } = taskSummary(task);
        return { ...this.view(record), task: summary };
      }),
    };
  }

  async listForTask(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<ExtensionRequestView>> {
    await this.tasks.requireAccess(actor, taskId, 'extension.read');
    const found = await this.repo.pageOfTask(taskId, { page, pageSize });
    return { ...found, items: found.items.map((r) => this.view(r)) };
  }

  /**
   * Approves or rejects a pending request. Approval moves the task's deadline in the same
   * transaction; after commit the old reminders are removed, the new ones queued, and the unit's
   * mail dispatched.
   */
  async decide(
    actor: Actor,
    requestId: string,
    decision: ExtensionDecision,
    input: DecisionInput,
  ): Promise<ExtensionRequestView> {
    const comment = input.comment?.trim() ? input.comment : null;
    if (decision === 'reject' && comment === null) {
      throw new InvalidInputException('驳回延期申请须填写审批意见', [
        { field: 'comment', message: '驳回时必填' },
      ]);
    }
    const taskId = await this.repo.taskOf(requestId);
    if (taskId === null) throw new NotFoundError(`延期申请 ${requestId} 不存在`);
    const tz = this.config.businessTz;

    const outcome = await this.tx.run(async (m) => {
      // Lock order: the task, then the request (as when a request is made).
      const task = await this.tasks.lockForChange(m, actor, taskId, 'extension.decide');
      const row = await this.repo.lock(m, requestId);
      if (!row) throw new NotFoundError(`延期申请 ${requestId} 不存在`);
      if (input.version !== undefined && input.version !== row.version) {
        throw new ConflictError(`延期申请已被他人处理（当前版本 ${row.version}），请刷新后重试`, {
          currentVersion: row.version,
          currentStatus: row.status,
        });
      }
      const now = this.clock.now();
      refuse(
        checkDecision(
          { status: row.status, proposedDueDate: row.proposedDueDate },
          decision,
          task,
          now,
          tz,
        ),
      );
      const status: ExtensionStatus = decision === 'approve' ? 'approved' : 'rejected';
      await this.repo.decide(m, requestId, {
        status,
        decidedBy: actor.userId,
        decidedAt: now,
        comment,
      });
      await this.audit.record(m, {
        actor,
        action: `extension.${decision}`,
        entityType: 'extension_request',
        entityId: requestId,
        before: { status: row.status },
        after: { status, comment, taskId: task.id, proposedDueDate: row.proposedDueDate },
      });

      const before = { status: task.status, dueAt: task.dueAt, dueDate: task.dueDate };
      if (decision === 'approve') {
        task.dueDate = row.proposedDueDate;
        task.dueAt = endOfBusinessDay(row.proposedDueDate, tz);
        task.remindersPlannedAt = now;
        await this.taskRows.save(m, task);
        await this.audit.record(m, {
          actor,
          action: 'task.extend',
          entityType: 'task',
          entityId: task.id,
          before: { dueDate: before.dueDate, dueAt: before.dueAt.toISOString() },
          after: {
            dueDate: task.dueDate,
            dueAt: task.dueAt.toISOString(),
            extensionRequestId: requestId,
          },
        });
      }
      const deliveryIds = await this.notifyUnit(m, task, row, decision, comment, actor);
      const scheduled = await this.tasks.replanReminders(m, task, before);
      return { deliveryIds, scheduled };
    });

    this.scheduler.queueSoon(outcome.scheduled);
    this.outbox.dispatch(outcome.deliveryIds);
    return this.find(requestId);
  }

  private async notifyUnit(
    m: EntityManager,
    task: Task,
    row: ExtensionRequest,
    decision: ExtensionDecision,
    comment: string | null,
    actor: Actor,
  ): Promise<string[]> {
    const info = await this.tasks.mailContext(m, task.id);
    const kind = decision === 'approve' ? 'extension.approved' : 'extension.rejected';
    const recorded = await this.outbox.record(m, [
      {
        kind,
        dedupeKey: `${kind}:${row.id}`,
        taskId: task.id,
        audience: { unitId: task.unitId },
        content: decisionMailContent({
          decision,
          ...info,
          proposedDueDate: row.proposedDueDate,
          deadline: describeDeadline(task.dueAt, this.config.businessTz),
          comment,
          decidedBy: actor.name,
          link: this.tasks.linkTo(task.id),
        }),
      },
    ]);
    return recorded.deliveryIds;
  }

  private async find(id: string): Promise<ExtensionRequestView> {
    const request = await this.repo.find(id);
    if (!request) throw new NotFoundError(`延期申请 ${id} 不存在`);
    return this.view(request);
  }

  private view(r: ExtensionRequest): ExtensionRequestView {
    return {
      id: r.id,
      taskId: r.taskId,
      status: r.status,
      reason: r.reason,
      currentDueAt: r.currentDueAt.toISOString(),
      currentDueDate: businessDateOf(r.currentDueAt, this.config.businessTz),
      proposedDueDate: r.proposedDueDate,
      requestedBy: r.requestedBy,
      createdAt: r.createdAt.toISOString(),
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
      decisionComment: r.decisionComment,
      version: r.version,
    };
  }
}

/** Turns a rule's refusal into the API's 400 or 409. */
function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  if (refusal.kind === 'invalid') {
    throw new InvalidInputException(refusal.message, [
      { field: refusal.field, message: refusal.message },
    ]);
  }
  throw new ConflictError(refusal.message, refusal.details);
}
