import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { OPEN_SQL } from '../tasks/task-state.js';
import type { RequestFacts } from './cycle-results.js';
import type {
  CadenceKind,
  CycleReportStatus,
  CycleScope,
  CycleStatus,
  Rating,
} from './cycle-rules.js';

export interface Cycle {
  id: string;
  planId: string;
  cadenceId: string | null;
  periodKey: string | null;
  title: string;
  scope: CycleScope;
  status: CycleStatus;
  opensOn: string;
  dueWorkdays: number;
  dueOn: string;
  dueAt: Date;
  reminderOffsets: string[];
  openedAt: Date | null;
  closedAt: Date | null;
  version: number;
  createdAt: Date;
}

export interface NewCycle {
  planId: string;
  cadenceId: string | null;
  periodKey: string | null;
  title: string;
  scope: CycleScope;
  opensOn: string;
  dueWorkdays: number;
  dueOn: string;
  dueAt: Date;
  reminderOffsets: string[];
  createdBy: string | null;
}

export interface Cadence {
  id: string;
  planId: string;
  kind: CadenceKind;
  cron: string | null;
  openAt: string;
  title: string;
  scope: CycleScope;
  dueWorkdays: number;
  reminderOffsets: string[];
  startsOn: string;
  active: boolean;
  createdAt: Date;
}

export type NewCadence = Omit<Cadence, 'id' | 'active' | 'createdAt'> & { createdBy: string };

/** A task in a cycle's scope, with what a message about it needs. */
export interface ScopeTask {
  taskId: string;
  unitId: string;
  unitName: string;
  itemNumber: number;
  itemTitle: string;
  role: 'lead' | 'co';
}

/** A task a cycle asked about; `owed` while no report stands (none yet, or returned). */
export interface RequestedTask extends ScopeTask {
  owed: boolean;
}

export interface Person {
  id: string;
  name: string;
}

export interface CycleReport {
  id: string;
  cycleId: string;
  taskId: string;
  unitId: string;
  number: number;
  body: string;
  status: CycleReportStatus;
  rating: Rating | null;
  comment: string | null;
  submittedBy: Person;
  submittedAt: Date;
  decidedBy: Person | null;
  decidedAt: Date | null;
  version: number;
  item: { number: number; title: string };
  unitName: string;
  attachments: ReportAttachment[];
}

export interface ReportAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/** A report a unit still owes in an open cycle (for digests and reminders). */
export interface OpenCycleRequest {
  cycleId: string;
  cycleTitle: string;
  planId: string;
  planTitle: string;
  dueAt: Date;
  taskId: string;
  unitId: string;
  unitName: string;
  itemNumber: number;
  itemTitle: string;
  role: 'lead' | 'co';
  /** The unit's report was returned and must be submitted again. */
  returned: boolean;
}

/** One cycle's headline figures (for digests). */
export interface CycleSummaryRow {
  cycleId: string;
  planId: string;
  title: string;
  status: CycleStatus;
  dueAt: Date;
  closedAt: Date | null;
  requested: number;
  reported: number;
  onTime: number;
}

interface CycleRow {
  id: string;
  plan_id: string;
  cadence_id: string | null;
  period_key: string | null;
  title: string;
  scope: CycleScope;
  status: CycleStatus;
  opens_on: string;
  due_workdays: number;
  due_on: string;
  due_at: Date;
  reminder_offsets: string[];
  opened_at: Date | null;
  closed_at: Date | null;
  version: number;
  created_at: Date;
}

const CYCLE_COLUMNS = `c.id, c.plan_id, c.cadence_id, c.period_key, c.title, c.scope, c.status,
  to_char(c.opens_on, 'YYYY-MM-DD') AS opens_on, c.due_workdays, to_char(c.due_on, 'YYYY-MM-DD') AS due_on,
  c.due_at, c.reminder_offsets, c.opened_at, c.closed_at, c.version, c.created_at`;

