import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { describeDateTime } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { Task } from '../tasks/task.entity.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { TaskStatus } from '../tasks/task-state.js';
import { pageOf, pageWindow, type Page } from '../common/paging.js';
import { whereClause } from '../database/sql-filter.js';
import { TasksService } from '../tasks/tasks.service.js';
import { attachmentsDir, type ReceivedAttachment } from './attachment-upload.js';
import {
  checkDecision,
  decisionMailContent,
  DECISION_OUTCOMES,
  excerpt,
  meaningfulComment,
  type SubmissionDecision,
  type SubmissionStatus,
} from './submission-rules.js';

export interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface SubmissionView {
  id: string;
  taskId: string;
  /** 1 for the first report on the task, n + 1 for a resubmission after a return. */
  number: number;
  body: string;
  status: SubmissionStatus;
  submittedBy: { id: string; name: string };
  submittedAt: string;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionComment: string | null;
  version: number;
  attachments: AttachmentView[];
}

/** A report after a change, with the task as it now stands. */
export interface SubmissionOutcome extends SubmissionView {
  task: { id: string; status: TaskStatus; version: number };
}

export interface SubmissionFilter {
  status?: SubmissionStatus;
  planId?: string;
  unitId?: string;
  /** oldest (default: the order reports wait in) or newest first. */
  order?: 'oldest' | 'newest';
  page: number;
  pageSize: number;
}

/** What a list of reports across tasks shows of each report's task. */
export interface TaskSummary {
  id: string;
  planId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  role: 'lead' | 'co';
  status: TaskStatus;
  dueAt: string;
}

interface TaskSummaryRow {
  task_id: string;
  plan_id: string;
  item_number: number;
  item_title: string;
  unit_id: string;
  unit_name: string;
  role: 'lead' | 'co';
  task_status: TaskStatus;
  due_at: Date;
}

function taskSummary(r: TaskSummaryRow): TaskSummary {
  return {
    id: r.task_id,
    planId: r.plan_id,
    item: { number: r.item_number, title: r.item_title },
    unit: { id: r.unit_id, name: r.unit_name },
    role: r.role,
    status: r.task_status,
    dueAt: new Date(r.due_at).toISOString(),
  };
}

export interface SubmitInput {
  body: string;
  /** Optimistic lock: the task version the caller last saw. */
  version?: number;
}

export interface DecisionInput {
  comment?: string;
  /** Optimistic lock: the report version the caller last saw. */
  version?: number;
}

export interface AttachmentDownload {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  stream: ReadStream;
}

interface SubmissionRow {
  id: string;
  task_id: string;
  number: number;
  body: string;
  status: SubmissionStatus;
  submitted_by: string;
  submitted_by_name: string;
  submitted_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  version: number;
}

interface AttachmentRow {
  id: string;
  submission_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
}

const SUBMISSION_COLUMNS = `s.id, s.task_id, s.number, s.body, s.status, s.submitted_by,
  su.name AS submitted_by_name, s.submitted_at, s.decided_by, du.name AS decided_by_name,
  s.decided_at, s.decision_comment, s.version`;
const SUBMISSION_FROM = `FROM submissions s JOIN users su ON su.id = s.submitted_by
  LEFT JOIN users du ON du.id = s.decided_by`;

/**
 * Progress reports (进展报告): a unit reports on its task with text and attachments; a supervisor
 * approves (the task is closed) or returns it (the unit reports again, as a new version). Nothing
 * is overwritten: every version keeps its text, files and decision.
 */
@Injectable()
export class SubmissionsService {
  private readonly logger = new Logger(SubmissionsService.name);

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

