import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeadlineHint, ParseWarning } from '../plan-document/index.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import type { TaskStatus } from '../tasks/task-state.js';
import type { DiffSummary, PlanDiff, VersionDocument } from './plan-diff.js';

export interface PlanRow {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  issuedOn: string | null;
  year: number;
  sourceHash: string;
  sourceName: string;
  reminderPolicy: ReminderPolicy | null;
  importedAt: Date;
}

export interface VersionRow {
  version: number;
  sourceName: string;
  sourceHash: string;
  createdBy: { id: string | null; name: string };
  createdAt: Date;
  summary: DiffSummary | null;
}

export interface StoredVersion extends VersionRow {
  document: VersionDocument;
  diff: PlanDiff | null;
}

/** A live item of a plan with its section and the tasks made of it. */
export interface ItemSnapshot {
  id: string;
  section: number;
  number: number;
  title: string;
  body: string;
  allUnits: boolean;
  deadlineHints: DeadlineHint[];
  tasks: { unit: string; role: 'lead' | 'co' }[];
}

export interface PlanTaskRow {
  id: string;
  itemId: string;
  unitId: string;
  unit: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  dueDate: string;
  dueAt: Date;
}

export interface NewTaskRow {
  itemId: string;
  unitId: string;
  role: 'lead' | 'co';
  dueDate: string;
  dueAt: Date;
  remindersPlannedAt: Date;
}

export interface InsertedTask {
  id: string;
  itemId: string;
  unitId: string;
  status: TaskStatus;
  dueAt: Date;
  remindersPlannedAt: Date;
}

const PLAN_COLUMNS = `id, title, doc_number, issuer, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, year,
  source_hash, source_name, reminder_policy, imported_at`;

interface RawPlan {
  id: string;
  title: string;
  doc_number: string | null;
  issuer: string | null;
  issued_on: string | null;
  year: number;
  source_hash: string;
  source_name: string;
  reminder_policy: ReminderPolicy | null;
  imported_at: Date;
}

const planRow = (r: RawPlan): PlanRow => ({
  id: r.id,
  title: r.title,
  docNumber: r.doc_number,
  issuer: r.issuer,
  issuedOn: r.issued_on,
  year: r.year,
  sourceHash: r.source_hash,
  sourceName: r.source_name,
  reminderPolicy: r.reminder_policy,
  importedAt: new Date(r.imported_at),
});

interface RawVersion {
  version: number;
  source_name: string;
  source_hash: string;
  created_by: string | null;
  created_by_name: string;
  created_at: Date;
  summary: DiffSummary | null;
  document?: VersionDocument;
  diff?: PlanDiff | null;
}

const versionRow = (r: RawVersion): VersionRow => ({
  version: r.version,
  sourceName: r.source_name,
  sourceHash: r.source_hash,
  createdBy: { id: r.created_by, name: r.created_by_name },
  createdAt: new Date(r.created_at),
  summary: r.summary,
});

/** The SQL of plan revisions: plan versions, and the items, sections and tasks a revision changes. */
@Injectable()
export class PlanRevisionsRepository {
  /**
   * Imports and revisions take turns (the same lock as the import), so a revision never races an
   * import of the same 文号 or another revision.
   */
  async lockImports(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:plan-import'))`);
  }