function cycle(r: CycleRow): Cycle {
  return {
    id: r.id,
    planId: r.plan_id,
    cadenceId: r.cadence_id,
    periodKey: r.period_key,
    title: r.title,
    scope: r.scope,
    status: r.status,
    opensOn: r.opens_on,
    dueWorkdays: r.due_workdays,
    dueOn: r.due_on,
    dueAt: new Date(r.due_at),
    reminderOffsets: r.reminder_offsets,
    openedAt: r.opened_at ? new Date(r.opened_at) : null,
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    version: r.version,
    createdAt: new Date(r.created_at),
  };
}

interface CadenceRow {
  id: string;
  plan_id: string;
  kind: CadenceKind;
  cron: string | null;
  open_at: string;
  title: string;
  scope: CycleScope;
  due_workdays: number;
  reminder_offsets: string[];
  starts_on: string;
  active: boolean;
  created_at: Date;
}

const CADENCE_COLUMNS = `id, plan_id, kind, cron, open_at, title, scope, due_workdays, reminder_offsets,
  to_char(starts_on, 'YYYY-MM-DD') AS starts_on, active, created_at`;

function cadence(r: CadenceRow): Cadence {
  return {
    id: r.id,
    planId: r.plan_id,
    kind: r.kind,
    cron: r.cron,
    openAt: r.open_at,
    title: r.title,
    scope: r.scope,
    dueWorkdays: r.due_workdays,
    reminderOffsets: r.reminder_offsets,
    startsOn: r.starts_on,
    active: r.active,
    createdAt: new Date(r.created_at),
  };
}

interface ReportRow {
  id: string;
  cycle_id: string;
  task_id: string;
  unit_id: string;
  unit_name: string;
  number: number;
  body: string;
  status: CycleReportStatus;
  rating: Rating | null;
  comment: string | null;
  submitted_by: string;
  submitted_by_name: string;
  submitted_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  version: number;
  item_number: number;
  item_title: string;
  attachments: ReportAttachment[] | null;
}

const REPORT_SELECT = `
  SELECT r.id, r.cycle_id, r.task_id, ct.unit_id, un.name AS unit_name, r.number, r.body, r.status,
         r.rating, r.comment, r.submitted_by, su.name AS submitted_by_name, r.submitted_at,
         r.decided_by, du.name AS decided_by_name, r.decided_at, r.version,
         i.number AS item_number, i.title AS item_title,
         (SELECT json_agg(json_build_object('id', a.id, 'fileName', a.file_name,
                   'contentType', a.content_type, 'sizeBytes', a.size_bytes, 'sha256', a.sha256)
                   ORDER BY a.created_at, a.file_name)
            FROM review_cycle_report_attachments a WHERE a.report_id = r.id) AS attachments
    FROM review_cycle_reports r
    JOIN review_cycle_tasks ct ON ct.cycle_id = r.cycle_id AND ct.task_id = r.task_id
    JOIN units un ON un.id = ct.unit_id
    JOIN tasks t ON t.id = r.task_id
    JOIN items i ON i.id = t.item_id
    JOIN users su ON su.id = r.submitted_by
    LEFT JOIN users du ON du.id = r.decided_by`;

function report(r: ReportRow): CycleReport {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    taskId: r.task_id,
    unitId: r.unit_id,
    number: r.number,
    body: r.body,
    status: r.status,
    rating: r.rating,
    comment: r.comment,
    submittedBy: { id: r.submitted_by, name: r.submitted_by_name },
    submittedAt: new Date(r.submitted_at),
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    version: r.version,
    item: { number: r.item_number, title: r.item_title },
    unitName: r.unit_name,
    attachments: (r.attachments ?? []).map((a) => ({ ...a, sizeBytes: Number(a.sizeBytes) })),
  };
}

/** The latest report per task of a cycle (a lateral subquery used in several reads). */
const LATEST = `LEFT JOIN LATERAL (
    SELECT r.status, r.rating, r.comment FROM review_cycle_reports r
     WHERE r.cycle_id = ct.cycle_id AND r.task_id = ct.task_id ORDER BY r.number DESC LIMIT 1) lr ON true`;

