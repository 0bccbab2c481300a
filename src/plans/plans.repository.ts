import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findPage, type Page } from '../common/paging.js';
import type { DeadlineHint } from '../plan-document/index.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import { AWAITING_UNIT_SQL, type TaskStatus } from '../tasks/task-state.js';
import { Item } from './item.entity.js';
import { Plan } from './plan.entity.js';
import { Section } from './section.entity.js';

export type NewPlan = Pick<
  Plan,
  | 'title'
  | 'docNumber'
  | 'issuer'
  | 'issuedOn'
  | 'year'
  | 'sourceHash'
  | 'sourceName'
  | 'reminderPolicy'
  | 'warnings'
>;

export interface NewSection {
  ordinal: number;
  title: string | null;
  items: NewItem[];
}

export interface NewItem {
  number: number;
  title: string;
  body: string;
  allUnits: boolean;
  deadlineHints: DeadlineHint[];
}

export interface NewTask {
  itemId: string;
  unitId: string;
  role: 'lead' | 'co';
  status: TaskStatus;
  /** YYYY-MM-DD */
  dueDate: string;
  dueAt: Date;
  remindersPlannedAt: Date;
}

/** A task as written: what planning its reminders needs. */
export interface ImportedTask extends NewTask {
  id: string;
}

/** A task whose reminders were re-planned from a moment on. */
export interface ReplannedTask {
  id: string;
  status: TaskStatus;
  dueAt: Date;
}

/** Rows per statement of a bulk insert. */
const CHUNK = 5000;

/** Writes `rows` a chunk at a time: `write` gets the chunk and the index of its first row. */
async function inChunks<T>(
  rows: readonly T[],
  write: (chunk: readonly T[], start: number) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK), i);
}

/** The rows as `unnest` takes them: one array per column, in the order of `keys`. */
function columns<T>(rows: readonly T[], keys: readonly (keyof T)[]): unknown[][] {
  return keys.map((key) => rows.map((row) => row[key]));
}

/** Plans (`plans`) with their sections and items, written in bulk by an import. */
@Injectable()
export class PlansRepository {
  /** Imports take turns (held until the transaction ends). */
  async lockImports(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:plan-import'))`);
  }

  async count(m: EntityManager): Promise<number> {
    return m.getRepository(Plan).count();
  }

  async find(m: EntityManager, id: string): Promise<Plan | null> {
    return m.getRepository(Plan).findOneBy({ id });
  }

