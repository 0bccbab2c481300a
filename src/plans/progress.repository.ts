import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { whereClause } from '../database/sql-filter.js';
import { TASK_COLUMNS, TASK_FROM, taskRecord, type TaskRow } from '../tasks/tasks.repository.js';
import type { ProgressItemInput, ProgressSectionInput, ProgressTask } from './progress.js';

export interface PlanRef {
  id: string;
  title: string;
  docNumber: string | null;
  year: number;
}

/** What the progress roll-up reads: a plan's sections, items and tasks, as its pure input. */
@Injectable()
export class ProgressRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The plan and its sections → items → tasks, in document order (an item's lead first); with
   * `unitId`, only that unit's tasks. Null for an unknown plan.
   */
  async outline(
    planId: string,
    unitId: string | null,
  ): Promise<{ plan: PlanRef; sections: ProgressSectionInput[] } | null> {
    const [plan]: { id: string; title: string; doc_number: string | null; year: number }[] =
      await this.db.query(`SELECT id, title, doc_number, year FROM plans WHERE id = $1`, [planId]);
    if (!plan) return null;
    const sectionRows: { id: string; ordinal: number; title: string | null }[] =
      await this.db.query(
        `SELECT id, ordinal, title FROM sections WHERE plan_id = $1 ORDER BY ordinal`,
        [planId],
      );
    const itemRows: { id: string; section_id: string; number: number; title: string }[] =
      await this.db.query(
        `SELECT id, section_id, number, title FROM items WHERE plan_id = $1 ORDER BY ordinal`,
        [planId],
      );
    const { sql, params } = whereClause([
      ['i.plan_id = ?', planId],
      ['t.unit_id = ?', unitId ?? undefined],
    ]);
    const taskRows: TaskRow[] = await this.db.query(
      `SELECT ${TASK_COLUMNS} ${TASK_FROM} ${sql} ORDER BY t.role DESC, u.name`,
      params,
    );
    const tasksByItem = new Map<string, ProgressTask[]>();
    for (const t of taskRows.map(taskRecord)) {
      const list = tasksByItem.get(t.itemId) ?? [];
      list.push({
        status: t.status,
        dueAt: t.dueAt,
        escalation: t.escalationLevel,
        role: t.role,
        unitId: t.unitId,
        unitName: t.unitName,
      });
      tasksByItem.set(t.itemId, list);
    }
    const itemsBySection = new Map<string, ProgressItemInput[]>();
    for (const i of itemRows) {
      const list = itemsBySection.get(i.section_id) ?? [];
      list.push({ id: i.id, number: i.number, title: i.title, tasks: tasksByItem.get(i.id) ?? [] });
      itemsBySection.set(i.section_id, list);
    }
    return {
      plan: { id: plan.id, title: plan.title, docNumber: plan.doc_number, year: plan.year },
      sections: sectionRows.map((s) => ({
        id: s.id,
        ordinal: s.ordinal,
        title: s.title,
        items: itemsBySection.get(s.id) ?? [],
      })),
    };
  }
}