/** Review cycles, their cadences, requests, reports and attachments. */
@Injectable()
export class CyclesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  async plan(
    m: EntityManager,
    planId: string,
  ): Promise<{
    id: string;
    title: string;
    docNumber: string | null;
    issuer: string | null;
    year: number;
  } | null> {
    const [row]: {
      id: string;
      title: string;
      doc_number: string | null;
      issuer: string | null;
      year: number;
    }[] = await m.query(`SELECT id, title, doc_number, issuer, year FROM plans WHERE id = $1`, [
      planId,
    ]);
    return row
      ? {
          id: row.id,
          title: row.title,
          docNumber: row.doc_number,
          issuer: row.issuer,
          year: row.year,
        }
      : null;
  }

  /** Ids in `ids` that are not sections (or items) of the plan. */
  async foreignScopeIds(m: EntityManager, planId: string, scope: CycleScope): Promise<string[]> {
    if (scope.kind === 'plan') return [];
    const table = scope.kind === 'sections' ? 'sections' : 'items';
    const rows: { id: string }[] = await m.query(
      `SELECT x.id FROM unnest($2::uuid[]) AS x(id)
        WHERE NOT EXISTS (SELECT 1 FROM ${table} s WHERE s.id = x.id AND s.plan_id = $1)`,
      [planId, scope.ids],
    );
    return rows.map((r) => r.id);
  }

  async insertCycle(m: EntityManager, c: NewCycle, status: CycleStatus): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO review_cycles (plan_id, cadence_id, period_key, title, scope, status, opens_on,
                                  due_workdays, due_on, due_at, reminder_offsets, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        c.planId,
        c.cadenceId,
        c.periodKey,
        c.title,
        JSON.stringify(c.scope),
        status,
        c.opensOn,
        c.dueWorkdays,
        c.dueOn,
        c.dueAt,
        JSON.stringify(c.reminderOffsets),
        c.createdBy,
      ],
    );
    return row.id;
  }

  /**
   * The cycle of a cadence's period, unless that period has one already (whoever inserted it
   * first, in whatever process): null then. The unique index decides.
   */
  async insertPeriodCycle(m: EntityManager, c: NewCycle): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO review_cycles (plan_id, cadence_id, period_key, title, scope, status, opens_on,
                                  due_workdays, due_on, due_at, reminder_offsets, created_by)
       VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $8, $9, $10, $11)
       ON CONFLICT (plan_id, cadence_id, period_key) WHERE cadence_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        c.planId,
        c.cadenceId,
        c.periodKey,
        c.title,
        JSON.stringify(c.scope),
        c.opensOn,
        c.dueWorkdays,
        c.dueOn,
        c.dueAt,
        JSON.stringify(c.reminderOffsets),
        c.createdBy,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async find(m: EntityManager, id: string): Promise<Cycle | null> {
    const [row]: CycleRow[] = await m.query(
      `SELECT ${CYCLE_COLUMNS} FROM review_cycles c WHERE c.id = $1`,
      [id],
    );
    return row ? cycle(row) : null;
  }

  /** Locks the cycle row: every change of a cycle, its requests and reports takes it first. */
  async lock(m: EntityManager, id: string): Promise<Cycle | null> {
    const [row]: CycleRow[] = await m.query(
      `SELECT ${CYCLE_COLUMNS} FROM review_cycles c WHERE c.id = $1 FOR UPDATE`,
      [id],
    );
    return row ? cycle(row) : null;
  }

  async listOfPlan(m: EntityManager, planId: string): Promise<Cycle[]> {
    const rows: CycleRow[] = await m.query(
      `SELECT ${CYCLE_COLUMNS} FROM review_cycles c WHERE c.plan_id = $1
        ORDER BY c.opens_on DESC, c.created_at DESC`,
      [planId],
    );
    return rows.map(cycle);
  }

  async markOpen(m: EntityManager, id: string, by: string | null, at: Date): Promise<void> {
    await m.query(
      `UPDATE review_cycles SET status = 'open', opened_at = $3, opened_by = $2,
              version = version + 1, updated_at = now() WHERE id = $1`,
      [id, by, at],
    );
  }

  async markClosed(m: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE review_cycles SET status = 'closed', closed_at = $3, closed_by = $2,
              version = version + 1, updated_at = now() WHERE id = $1`,
      [id, by, at],
    );
  }

  async update(
    m: EntityManager,
    id: string,
    change: { title: string; reminderOffsets: string[] },
  ): Promise<void> {
    await m.query(
      `UPDATE review_cycles SET title = $2, reminder_offsets = $3, version = version + 1,
              updated_at = now() WHERE id = $1`,
      [id, change.title, JSON.stringify(change.reminderOffsets)],
    );
  }

  async openCycles(m: EntityManager): Promise<Cycle[]> {
    const rows: CycleRow[] = await m.query(
      `SELECT ${CYCLE_COLUMNS} FROM review_cycles c WHERE c.status = 'open'`,
    );
    return rows.map(cycle);
  }

  /** Scheduled cycles of no cadence whose opening date has come (for the catch-up). */
  async scheduledDue(m: EntityManager, today: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM review_cycles WHERE status = 'scheduled' AND opens_on <= $1 ORDER BY opens_on`,
      [today],
    );
    return rows.map((r) => r.id);
  }

  /** The open tasks in a scope, with unit and item. */
  async scopeTasks(m: EntityManager, planId: string, scope: CycleScope): Promise<ScopeTask[]> {
    const filter =
      scope.kind === 'sections'
        ? `AND i.section_id = ANY($2::uuid[])`
        : scope.kind === 'items'
          ? `AND i.id = ANY($2::uuid[])`
          : '';
    const rows: {
      task_id: string;
      unit_id: string;
      unit_name: string;
      item_number: number;
      item_title: string;
      role: 'lead' | 'co';
    }[] = await m.query(
      `SELECT t.id AS task_id, t.unit_id, u.name AS unit_name, i.number AS item_number,
              i.title AS item_title, t.role
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
        WHERE i.plan_id = $1 AND t.status IN ${OPEN_SQL} ${filter}
        ORDER BY i.number, t.role DESC, u.name`,
      scope.kind === 'plan' ? [planId] : [planId, scope.ids],
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      role: r.role,
    }));
  }

  async insertRequests(
    m: EntityManager,
    cycleId: string,
    tasks: readonly ScopeTask[],
  ): Promise<void> {
    if (tasks.length === 0) return;
    await m.query(
      `INSERT INTO review_cycle_tasks (cycle_id, task_id, unit_id)
       SELECT $1, x.task_id, x.unit_id FROM unnest($2::uuid[], $3::uuid[]) AS x(task_id, unit_id)
       ON CONFLICT DO NOTHING`,
      [cycleId, tasks.map((t) => t.taskId), tasks.map((t) => t.unitId)],
    );
  }

  /** The tasks a cycle asked about, with unit and item. */
  async requestedTasks(m: EntityManager, cycleId: string): Promise<RequestedTask[]> {
    const rows: {
      task_id: string;
      unit_id: string;
      unit_name: string;
      item_number: number;
      item_title: string;
      role: 'lead' | 'co';
      status: CycleReportStatus | null;
    }[] = await m.query(
      `SELECT ct.task_id, ct.unit_id, u.name AS unit_name, i.number AS item_number,
              i.title AS item_title, t.role, lr.status
         FROM review_cycle_tasks ct JOIN tasks t ON t.id = ct.task_id
         JOIN items i ON i.id = t.item_id JOIN units u ON u.id = ct.unit_id
         ${LATEST}
        WHERE ct.cycle_id = $1
        ORDER BY i.number, t.role DESC, u.name`,
      [cycleId],
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      role: r.role,
      owed: r.status === null || r.status === 'returned',
    }));
  }

  /** The unit a cycle asked about a task, or null when the task is not in the cycle. */
  async requestUnit(m: EntityManager, cycleId: string, taskId: string): Promise<string | null> {
    const [row]: { unit_id: string }[] = await m.query(
      `SELECT unit_id FROM review_cycle_tasks WHERE cycle_id = $1 AND task_id = $2`,
      [cycleId, taskId],
    );
    return row?.unit_id ?? null;
  }

  /** Facts of every request of a cycle, for its results. */
  async facts(m: EntityManager, cycleId: string): Promise<RequestFacts[]> {
    const rows: {
      task_id: string;
      unit_id: string;
      unit_name: string;
      section_ordinal: number;
      section_title: string | null;
      item_number: number;
      item_title: string;
      role: 'lead' | 'co';
      first_at: Date | null;
      status: CycleReportStatus | null;
      rating: Rating | null;
      comment: string | null;
    }[] = await m.query(
      `SELECT ct.task_id, ct.unit_id, u.name AS unit_name, s.ordinal AS section_ordinal,
              s.title AS section_title, i.number AS item_number, i.title AS item_title, t.role,
              (SELECT min(r.submitted_at) FROM review_cycle_reports r
                WHERE r.cycle_id = ct.cycle_id AND r.task_id = ct.task_id) AS first_at,
              lr.status, lr.rating, lr.comment
         FROM review_cycle_tasks ct JOIN tasks t ON t.id = ct.task_id
         JOIN items i ON i.id = t.item_id JOIN sections s ON s.id = i.section_id
         JOIN units u ON u.id = ct.unit_id
         ${LATEST}
        WHERE ct.cycle_id = $1`,
      [cycleId],
    );
    return rows.map((r) => ({
      taskId: r.task_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      sectionOrdinal: r.section_ordinal,
      sectionTitle: r.section_title,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      role: r.role,
      firstSubmittedAt: r.first_at ? new Date(r.first_at) : null,
      latest: r.status ? { status: r.status, rating: r.rating, comment: r.comment } : null,
    }));
  }

  async latestOfTask(
    m: EntityManager,
    cycleId: string,
    taskId: string,
  ): Promise<{ id: string; number: number; status: CycleReportStatus } | null> {
    const [row]: { id: string; number: number; status: CycleReportStatus }[] = await m.query(
      `SELECT id, number, status FROM review_cycle_reports WHERE cycle_id = $1 AND task_id = $2
        ORDER BY number DESC LIMIT 1`,
      [cycleId, taskId],
    );
    return row ?? null;
  }

  async insertReport(
    m: EntityManager,
    r: { cycleId: string; taskId: string; number: number; body: string; by: string; at: Date },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO review_cycle_reports (cycle_id, task_id, number, body, status, submitted_by, submitted_at)
       VALUES ($1, $2, $3, $4, 'submitted', $5, $6) RETURNING id`,
      [r.cycleId, r.taskId, r.number, r.body, r.by, r.at],
    );
    return row.id;
  }

  async addAttachment(
    m: EntityManager,
    a: ReportAttachment & { reportId: string; storageKey: string; createdAt: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO review_cycle_report_attachments (id, report_id, file_name, content_type, size_bytes,
                                                    sha256, storage_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        a.id,
        a.reportId,
        a.fileName,
        a.contentType,
        a.sizeBytes,
        a.sha256,
        a.storageKey,
        a.createdAt,
      ],
    );
  }

  async report(m: EntityManager, id: string): Promise<CycleReport | null> {
    const [row]: ReportRow[] = await m.query(`${REPORT_SELECT} WHERE r.id = $1`, [id]);
    return row ? report(row) : null;
  }

  /** The cycle a report belongs to (no lock), to lock the cycle first. */
  async cycleOfReport(m: EntityManager, reportId: string): Promise<string | null> {
    const [row]: { cycle_id: string }[] = await m.query(
      `SELECT cycle_id FROM review_cycle_reports WHERE id = $1`,
      [reportId],
    );
    return row?.cycle_id ?? null;
  }

  /** Reports of a cycle, newest first; of one unit only when `unitId` is given. */
  async reportsOfCycle(
    m: EntityManager,
    cycleId: string,
    unitId: string | null,
  ): Promise<CycleReport[]> {
    const rows: ReportRow[] = await m.query(
      `${REPORT_SELECT} WHERE r.cycle_id = $1 AND ($2::uuid IS NULL OR ct.unit_id = $2)
        ORDER BY i.number, un.name, r.number DESC`,
      [cycleId, unitId],
    );
    return rows.map(report);
  }

  async decide(
    m: EntityManager,
    id: string,
    d: {
      status: 'rated' | 'returned';
      rating: Rating | null;
      comment: string | null;
      by: string;
      at: Date;
    },
  ): Promise<void> {
    await m.query(
      `UPDATE review_cycle_reports SET status = $2, rating = $3, comment = $4, decided_by = $5,
              decided_at = $6, version = version + 1 WHERE id = $1`,
      [id, d.status, d.rating, d.comment, d.by, d.at],
    );
  }

  async storedAttachment(
    m: EntityManager,
    reportId: string,
    attachmentId: string,
  ): Promise<{
    fileName: string;
    contentType: string;
    sizeBytes: number;
    storageKey: string;
    unitId: string;
  } | null> {
    const [row]: {
      file_name: string;
      content_type: string;
      size_bytes: string;
      storage_key: string;
      unit_id: string;
    }[] = await m.query(
      `SELECT a.file_name, a.content_type, a.size_bytes, a.storage_key, ct.unit_id
         FROM review_cycle_report_attachments a JOIN review_cycle_reports r ON r.id = a.report_id
         JOIN review_cycle_tasks ct ON ct.cycle_id = r.cycle_id AND ct.task_id = r.task_id
        WHERE a.id = $1 AND a.report_id = $2`,
      [attachmentId, reportId],
    );
    return row
      ? {
          fileName: row.file_name,
          contentType: row.content_type,
          sizeBytes: Number(row.size_bytes),
          storageKey: row.storage_key,
          unitId: row.unit_id,
        }
      : null;
  }

  // ---- cadences

  async insertCadence(m: EntityManager, c: NewCadence): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO review_cadences (plan_id, kind, cron, open_at, title, scope, due_workdays,
                                    reminder_offsets, starts_on, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        c.planId,
        c.kind,
        c.cron,
        c.openAt,
        c.title,
        JSON.stringify(c.scope),
        c.dueWorkdays,
        JSON.stringify(c.reminderOffsets),
        c.startsOn,
        c.createdBy,
      ],
    );
    return row.id;
  }

  async cadence(m: EntityManager, id: string): Promise<Cadence | null> {
    const [row]: CadenceRow[] = await m.query(
      `SELECT ${CADENCE_COLUMNS} FROM review_cadences WHERE id = $1`,
      [id],
    );
    return row ? cadence(row) : null;
  }

  async cadencesOfPlan(m: EntityManager, planId: string): Promise<Cadence[]> {
    const rows: CadenceRow[] = await m.query(
      `SELECT ${CADENCE_COLUMNS} FROM review_cadences WHERE plan_id = $1 ORDER BY created_at`,
      [planId],
    );
    return rows.map(cadence);
  }

  async activeCadences(m: EntityManager): Promise<Cadence[]> {
    const rows: CadenceRow[] = await m.query(
      `SELECT ${CADENCE_COLUMNS} FROM review_cadences WHERE active ORDER BY created_at`,
    );
    return rows.map(cadence);
  }

  async stopCadence(m: EntityManager, id: string): Promise<boolean> {
    const [, count]: [unknown, number] = await m.query(
      `UPDATE review_cadences SET active = false, stopped_at = now() WHERE id = $1 AND active`,
      [id],
    );
    return count > 0;
  }

  // ---- for other features (digests)

  /**
   * The reports units owe in open cycles: each in-scope task of these units with no standing
   * report (none yet, or the latest returned). One query for any number of units.
   */
  async openCycleRequestsOfUnits(
    m: EntityManager,
    unitIds: readonly string[] | null,
  ): Promise<OpenCycleRequest[]> {
    if (unitIds !== null && unitIds.length === 0) return [];
    const rows: {
      cycle_id: string;
      cycle_title: string;
      plan_id: string;
      plan_title: string;
      due_at: Date;
      task_id: string;
      unit_id: string;
      unit_name: string;
      item_number: number;
      item_title: string;
      role: 'lead' | 'co';
      status: CycleReportStatus | null;
    }[] = await m.query(
      `SELECT c.id AS cycle_id, c.title AS cycle_title, c.plan_id, p.title AS plan_title, c.due_at,
              ct.task_id, ct.unit_id, u.name AS unit_name, i.number AS item_number,
              i.title AS item_title, t.role, lr.status
         FROM review_cycle_tasks ct
         JOIN review_cycles c ON c.id = ct.cycle_id AND c.status = 'open'
         JOIN plans p ON p.id = c.plan_id
         JOIN tasks t ON t.id = ct.task_id JOIN items i ON i.id = t.item_id
         JOIN units u ON u.id = ct.unit_id
         ${LATEST}
        WHERE ($1::uuid[] IS NULL OR ct.unit_id = ANY($1::uuid[]))
          AND (lr.status IS NULL OR lr.status = 'returned')
        ORDER BY c.due_at, i.number, u.name`,
      [unitIds],
    );
    return rows.map((r) => ({
      cycleId: r.cycle_id,
      cycleTitle: r.cycle_title,
      planId: r.plan_id,
      planTitle: r.plan_title,
      dueAt: new Date(r.due_at),
      taskId: r.task_id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      itemNumber: r.item_number,
      itemTitle: r.item_title,
      role: r.role,
      returned: r.status === 'returned',
    }));
  }

  /**
   * Headline figures of the cycles open now or closed since `since` (for leaders' digests), in
   * one query: requested, reported (a standing report), reported on time.
   */
  async cycleSummaries(m: EntityManager, since: Date): Promise<CycleSummaryRow[]> {
    const rows: {
      id: string;
      plan_id: string;
      title: string;
      status: CycleStatus;
      due_at: Date;
      closed_at: Date | null;
      requested: string;
      reported: string;
      on_time: string;
    }[] = await m.query(
      `SELECT c.id, c.plan_id, c.title, c.status, c.due_at, c.closed_at,
              count(ct.task_id) AS requested,
              count(ct.task_id) FILTER (WHERE lr.status IN ('submitted', 'rated')) AS reported,
              count(ct.task_id) FILTER (WHERE lr.status IN ('submitted', 'rated') AND fr.first_at <= c.due_at) AS on_time
         FROM review_cycles c
         LEFT JOIN review_cycle_tasks ct ON ct.cycle_id = c.id
         ${LATEST}
         LEFT JOIN LATERAL (SELECT min(r.submitted_at) AS first_at FROM review_cycle_reports r
                             WHERE r.cycle_id = ct.cycle_id AND r.task_id = ct.task_id) fr ON true
        WHERE c.status = 'open' OR (c.status = 'closed' AND c.closed_at >= $1)
        GROUP BY c.id ORDER BY c.due_at`,
      [since],
    );
    return rows.map((r) => ({
      cycleId: r.id,
      planId: r.plan_id,
      title: r.title,
      status: r.status,
      dueAt: new Date(r.due_at),
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      requested: Number(r.requested),
      reported: Number(r.reported),
      onTime: Number(r.on_time),
    }));
  }
}
