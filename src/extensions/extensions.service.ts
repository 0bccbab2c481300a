import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
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
import { Task } from '../tasks/task.entity.js';
import { pageOf, pageWindow, type Page } from '../common/paging.js';
import { whereClause } from '../database/sql-filter.js';
import { TasksService } from '../tasks/tasks.service.js';
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

export interface ExtensionTaskSummary {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  dueAt: string;
}

export interface DecisionInput {
  comment?: string;
  /** Optimistic lock: the request version the caller last saw. */
  version?: number;
}

interface RequestRow {
  id: string;
  task_id: string;
  status: ExtensionStatus;
  reason: string;
  current_due_at: Date;
  proposed_due_date: string;
  requested_by: string;
  requested_by_name: string;
  created_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  version: number;
}

const REQUEST_COLUMNS = `e.id, e.task_id, e.status, e.reason, e.current_due_at,
  to_char(e.proposed_due_date, 'YYYY-MM-DD') AS proposed_due_date, e.requested_by,
  ru.name AS requested_by_name, e.created_at, e.decided_by, du.name AS decided_by_name,
  e.decided_at, e.decision_comment, e.version`;
const REQUEST_FROM = `FROM extension_requests e JOIN users ru ON ru.id = e.requested_by
  LEFT JOIN users du ON du.id = e.decided_by`;

const ONE_PENDING_MESSAGE = '已有待审批的延期申请，请等待督导室审批后再提出';