  /** The plan, row-locked for a change in the caller's transaction. */
  async lock(m: EntityManager, id: string): Promise<Plan | null> {
    return m.getRepository(Plan).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async findBySourceHash(m: EntityManager, hash: string): Promise<Plan | null> {
    return m.getRepository(Plan).findOneBy({ sourceHash: hash });
  }

  async findByDocNumber(m: EntityManager, docNumber: string): Promise<Plan | null> {
    return m.getRepository(Plan).findOneBy({ docNumber });
  }

  /** Newest first. */
  async page(m: EntityManager, paging: { page: number; pageSize: number }): Promise<Page<Plan>> {
    return findPage(paging, (w) =>
      m.getRepository(Plan).findAndCount({ order: { importedAt: 'DESC' }, ...w }),
    );
  }

  /** The plan's sections and items, each in document order. */
  async contents(m: EntityManager, id: string): Promise<{ sections: Section[]; items: Item[] }> {
    const sections = await m
      .getRepository(Section)
      .find({ where: { planId: id }, order: { ordinal: 'ASC' } });
    const items = await m
      .getRepository(Item)
      .find({ where: { planId: id }, order: { ordinal: 'ASC' } });
    return { sections, items };
  }

  /** How much the plan holds. */
  async counts(
    m: EntityManager,
    id: string,
  ): Promise<{ sections: number; items: number; tasks: number; units: number } | null> {
    const [row]: { sections: number; items: number; tasks: number; units: number }[] =
      await m.query(
        `SELECT (SELECT count(*)::int FROM sections WHERE plan_id = $1) AS sections,
                (SELECT count(*)::int FROM items WHERE plan_id = $1) AS items,
                count(t.id)::int AS tasks, count(DISTINCT t.unit_id)::int AS units
           FROM items i JOIN tasks t ON t.item_id = i.id WHERE i.plan_id = $1`,
        [id],
      );
    return row ?? null;
  }

  async insert(m: EntityManager, plan: NewPlan): Promise<Plan> {
    const repo = m.getRepository(Plan);
    return repo.save(repo.create(plan));
  }

  async setReminderPolicy(m: EntityManager, plan: Plan, policy: ReminderPolicy): Promise<void> {
    plan.reminderPolicy = policy;
    await m.getRepository(Plan).save(plan);
  }

  /**
   * Writes the plan's sections and their items, numbering the items through the whole plan;
   * one statement each. Returns the items' ids, section by section, in document order.
   */
  async insertContents(
    m: EntityManager,
    planId: string,
    sections: readonly NewSection[],
  ): Promise<string[][]> {
    const sectionIds = sections.map(() => randomUUID());
    await m.query(
      `INSERT INTO sections (id, plan_id, ordinal, title)
       SELECT s.id, $1, s.ordinal, s.title FROM unnest($2::uuid[], $3::int[], $4::text[])
           AS s(id, ordinal, title)`,
      [planId, sectionIds, sections.map((s) => s.ordinal), sections.map((s) => s.title)],
    );
    const items = sections.flatMap((s, i) =>
      s.items.map((item) => ({
        ...item,
        id: randomUUID(),
        sectionId: sectionIds[i],
        hints: JSON.stringify(item.deadlineHints),
      })),
    );
    await inChunks(items, (chunk, start) =>
      m.query(
        `INSERT INTO items (id, plan_id, section_id, ordinal, number, title, body, all_units,
                            deadline_hints)
         SELECT r.id, $1, r.section_id, $2 + r.n, r.number, r.title, r.body, r.all_units, r.hints
           FROM unnest($3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::text[], $8::boolean[],
                       $9::jsonb[]) WITH ORDINALITY
                AS r(id, section_id, number, title, body, all_units, hints, n)`,
        [
          planId,
          start,
          ...columns(chunk, ['id', 'sectionId', 'number', 'title', 'body', 'allUnits', 'hints']),
        ],
      ),
    );
    let next = 0;
    return sections.map((s) => s.items.map(() => items[next++].id));
  }

  /** Writes tasks in bulk (a few statements however many there are). */
  async insertTasks(m: EntityManager, tasks: readonly NewTask[]): Promise<ImportedTask[]> {
    const written = tasks.map((t) => ({ ...t, id: randomUUID() }));
    await inChunks(written, (chunk) =>
      m.query(
        `INSERT INTO tasks (id, item_id, unit_id, role, status, due_date, due_at,
                            reminders_planned_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                              $6::date[], $7::timestamptz[], $8::timestamptz[])`,
        columns(chunk, [
          'id',
          'itemId',
          'unitId',
          'role',
          'status',
          'dueDate',
          'dueAt',
          'remindersPlannedAt',
        ]),
      ),
    );
    return written;
  }

  /**
   * Re-plans the reminders of the plan's tasks that await their unit from `now` on, so that
   * reminders already due are not sent. Returns those tasks.
   */
  async replanAwaitingTasks(m: EntityManager, planId: string, now: Date): Promise<ReplannedTask[]> {
    const [tasks]: [{ id: string; status: TaskStatus; due_at: Date }[], number] = await m.query(
      `UPDATE tasks SET reminders_planned_at = $2 FROM items i
        WHERE i.id = tasks.item_id AND i.plan_id = $1 AND tasks.status IN ${AWAITING_UNIT_SQL}
        RETURNING tasks.id, tasks.status, tasks.due_at`,
      [planId, now],
    );
    return tasks.map((t) => ({ id: t.id, status: t.status, dueAt: new Date(t.due_at) }));
  }
}
