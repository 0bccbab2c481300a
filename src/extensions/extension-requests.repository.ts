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
import type { ExtensionStatus } from './extension-rules.js';

export interface ExtensionRequest extends Decided {
  id: string;
  taskId: string;
  status: ExtensionStatus;
  reason: string;
  /** The task's deadline when the request was made. */
  currentDueAt: Date;
  /** YYYY-MM-DD. */
  proposedDueDate: string;
  requestedBy: Person;
  createdAt: Date;
}

export interface NewExtensionRequest {
  taskId: string;
  requestedBy: string;
  reason: string;
  currentDueAt: Date;
  proposedDueDate: string;
  createdAt: Date;
}

export type ExtensionListFilter = RequestListFilter<ExtensionStatus>;

interface RequestRow extends DecidedRow {
  id: string;
  task_id: string;
  status: ExtensionStatus;
  reason: string;
  current_due_at: Date;
  proposed_due_date: string;
  requested_by: string;
  requested_by_name: string;
  created_at: Date;
}

const COLUMNS = `e.id, e.task_id, e.status, e.reason, e.current_due_at,
  to_char(e.proposed_due_date, 'YYYY-MM-DD') AS proposed_due_date, e.requested_by,
  ru.name AS requested_by_name, e.created_at, e.decided_by, du.name AS decided_by_name,
  e.decided_at, e.decision_comment, e.version`;
const FROM = `FROM extension_requests e JOIN users ru ON ru.id = e.requested_by
  LEFT JOIN users du ON du.id = e.decided_by`;

/** The partial unique index that allows one pending request per task. */
const ONE_PENDING = 'extension_requests_one_pending';

function request(r: RequestRow): ExtensionRequest {
  return {
    id: r.id,
    taskId: r.task_id,
    status: r.status,
    reason: r.reason,
    currentDueAt: new Date(r.current_due_at),
    proposedDueDate: r.proposed_due_date,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    createdAt: new Date(r.created_at),
    ...decided(r),
  };
}

/** Extension requests (`extension_requests`). */
@Injectable()
export class ExtensionRequestsRepository extends TaskRequestsRepository<
  RequestRow,
  ExtensionRequest,
  ExtensionRequest,
  ExtensionStatus
> {
  constructor(@InjectDataSource() db: DataSource) {
    super(db, {
      table: 'extension_requests',
      alias: 'e',
      columns: COLUMNS,
      from: FROM,
      map: request,
    });
  }

  protected async complete(requests: ExtensionRequest[]): Promise<ExtensionRequest[]> {
    return requests;
  }

  /** The task's pending request, if it has one. */
  async pendingOf(m: EntityManager, taskId: string): Promise<string | null> {
    const [row]: { id: string }[] = await m.query(
      `SELECT id FROM extension_requests WHERE task_id = $1 AND status = 'pending'`,
      [taskId],
    );
    return row?.id ?? null;
  }

  /** Records a pending request; null when the task has a pending one already. */
  async insert(m: EntityManager, r: NewExtensionRequest): Promise<string | null> {
    try {
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO extension_requests (task_id, requested_by, reason, current_due_at, proposed_due_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [r.taskId, r.requestedBy, r.reason, r.currentDueAt, r.proposedDueDate, r.createdAt],
      );
      return id;
    } catch (error) {
      if ((error as { constraint?: string }).constraint === ONE_PENDING) return null;
      throw error;
    }
  }

  /** Requests across tasks, each with its task, oldest first. */
  async page(
    filter: ExtensionListFilter,
    paging: Paging,
  ): Promise<Page<{ record: ExtensionRequest; task: TaskRecord }>> {
    return this.pageAcrossTasks(filter, 'e.created_at, e.id', paging);
  }

  /** Every request on a task, newest first. */
  async pageOfTask(taskId: string, paging: Paging): Promise<Page<ExtensionRequest>> {
    return this.pageOnTask(taskId, 'e.created_at DESC, e.id', paging);
  }
}
