import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
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
import type { Task } from '../tasks/task.entity.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import type { TaskStatus } from '../tasks/task-state.js';
import type { Page } from '../common/paging.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { TasksService, type TaskSummary, taskSummary } from '../tasks/tasks.service.js';
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
import {
  type Submission,
  SubmissionsRepository,
  type SubmissionWithAttachments,
} from './submissions.repository.js';

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

/**
 * Progress reports (进展报告): a unit reports on its task with text and attachments; a supervisor
 * approves (the task is closed) or returns it (the unit reports again, as a new version). Nothing
 * is overwritten: every version keeps its text, files and decision.
 */
@Injectable()
export class SubmissionsService {
  private readonly logger = new Logger(SubmissionsService.name);

  constructor(
    private readonly tx: Transactor,
    private readonly repo: SubmissionsRepository,
    private readonly taskRows: TasksRepository,
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
      outcome = await this.tx.run(async (m) => {
        const task = await this.tasks.lockForChange(m, actor, taskId, 'task.submit', input.version);
        const before = { status: task.status, dueAt: task.dueAt };
        this.tasks.applyEvent(task, 'submit');
        await this.taskRows.save(m, task);
        const now = this.clock.now();
        // The task row lock serialises submissions of one task; UNIQUE (task_id, number) backs it up.
        const next = await this.repo.nextNumber(m, taskId);
        const submissionId = await this.repo.insert(m, {
          taskId,
          number: next,
          body: input.body,
          submittedBy: actor.userId,
          submittedAt: now,
        });
        const placed: { attachment: AttachmentView; from: string; to: string }[] = [];
        for (const f of files) {
          const attachment: AttachmentView = {
            id: randomUUID(),
            fileName: f.fileName,
            contentType: f.contentType,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
          };
          const storageKey = randomUUID();
          await this.repo.addAttachment(m, {
            ...attachment,
            submissionId,
            storageKey,
            createdAt: now,
          });
          placed.push({ attachment, from: f.tempPath, to: join(dir, storageKey) });
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
    const found = await this.repo.page({ ...filter, visibleUnit: visibleUnit(actor) }, filter);
    return {
      ...found,
      items: found.items.map((r) => ({ ...this.view(r.record), task: taskSummary(r.task) })),
    };
  }

  /** Every report on a task, newest first, with attachments and decisions. */
  async listForTask(
    actor: Actor,
    taskId: string,
    page: number,
    pageSize: number,
  ): Promise<Page<SubmissionView>> {
    await this.tasks.requireAccess(actor, taskId, 'submission.read');
    const found = await this.repo.pageOfTask(taskId, { page, pageSize });
    return { ...found, items: found.items.map((r) => this.view(r)) };
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
    const taskId = await this.repo.taskOf(submissionId);
    if (taskId === null) throw new NotFoundError(`进展报告 ${submissionId} 不存在`);

    const outcome = await this.tx.run(async (m) => {
      // Lock order: the task, then the report (as when a report is submitted).
      const task = await this.tasks.lockForChange(m, actor, taskId, 'submission.decide');
      const row = await this.repo.lock(m, submissionId);
      if (!row) throw new NotFoundError(`进展报告 ${submissionId} 不存在`);
      const latest = await this.repo.latestNumber(m, task.id);
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
      await this.taskRows.save(m, task);
      const now = this.clock.now();
      const status = DECISION_OUTCOMES[decision];
      await this.repo.decide(m, submissionId, {
        status,
        decidedBy: actor.userId,
        decidedAt: now,
        comment,
      });
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
      const deliveryIds = await this.notifyUnit(m, task, row, decision, comment, actor);
      // Returned: the unit owes a new report, so its reminders resume; approved: they stay off.
      const scheduled = await this.tasks.replanReminders(m, task, before);
      return { deliveryIds, scheduled };
    });

    this.scheduler.queueSoon(outcome.scheduled);
    this.outbox.dispatch(outcome.deliveryIds);
    return this.outcome(submissionId);
  }

  /** Opens an attachment for download, for someone allowed to read its task's reports. */
  async openAttachment(actor: Actor, attachmentId: string): Promise<AttachmentDownload> {
    const row = await this.repo.storedAttachment(attachmentId);
    if (!row) throw new NotFoundError(`附件 ${attachmentId} 不存在`);
    this.authorizer.require(
      actor,
      'submission.read',
      { unitId: row.unitId },
      { type: 'attachment', id: attachmentId },
    );
    const path = join(attachmentsDir(this.config), row.storageKey);
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
      fileName: row.fileName,
      contentType: row.contentType,
      sizeBytes: row.sizeBytes,
      stream: handle.createReadStream(),
    };
  }

  private async notifyUnit(
    m: EntityManager,
    task: Task,
    row: Submission,
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
          submittedAt: describeDateTime(row.submittedAt, this.config.businessTz),
          body: row.body,
          comment,
          decidedBy: actor.name,
          link: this.tasks.linkTo(task.id),
        }),
      },
    ]);
    return recorded.deliveryIds;
  }

  private async outcome(submissionId: string): Promise<SubmissionOutcome> {
    const submission = await this.repo.find(submissionId);
    if (!submission) throw new NotFoundError(`进展报告 ${submissionId} 不存在`);
    const task = await this.taskRows.find(this.tx.manager, submission.taskId);
    if (!task) throw new NotFoundError(`任务 ${submission.taskId} 不存在`);
    return {
      ...this.view(submission),
      task: { id: task.id, status: task.status, version: task.version },
    };
  }

  private view(s: SubmissionWithAttachments): SubmissionView {
    // The record has the view's fields in the view's order; only the instants become text.
    return {
      ...s,
      submittedAt: s.submittedAt.toISOString(),
      decidedAt: s.decidedAt ? s.decidedAt.toISOString() : null,
    };
  }
}