/**
 * Extension requests (延期申请): a unit asks for a later deadline before its task is due; a
 * supervisor approves (the deadline moves and the reminders follow) or rejects; the unit is told
 * either way.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    const id = await this.db.transaction(async (m) => {
      // The task row lock serialises requests for one task; the partial unique index backs it up.
      const task = await this.tasks.lockForChange(m, actor, taskId, 'extension.request');
      const now = this.clock.now();
      refuse(checkRequest(task, input.proposedDueDate, now, tz));
      const pending: { id: string }[] = await m.query(
        `SELECT id FROM extension_requests WHERE task_id = $1 AND status = 'pending'`,
        [taskId],
      );
      if (pending.length > 0) {
        throw new ConflictError(ONE_PENDING_MESSAGE, { pendingRequestId: pending[0].id });
      }
      let rows: { id: string }[];
      try {
        rows = await m.query(
          `INSERT INTO extension_requests (task_id, requested_by, reason, current_due_at, proposed_due_date, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [taskId, actor.userId, input.reason, task.dueAt, input.proposedDueDate, now],
        );
      } catch (error) {
        if ((error as { constraint?: string }).constraint === 'extension_requests_one_pending') {
          throw new ConflictError(ONE_PENDING_MESSAGE);
        }
        throw error;
      }
      const requestId = rows[0].id;
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
    const { sql, params } = whereClause([
      ['t.unit_id = ?', visibleUnit(actor) ?? undefined],
      ['e.status = ?', filter.status],
      ['i.plan_id = ?', filter.planId],
      ['t.unit_id = ?', filter.unitId],
    ]);
    const from = `${REQUEST_FROM} JOIN tasks t ON t.id = e.task_id JOIN items i ON i.id = t.item_id
      JOIN units u ON u.id = t.unit_id ${sql}`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const { limit, offset } = pageWindow(filter);
    const rows: (RequestRow & {
      plan_id: string;
      item_number: number;
      item_title: string;
      unit_id: string;
      unit_name: string;
      due_at: Date;
    })[] = await this.db.query(
      `SELECT ${REQUEST_COLUMNS}, i.plan_id, i.number AS item_number, i.title AS item_title,
              t.unit_id, u.name AS unit_name, t.due_at
         ${from} ORDER BY e.created_at, e.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return pageOf(
      rows.map((r) => ({
        ...this.view(r),
        task: {
          id: r.task_id,
          planId: r.plan_id,
          item: { number: r.item_number, title: r.item_title },
          unit: { id: r.unit_id, name: r.unit_name },
          dueAt: new Date(r.due_at).toISOString(),
        },
      })),
      total,
      filter,
    );
  }

  async listForTask(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<ExtensionRequestView>> {
    await this.tasks.requireAccess(actor, taskId, 'extension.read');
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM extension_requests WHERE task_id = $1`,
      [taskId],
    );
    const rows: RequestRow[] = await this.db.query(
      `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE e.task_id = $1
        ORDER BY e.created_at DESC, e.id LIMIT $2 OFFSET $3`,
      [taskId, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map((r) => this.view(r)), total, page, pageSize };
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
    const [located]: { task_id: string }[] = await this.db.query(
      `SELECT task_id FROM extension_requests WHERE id = $1`,
      [requestId],
    );
    if (!located) throw new NotFoundError(`延期申请 ${requestId} 不存在`);
    const tz = this.config.businessTz;

    const outcome = await this.db.transaction(async (m) => {
      // Lock order: the task, then the request (as when a request is made).
      const task = await this.tasks.lockForChange(m, actor, located.task_id, 'extension.decide');
      const [row]: RequestRow[] = await m.query(
        `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE e.id = $1 FOR UPDATE OF e`,
        [requestId],
      );
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
          { status: row.status, proposedDueDate: row.proposed_due_date },
          decision,
          task,
          now,
          tz,
        ),
      );
      const status: ExtensionStatus = decision === 'approve' ? 'approved' : 'rejected';
      await m.query(
        `UPDATE extension_requests SET status = $2, decided_by = $3, decided_at = $4,
                decision_comment = $5, version = version + 1 WHERE id = $1`,
        [requestId, status, actor.userId, now, comment],
      );
      await this.audit.record(m, {
        actor,
        action: `extension.${decision}`,
        entityType: 'extension_request',
        entityId: requestId,
        before: { status: row.status },
        after: { status, comment, taskId: task.id, proposedDueDate: row.proposed_due_date },
      });

      const before = { status: task.status, dueAt: task.dueAt, dueDate: task.dueDate };
      if (decision === 'approve') {
        task.dueDate = row.proposed_due_date;
        task.dueAt = endOfBusinessDay(row.proposed_due_date, tz);
        task.remindersPlannedAt = now;
        await m.getRepository(Task).save(task);
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
      const emailIds = await this.notifyUnit(m, task, row, decision, comment, actor);
      const scheduled = await this.tasks.replanReminders(m, task, before);
      return { emailIds, scheduled };
    });

    this.scheduler.queueSoon(outcome.scheduled);
    this.outbox.dispatch(outcome.emailIds);
    return this.find(requestId);
  }

  private async notifyUnit(
    m: EntityManager,
    task: Task,
    row: RequestRow,
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
          proposedDueDate: row.proposed_due_date,
          deadline: describeDeadline(task.dueAt, this.config.businessTz),
          comment,
          decidedBy: actor.name,
          link: this.tasks.linkTo(task.id),
        }),
      },
    ]);
    return recorded.emailIds;
  }

  private async find(id: string): Promise<ExtensionRequestView> {
    const [row]: RequestRow[] = await this.db.query(
      `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE e.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError(`延期申请 ${id} 不存在`);
    return this.view(row);
  }

  private view(r: RequestRow): ExtensionRequestView {
    const currentDueAt = new Date(r.current_due_at);
    return {
      id: r.id,
      taskId: r.task_id,
      status: r.status,
      reason: r.reason,
      currentDueAt: currentDueAt.toISOString(),
      currentDueDate: businessDateOf(currentDueAt, this.config.businessTz),
      proposedDueDate: r.proposed_due_date,
      requestedBy: { id: r.requested_by, name: r.requested_by_name },
      createdAt: new Date(r.created_at).toISOString(),
      decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      decisionComment: r.decision_comment,
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