  async plan(m: EntityManager, id: string, forUpdate = false): Promise<PlanRow | null> {
    const rows: RawPlan[] = await m.query(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? planRow(rows[0]) : null;
  }

  async planByDocNumber(m: EntityManager, docNumber: string): Promise<PlanRow | null> {
    const rows: RawPlan[] = await m.query(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE doc_number = $1`,
      [docNumber],
    );
    return rows[0] ? planRow(rows[0]) : null;
  }

  async planByHash(m: EntityManager, hash: string): Promise<PlanRow | null> {
    const rows: RawPlan[] = await m.query(
      `SELECT ${PLAN_COLUMNS} FROM plans WHERE source_hash = $1`,
      [hash],
    );
    return rows[0] ? planRow(rows[0]) : null;
  }

  async versions(m: EntityManager, planId: string): Promise<VersionRow[]> {
    const rows: RawVersion[] = await m.query(
      `SELECT version, source_name, source_hash, created_by, created_by_name, created_at,
              diff->'summary' AS summary
         FROM plan_versions WHERE plan_id = $1 ORDER BY version DESC`,
      [planId],
    );
    return rows.map(versionRow);
  }

  async version(m: EntityManager, planId: string, version: number): Promise<StoredVersion | null> {
    const rows: RawVersion[] = await m.query(
      `SELECT version, source_name, source_hash, created_by, created_by_name, created_at,
              diff->'summary' AS summary, document, diff
         FROM plan_versions WHERE plan_id = $1 AND version = $2`,
      [planId, version],
    );
    return rows[0]
      ? { ...versionRow(rows[0]), document: rows[0].document!, diff: rows[0].diff ?? null }
      : null;
  }

  async latestVersion(m: EntityManager, planId: string): Promise<StoredVersion | null> {
    const [row]: { version: number }[] = await m.query(
      `SELECT max(version) AS version FROM plan_versions WHERE plan_id = $1`,
      [planId],
    );
    return row?.version ? this.version(m, planId, row.version) : null;
  }

  async insertVersion(
    m: EntityManager,
    v: {
      planId: string;
      version: number;
      sourceName: string;
      sourceHash: string;
      document: VersionDocument;
      diff: PlanDiff | null;
      createdBy: string | null;
      createdByName: string;
      createdAt?: Date;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO plan_versions
         (plan_id, version, source_name, source_hash, document, diff, created_by, created_by_name,
          created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))`,
      [
        v.planId,
        v.version,
        v.sourceName,
        v.sourceHash,
        JSON.stringify(v.document),
        v.diff === null ? null : JSON.stringify(v.diff),
        v.createdBy,
        v.createdByName,
        v.createdAt ?? null,
      ],
    );
  }

  /** Who imported the plan, from the audit trail (the first version's author). */
  async importedBy(m: EntityManager, planId: string): Promise<{ id: string | null; name: string }> {
    const rows: { actor_id: string | null; actor: string }[] = await m.query(
      `SELECT actor_id, actor FROM audit_log
        WHERE entity_type = 'plan' AND entity_id = $1 AND action = 'plan.import'
        ORDER BY id LIMIT 1`,
      [planId],
    );
    return rows[0] ? { id: rows[0].actor_id, name: rows[0].actor } : { id: null, name: '系统' };
  }

  async sections(
    m: EntityManager,
    planId: string,
  ): Promise<{ ordinal: number; title: string | null }[]> {
    return m.query(`SELECT ordinal, title FROM sections WHERE plan_id = $1 ORDER BY ordinal`, [
      planId,
    ]);
  }

  /** The plan's current items, in order, each with the units of its tasks (lead first). */
  async liveItems(m: EntityManager, planId: string): Promise<ItemSnapshot[]> {
    const rows: {
      id: string;
      section: number;
      number: number;
      title: string;
      body: string;
      all_units: boolean;
      deadline_hints: DeadlineHint[];
      tasks: { unit: string; role: 'lead' | 'co' }[] | null;
    }[] = await m.query(
      `SELECT i.id, s.ordinal AS section, i.number, i.title, i.body, i.all_units, i.deadline_hints,
              (SELECT json_agg(json_build_object('unit', u.name, 'role', t.role)
                               ORDER BY t.role DESC, t.created_at, u.name)
                 FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.item_id = i.id) AS tasks
         FROM items i JOIN sections s ON s.id = i.section_id
        WHERE i.plan_id = $1 AND i.removed_in_version IS NULL
        ORDER BY i.ordinal`,
      [planId],
    );
    return rows.map((r) => ({
      id: r.id,
      section: r.section,
      number: r.number,
      title: r.title,
      body: r.body,
      allUnits: r.all_units,
      deadlineHints: r.deadline_hints,
      tasks: r.tasks ?? [],
    }));
  }

  async tasksOfPlan(m: EntityManager, planId: string): Promise<PlanTaskRow[]> {
    const rows: {
      id: string;
      item_id: string;
      unit_id: string;
      unit: string;
      role: 'lead' | 'co';
      status: TaskStatus;
      due_date: string;
      due_at: Date;
    }[] = await m.query(
      `SELECT t.id, t.item_id, t.unit_id, u.name AS unit, t.role, t.status,
              to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.due_at
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
        WHERE i.plan_id = $1 ORDER BY i.ordinal, t.role DESC, u.name`,
      [planId],
    );
    return rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      unitId: r.unit_id,
      unit: r.unit,
      role: r.role,
      status: r.status,
      dueDate: r.due_date,
      dueAt: new Date(r.due_at),
    }));
  }

  /** Unit names, oldest first (the order "各科室" expands to). */
  async unitNames(m: EntityManager): Promise<string[]> {
    const rows: { name: string }[] = await m.query(
      `SELECT name FROM units ORDER BY created_at, name`,
    );
    return rows.map((r) => r.name);
  }

  /** Creates the units not known yet; returns every unit's id by name. */
  async ensureUnits(m: EntityManager, names: readonly string[]): Promise<Map<string, string>> {
    if (names.length > 0) {
      await m.query(
        `INSERT INTO units (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
        [names],
      );
    }
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM units`);
    return new Map(rows.map((r) => [r.name, r.id]));
  }

  /** Sets the sections to the document's (by ordinal); returns section ids by ordinal. */
  async upsertSections(
    m: EntityManager,
    planId: string,
    sections: readonly { ordinal: number; title: string | null }[],
  ): Promise<Map<number, string>> {
    const rows: { id: string; ordinal: number }[] = await m.query(
      `INSERT INTO sections (plan_id, ordinal, title)
       SELECT $1, s.ordinal, s.title
         FROM jsonb_to_recordset($2::jsonb) AS s(ordinal int, title text)
       ON CONFLICT (plan_id, ordinal) DO UPDATE SET title = EXCLUDED.title
       RETURNING id, ordinal`,
      [planId, JSON.stringify(sections)],
    );
    return new Map(rows.map((r) => [r.ordinal, r.id]));
  }

  /** Frees the ordinals of the plan's items, to lay them out again in the new document's order. */
  async releaseOrdinals(m: EntityManager, planId: string): Promise<void> {
    await m.query(`UPDATE items SET ordinal = ordinal + 1000000 WHERE plan_id = $1`, [planId]);
  }

  async updateItem(
    m: EntityManager,
    id: string,
    item: {
      sectionId: string;
      ordinal: number;
      number: number;
      title: string;
      body: string;
      allUnits: boolean;
      deadlineHints: DeadlineHint[];
    },
  ): Promise<void> {
    await m.query(
      `UPDATE items SET section_id = $2, ordinal = $3, number = $4, title = $5, body = $6,
              all_units = $7, deadline_hints = $8
        WHERE id = $1`,
      [
        id,
        item.sectionId,
        item.ordinal,
        item.number,
        item.title,
        item.body,
        item.allUnits,
        JSON.stringify(item.deadlineHints),
      ],
    );
  }

  async insertItem(
    m: EntityManager,
    planId: string,
    item: {
      sectionId: string;
      ordinal: number;
      number: number;
      title: string;
      body: string;
      allUnits: boolean;
      deadlineHints: DeadlineHint[];
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO items (plan_id, section_id, ordinal, number, title, body, all_units, deadline_hints)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        planId,
        item.sectionId,
        item.ordinal,
        item.number,
        item.title,
        item.body,
        item.allUnits,
        JSON.stringify(item.deadlineHints),
      ],
    );
    return row.id;
  }

  /** Marks items removed by `version` (their tasks are cancelled by the caller). */
  async markRemoved(m: EntityManager, ids: readonly string[], version: number): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE items SET removed_in_version = $2 WHERE id = ANY($1::uuid[])`, [
      ids,
      version,
    ]);
  }

  /**
   * Removed items (by this revision or earlier ones) take the places after the current ones, in
   * the order they were removed.
   */
  async compactRemovedOrdinals(
    m: EntityManager,
    planId: string,
    firstOrdinal: number,
  ): Promise<void> {
    await m.query(
      `UPDATE items SET ordinal = n.ordinal
         FROM (SELECT id, $2 - 1 + row_number() OVER (ORDER BY removed_in_version, ordinal) AS ordinal
                 FROM items WHERE plan_id = $1 AND ordinal >= 1000000) n
        WHERE items.id = n.id`,
      [planId, firstOrdinal],
    );
  }

  /** Sections left with no item at all (their items were never there or moved away). */
  async deleteEmptySections(m: EntityManager, planId: string): Promise<void> {
    await m.query(
      `DELETE FROM sections s WHERE s.plan_id = $1
          AND NOT EXISTS (SELECT 1 FROM items i WHERE i.section_id = s.id)`,
      [planId],
    );
  }

  async insertTasks(m: EntityManager, tasks: readonly NewTaskRow[]): Promise<InsertedTask[]> {
    if (tasks.length === 0) return [];
    const rows: {
      id: string;
      item_id: string;
      unit_id: string;
      status: TaskStatus;
      due_at: Date;
      reminders_planned_at: Date;
    }[] = await m.query(
      `INSERT INTO tasks (item_id, unit_id, role, status, due_date, due_at, reminders_planned_at)
       SELECT t."itemId", t."unitId", t.role, 'assigned', t."dueDate", t."dueAt", t."remindersPlannedAt"
         FROM jsonb_to_recordset($1::jsonb)
           AS t("itemId" uuid, "unitId" uuid, role text, "dueDate" date, "dueAt" timestamptz,
                "remindersPlannedAt" timestamptz)
       RETURNING id, item_id, unit_id, status, due_at, reminders_planned_at`,
      [JSON.stringify(tasks)],
    );
    return rows.map((r) => ({
      id: r.id,
      itemId: r.item_id,
      unitId: r.unit_id,
      status: r.status,
      dueAt: new Date(r.due_at),
      remindersPlannedAt: new Date(r.reminders_planned_at),
    }));
  }

  async setRole(m: EntityManager, taskId: string, role: 'lead' | 'co'): Promise<void> {
    await m.query(
      `UPDATE tasks SET role = $2, version = version + 1, updated_at = now() WHERE id = $1`,
      [taskId, role],
    );
  }

  async updatePlan(
    m: EntityManager,
    id: string,
    p: {
      title: string;
      docNumber: string | null;
      issuer: string | null;
      issuedOn: string | null;
      sourceHash: string;
      sourceName: string;
      warnings: ParseWarning[];
    },
  ): Promise<void> {
    await m.query(
      `UPDATE plans SET title = $2, doc_number = $3, issuer = $4, issued_on = $5, source_hash = $6,
              source_name = $7, warnings = $8
        WHERE id = $1`,
      [
        id,
        p.title,
        p.docNumber,
        p.issuer,
        p.issuedOn,
        p.sourceHash,
        p.sourceName,
        JSON.stringify(p.warnings),
      ],
    );
  }
}