  /**
   * Records a report on `taskId` and moves the task to 已报送. The files, already received under
   * temporary names, get their random storage names just before the commit and are removed again
   * when the transaction fails.
   */
  async submit(
    actor: Actor,
    taskId: string,
    input: SubmitInput,
    files: readonly ReceivedAttachment[],
  ): Promise<SubmissionOutcome> {
    if (!/\S/.test(input.body)) {
      throw new InvalidInputException('进展报告内容不能为空', [
        { field: 'body', message: '不能为空' },
      ]);
    }
    const dir = attachmentsDir(this.config);
    const stored: string[] = [];
    let outcome: { submissionId: string; scheduled: QueuedOccurrence[] };
    try {
      outcome = await this.db.transaction(async (m) => {
        const task = await this.tasks.lockForChange(m, actor, taskId, 'task.submit', input.version);
        const before = { status: task.status, dueAt: task.dueAt };
        this.tasks.applyEvent(task, 'submit');
        await m.getRepository(Task).save(task);
        const now = this.clock.now();
        // The task row lock serialises submissions of one task; UNIQUE (task_id, number) backs it up.
        const [{ next }]: { next: number }[] = await m.query(
          `SELECT coalesce(max(number), 0) + 1 AS next FROM submissions WHERE task_id = $1`,
          [taskId],
        );
        const [{ id: submissionId }]: { id: string }[] = await m.query(
          `INSERT INTO submissions (task_id, number, body, status, submitted_by, submitted_at)
           VALUES ($1, $2, $3, 'submitted', $4, $5) RETURNING id`,
          [taskId, next, input.body, actor.userId, now],
        );
        const placed: { attachment: AttachmentView; from: string; to: string }[] = [];
        for (const f of files) {
          const id = randomUUID();
          const storageKey = randomUUID();
          await m.query(
            `INSERT INTO attachments (id, submission_id, file_name, content_type, size_bytes, sha256, storage_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [id, submissionId, f.fileName, f.contentType, f.sizeBytes, f.sha256, storageKey, now],
          );
          placed.push({
            attachment: {
              id,
              fileName: f.fileName,
              contentType: f.contentType,
              sizeBytes: f.sizeBytes,
              sha256: f.sha256,
            },
            from: f.tempPath,
            to: join(dir, storageKey),
          });
        }
        await this.audit.record(m, {
          actor,
          action: 'submission.submit',
          entityType: 'submission',
          entityId: submissionId,
          after: {
            taskId,
            number: next,
            status: 'submitted',
            excerpt: excerpt(input.body, 200),
            bodyLength: [...input.body].length,
            bodySha256: createHash('sha256').update(input.body).digest('hex'),
            attachments: placed.map((p) => p.attachment),
          },
        });
        await this.audit.record(m, {
          actor,
          action: 'task.submit',
          entityType: 'task',
          entityId: taskId,
          before: { status: before.status },
          after: { status: task.status, submissionId, number: next },
        });
        // A submitted task awaits the supervisor, not the unit: its reminders stop.
        const scheduled = await this.tasks.replanReminders(m, task, before);
        // Same directory as the temporary names: the rename is atomic.
        for (const p of placed) {
          await rename(p.from, p.to);
          stored.push(p.to);
        }
        return { submissionId, scheduled };
      });
    } catch (error) {
      await Promise.all(stored.map((path) => rm(path, { force: true })));
      throw error;
    }
    this.scheduler.queueSoon(outcome.scheduled);
    return this.outcome(outcome.submissionId);
  }

  /**
   * Reports across tasks — the supervisors' approval queue (`status=submitted`, oldest first) —
   * each with its task's item, unit and deadline. Unit roles see their own unit's only.
   */
  async listAll(
    actor: Actor,
    filter: SubmissionFilter,
  ): Promise<Page<SubmissionView & { task: TaskSummary }>> {
    const ownUnit = visibleUnit(actor);
    const { sql, params } = whereClause([
      ['t.unit_id = ?', ownUnit ?? undefined],
      ['s.status = ?', filter.status],
      ['i.plan_id = ?', filter.planId],
      ['t.unit_id = ?', filter.unitId],
    ]);
    const from = `${SUBMISSION_FROM} JOIN tasks t ON t.id = s.task_id JOIN items i ON i.id = t.item_id
      JOIN units u ON u.id = t.unit_id ${sql}`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const { limit, offset } = pageWindow(filter);
    const rows: (SubmissionRow & TaskSummaryRow)[] = await this.db.query(
      `SELECT ${SUBMISSION_COLUMNS}, i.plan_id, i.number AS item_number, i.title AS item_title,
              t.unit_id, u.name AS unit_name, t.role, t.status AS task_status, t.due_at
         ${from}
        ORDER BY s.submitted_at ${filter.order === 'newest' ? 'DESC' : 'ASC'}, s.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    const views = await this.views(rows);
    return pageOf(
      views.map((v, i) => ({ ...v, task: taskSummary(rows[i]) })),
      total,
      filter,
    );
  }

  /** Every report on a task, newest first, with attachments and decisions. */
  async listForTask(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<SubmissionView>> {
    await this.tasks.requireAccess(actor, taskId, 'submission.read');
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM submissions WHERE task_id = $1`,
      [taskId],
    );
    const rows: SubmissionRow[] = await this.db.query(
      `SELECT ${SUBMISSION_COLUMNS} ${SUBMISSION_FROM} WHERE s.task_id = $1
        ORDER BY s.number DESC LIMIT $2 OFFSET $3`,
      [taskId, pageSize, (page - 1) * pageSize],
    );
    return { items: await this.views(rows), total, page, pageSize };
  }

  /**
   * Approves (the task is closed) or returns (the unit must report again) the task's latest
   * report. Two supervisors deciding at once: the task and report rows are locked, so the second
   * finds the report decided and gets a 409.
   */
  async decide(
    actor: Actor,
    submissionId: string,
    decision: SubmissionDecision,
    input: DecisionInput,
  ): Promise<SubmissionOutcome> {
    const comment = meaningfulComment(input.comment);
    if (decision === 'return' && comment === null) {
      throw new InvalidInputException('退回进展报告须填写审核意见', [
        { field: 'comment', message: '退回时必填' },
      ]);
    }
    const [located]: { task_id: string }[] = await this.db.query(
      `SELECT task_id FROM submissions WHERE id = $1`,
      [submissionId],
    );
    if (!located) throw new NotFoundError(`进展报告 ${submissionId} 不存在`);

    const outcome = await this.db.transaction(async (m) => {
      // Lock order: the task, then the report (as when a report is submitted).
      const task = await this.tasks.lockForChange(m, actor, located.task_id, 'submission.decide');
      const [row]: SubmissionRow[] = await m.query(
        `SELECT ${SUBMISSION_COLUMNS} ${SUBMISSION_FROM} WHERE s.id = $1 FOR UPDATE OF s`,
        [submissionId],
      );
      if (!row) throw new NotFoundError(`进展报告 ${submissionId} 不存在`);
      const [{ latest }]: { latest: number }[] = await m.query(
        `SELECT max(number) AS latest FROM submissions WHERE task_id = $1`,
        [task.id],
      );
      const refusal = checkDecision(row, latest, decision);
      if (refusal) {
        throw new ConflictError(refusal.message, { ...refusal.details, taskStatus: task.status });
      }
      if (input.version !== undefined && input.version !== row.version) {
        throw new ConflictError(`进展报告已被他人修改（当前版本 ${row.version}），请刷新后重试`, {
          currentVersion: row.version,
          currentStatus: row.status,
        });
      }
      const before = { status: task.status, dueAt: task.dueAt };
      this.tasks.applyEvent(task, decision);
      await m.getRepository(Task).save(task);
      const now = this.clock.now();
      const status = DECISION_OUTCOMES[decision];
      await m.query(
        `UPDATE submissions SET status = $2, decided_by = $3, decided_at = $4,
                decision_comment = $5, version = version + 1 WHERE id = $1`,
        [submissionId, status, actor.userId, now, comment],
      );
      await this.audit.record(m, {
        actor,
        action: `submission.${decision}`,
        entityType: 'submission',
        entityId: submissionId,
        before: { status: row.status, version: row.version },
        after: {
          status,
          version: row.version + 1,
          comment,
          taskId: task.id,
          number: row.number,
        },
      });
      await this.audit.record(m, {
        actor,
        action: `task.${decision}`,
        entityType: 'task',
        entityId: task.id,
        before: { status: before.status },
        after: { status: task.status, submissionId },
      });
      const emailIds = await this.notifyUnit(m, task, row, decision, comment, actor);
      // Returned: the unit owes a new report, so its reminders resume; approved: they stay off.
      const scheduled = await this.tasks.replanReminders(m, task, before);
      return { emailIds, scheduled };
    });

    this.scheduler.queueSoon(outcome.scheduled);
    this.outbox.dispatch(outcome.emailIds);
    return this.outcome(submissionId);
  }

  /** Opens an attachment for download, for someone allowed to read its task's reports. */
  async openAttachment(actor: Actor, attachmentId: string): Promise<AttachmentDownload> {
    const [row]: {
      file_name: string;
      content_type: string;
      size_bytes: number;
      storage_key: string;
      task_id: string;
      unit_id: string;
    }[] = await this.db.query(
      `SELECT a.file_name, a.content_type, a.size_bytes, a.storage_key, t.id AS task_id, t.unit_id
         FROM attachments a JOIN submissions s ON s.id = a.submission_id JOIN tasks t ON t.id = s.task_id
        WHERE a.id = $1`,
      [attachmentId],
    );
    if (!row) throw new NotFoundError(`附件 ${attachmentId} 不存在`);
    this.authorizer.require(
      actor,
      'submission.read',
      { unitId: row.unit_id },
      { type: 'attachment', id: attachmentId },
    );
    const path = join(attachmentsDir(this.config), row.storage_key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      this.logger.error({
        message: 'attachment file missing',
        attachmentId,
        path,
        error: (error as Error).message,
      });
      throw new NotFoundError(`附件 ${attachmentId} 的文件已不存在，请联系管理员`);
    }
    return {
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      stream: handle.createReadStream(),
    };
  }

  private async notifyUnit(
    m: EntityManager,
    task: Task,
    row: SubmissionRow,
    decision: SubmissionDecision,
    comment: string | null,
    actor: Actor,
  ): Promise<string[]> {
    const info = await this.tasks.mailContext(m, task.id);
    const kind = decision === 'approve' ? 'submission.approved' : 'submission.returned';
    const recorded = await this.outbox.record(m, [
      {
        kind,
        dedupeKey: `${kind}:${row.id}`,
        taskId: task.id,
        audience: { unitId: task.unitId },
        content: decisionMailContent({
          decision,
          ...info,
          submissionNumber: row.number,
          submittedAt: describeDateTime(new Date(row.submitted_at), this.config.businessTz),
          body: row.body,
          comment,
          decidedBy: actor.name,
          link: this.tasks.linkTo(task.id),
        }),
      },
    ]);
    return recorded.emailIds;
  }

  private async outcome(submissionId: string): Promise<SubmissionOutcome> {
    const rows: SubmissionRow[] = await this.db.query(
      `SELECT ${SUBMISSION_COLUMNS} ${SUBMISSION_FROM} WHERE s.id = $1`,
      [submissionId],
    );
    const [view] = await this.views(rows);
    const [task]: { status: TaskStatus; version: number }[] = await this.db.query(
      `SELECT status, version FROM tasks WHERE id = $1`,
      [view.taskId],
    );
    return { ...view, task: { id: view.taskId, status: task.status, version: task.version } };
  }

  private async views(rows: readonly SubmissionRow[]): Promise<SubmissionView[]> {
    if (rows.length === 0) return [];
    const attachments: AttachmentRow[] = await this.db.query(
      `SELECT id, submission_id, file_name, content_type, size_bytes, sha256 FROM attachments
        WHERE submission_id = ANY($1::uuid[]) ORDER BY created_at, file_name, id`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: r.id,
      taskId: r.task_id,
      number: r.number,
      body: r.body,
      status: r.status,
      submittedBy: { id: r.submitted_by, name: r.submitted_by_name },
      submittedAt: new Date(r.submitted_at).toISOString(),
      decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      decisionComment: r.decision_comment,
      version: r.version,
      attachments: attachments
        .filter((a) => a.submission_id === r.id)
        .map((a) => ({
          id: a.id,
          fileName: a.file_name,
          contentType: a.content_type,
          sizeBytes: a.size_bytes,
          sha256: a.sha256,
        })),
    }));
  }
}
