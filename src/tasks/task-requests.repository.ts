import type { DataSource, EntityManager } from 'typeorm';
import type { Page } from '../common/paging.js';
import { whereClause } from '../database/sql-filter.js';
import {
  joinTask,
  type Paging,
  readPage,
  TASK_COLUMNS,
  type TaskRecord,
  taskRecord,
  type TaskRow,
} from './tasks.repository.js';

export interface Person {
  id: string;
  name: string;
}

/** The decision columns every request row has besides its own (`du` joins the decider). */
export interface DecidedRow {
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  version: number;
}

/** Who decided a request, when and why, and its version. */
export interface Decided {
  decidedBy: Person | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  version: number;
}

export function decided(r: DecidedRow): Decided {
  return {
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    decisionComment: r.decision_comment,
    version: r.version,
  };
}

/** A supervisor's decision on a request. */
export interface Decision<S extends string> {
  status: S;
  decidedBy: string;
  decidedAt: Date;
  comment: string | null;
}

export interface RequestListFilter<S extends string> {
  /** Unit roles see their own unit's requests only; null = every unit. */
  visibleUnit: string | null;
  status?: S;
  planId?: string;
  unitId?: string;
}

/** How one table of requests is read. */
export interface RequestTable<Row, R> {
  table: 'submissions' | 'extension_requests';
  /** The table's alias in `from`. */
  alias: string;
  columns: string;
  /** `FROM <table> <alias>` and the joins `columns` needs. */
  from: string;
  map: (row: Row) => R;
}

/**
 * What progress reports and extension requests share: a unit's request on a task that a
 * supervisor decides (`task_id`, `status`, `decided_by`, `decided_at`, `decision_comment`,
 * `version`). Their reads, row lock and decision are written here once; each repository adds
 * what is its own. `R` is a row as locked, `Full` one as listed and shown.
 */
export abstract class TaskRequestsRepository<Row, R, Full extends R, S extends string> {
  protected constructor(
    protected readonly db: DataSource,
    private readonly t: RequestTable<Row, R>,
  ) {}

  /** Completes rows read for showing (e.g. with their attachments). */
  protected abstract complete(rows: R[]): Promise<Full[]>;

  async find(id: string): Promise<Full | null> {
    const [row]: Row[] = await this.db.query(
      `SELECT ${this.t.columns} ${this.t.from} WHERE ${this.t.alias}.id = $1`,
      [id],
    );
    if (!row) return null;
    const [found] = await this.complete([this.t.map(row)]);
    return found;
  }

  /** The task a request is on; null for an unknown request. */
  async taskOf(id: string): Promise<string | null> {
    const [row]: { task_id: string }[] = await this.db.query(
      `SELECT task_id FROM ${this.t.table} WHERE id = $1`,
      [id],
    );
    return row?.task_id ?? null;
  }

  /** The request, row-locked for a decision in the caller's transaction. */
  async lock(m: EntityManager, id: string): Promise<R | null> {
    const [row]: Row[] = await m.query(
      `SELECT ${this.t.columns} ${this.t.from} WHERE ${this.t.alias}.id = $1 FOR UPDATE OF ${this.t.alias}`,
      [id],
    );
    return row ? this.t.map(row) : null;
  }

  /** Records a supervisor's decision; the request's version goes up by one. */
  async decide(m: EntityManager, id: string, d: Decision<S>): Promise<void> {
    await m.query(
      `UPDATE ${this.t.table} SET status = $2, decided_by = $3, decided_at = $4,
              decision_comment = $5, version = version + 1 WHERE id = $1`,
      [id, d.status, d.decidedBy, d.decidedAt, d.comment],
    );
  }

  /** Requests across tasks, each with its task. */
  protected async pageAcrossTasks(
    filter: RequestListFilter<S>,
    orderBy: string,
    paging: Paging,
  ): Promise<Page<{ record: Full; task: TaskRecord }>> {
    const a = this.t.alias;
    const { sql, params } = whereClause([
      ['t.unit_id = ?', filter.visibleUnit ?? undefined],
      [`${a}.status = ?`, filter.status],
      ['i.plan_id = ?', filter.planId],
      ['t.unit_id = ?', filter.unitId],
    ]);
    return readPage(
      this.db.manager,
      {
        select: `${this.t.columns}, ${TASK_COLUMNS}`,
        from: `${this.t.from} ${joinTask(`${a}.task_id`)} ${sql}`,
        orderBy,
        params,
      },
      paging,
      async (rows: (Row & TaskRow)[]) => {
        const records = await this.complete(rows.map((r) => this.t.map(r)));
        return records.map((record, i) => ({ record, task: taskRecord(rows[i]) }));
      },
    );
  }

  /** The requests on one task. */
  protected async pageOnTask(taskId: string, orderBy: string, paging: Paging): Promise<Page<Full>> {
    return readPage(
      this.db.manager,
      {
        select: this.t.columns,
        from: `${this.t.from} WHERE ${this.t.alias}.task_id = $1`,
        orderBy,
        params: [taskId],
      },
      paging,
      (rows: Row[]) => this.complete(rows.map((r) => this.t.map(r))),
    );
  }
}
