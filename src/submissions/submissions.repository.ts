import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Page } from '../common/paging.js';
import {
  type Decided,
  decided,
  type DecidedRow,
  type Person,
  type RequestListFilter,
  TaskRequestsRepository,
} from '../tasks/task-requests.repository.js';
import type { Paging, TaskRecord } from '../tasks/tasks.repository.js';
import type { SubmissionStatus } from './submission-rules.js';

/** One report (one version: a resubmission is a new report with the next number). */
export interface Submission extends Decided {
  id: string;
  taskId: string;
  number: number;
  body: string;
  status: SubmissionStatus;
  submittedBy: Person;
  submittedAt: Date;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface SubmissionWithAttachments extends Submission {
  attachments: Attachment[];
}

export interface NewAttachment extends Attachment {
  submissionId: string;
  /** The file's name in the attachments directory. */
  storageKey: string;
  createdAt: Date;
}

/** Where an attachment's file is and whose task it belongs to. */
export interface StoredAttachment {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  storageKey: string;
  taskId: string;
  unitId: string;
}

export interface SubmissionListFilter extends RequestListFilter<SubmissionStatus> {
  order?: 'oldest' | 'newest';
}

interface SubmissionRow extends DecidedRow {
  id: string;
  task_id: string;
  number: number;
  body: string;
  status: SubmissionStatus;
  submitted_by: string;
  submitted_by_name: string;
  submitted_at: Date;
}

const COLUMNS = `s.id, s.task_id, s.number, s.body, s.status, s.submitted_by,
  su.name AS submitted_by_name, s.submitted_at, s.decided_by, du.name AS decided_by_name,
  s.decided_at, s.decision_comment, s.version`;
const FROM = `FROM submissions s JOIN users su ON su.id = s.submitted_by
  LEFT JOIN users du ON du.id = s.decided_by`;

function submission(r: SubmissionRow): Submission {
  return {
    id: r.id,
    taskId: r.task_id,
    number: r.number,
    body: r.body,
    status: r.status,
    submittedBy: { id: r.submitted_by, name: r.submitted_by_name },
    submittedAt: new Date(r.submitted_at),
    ...decided(r),
  };
}

/** Progress reports (`submissions`) and their attachments (`attachments`). */
@Injectable()
export class SubmissionsRepository extends TaskRequestsRepository<
  SubmissionRow,
  Submission,
  SubmissionWithAttachments,
  SubmissionStatus
> {
  constructor(@InjectDataSource() db: DataSource) {
    super(db, { table: 'submissions', alias: 's', columns: COLUMNS, from: FROM, map: submission });
  }

  /** The number the task's next report gets. */
  async nextNumber(m: EntityManager, taskId: string): Promise<number> {
    const [{ next }]: { next: number }[] = await m.query(
      `SELECT coalesce(max(number), 0) + 1 AS next FROM submissions WHERE task_id = $1`,
      [taskId],
    );
    return next;
  }

  /** The number of the task's latest report (0 when it has none). */
  async latestNumber(m: EntityManager, taskId: string): Promise<number> {
    const [{ latest }]: { latest: number | null }[] = await m.query(
      `SELECT max(number) AS latest FROM submissions WHERE task_id = $1`,
      [taskId],
    );
    return latest ?? 0;
  }

  async insert(
    m: EntityManager,
    s: { taskId: string; number: number; body: string; submittedBy: string; submittedAt: Date },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO submissions (task_id, number, body, status, submitted_by, submitted_at)
       VALUES ($1, $2, $3, 'submitted', $4, $5) RETURNING id`,
      [s.taskId, s.number, s.body, s.submittedBy, s.submittedAt],
    );
    return id;
  }

  async addAttachment(m: EntityManager, a: NewAttachment): Promise<void> {
    await m.query(
      `INSERT INTO attachments (id, submission_id, file_name, content_type, size_bytes, sha256, storage_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        a.id,
        a.submissionId,
        a.fileName,
        a.contentType,
        a.sizeBytes,
        a.sha256,
        a.storageKey,
        a.createdAt,
      ],
    );
  }

  /** Reports across tasks, each with its task; oldest first unless asked otherwise. */
  async page(
    filter: SubmissionListFilter,
    paging: Paging,
  ): Promise<Page<{ record: SubmissionWithAttachments; task: TaskRecord }>> {
    const order = filter.order === 'newest' ? 'DESC' : 'ASC';
    return this.pageAcrossTasks(filter, `s.submitted_at ${order}, s.id`, paging);
  }

  /** Every report on a task, newest first. */
  async pageOfTask(taskId: string, paging: Paging): Promise<Page<SubmissionWithAttachments>> {
    return this.pageOnTask(taskId, 's.number DESC', paging);
  }

  async storedAttachment(id: string): Promise<StoredAttachment | null> {
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
      [id],
    );
    if (!row) return null;
    return {
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      storageKey: row.storage_key,
      taskId: row.task_id,
      unitId: row.unit_id,
    };
  }

  /** Reports as shown: with their attachments. */
  protected async complete(submissions: Submission[]): Promise<SubmissionWithAttachments[]> {
    if (submissions.length === 0) return [];
    const rows: {
      id: string;
      submission_id: string;
      file_name: string;
      content_type: string;
      size_bytes: number;
      sha256: string;
    }[] = await this.db.query(
      `SELECT id, submission_id, file_name, content_type, size_bytes, sha256 FROM attachments
        WHERE submission_id = ANY($1::uuid[]) ORDER BY created_at, file_name, id`,
      [submissions.map((s) => s.id)],
    );
    return submissions.map((s) => ({
      ...s,
      attachments: rows
        .filter((a) => a.submission_id === s.id)
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
