import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/errors.js';
import {
  type PlanProgress,
  planProgress,
  type ProgressItemInput,
  type ProgressSectionInput,
  type ProgressTask,
} from '../plans/progress.js';
import type { TaskStatus } from '../tasks/task-state.js';

export interface PlanProgressView extends PlanProgress {
  plan: { id: string; title: string; docNumber: string | null; year: number };
  /** The instant the rollup was derived for (overdue depends on it). */
  asOf: string;
}

/** Reads a plan's sections, items and tasks and rolls their status up (nothing is stored). */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async ofPlan(planId: string): Promise<PlanProgressView> {
    const [plan]: { id: string; title: string; doc_number: string | null; year: number }[] =
      await this.db.query(`SELECT id, title, doc_number, year FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    const now = this.clock.now();
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
    const taskRows: {
      item_id: string;
      status: TaskStatus;
      due_at: Date;
      role: 'lead' | 'co';
      unit_id: string;
      unit_name: string;
    }[] = await this.db.query(
      `SELECT t.item_id, t.status, t.due_at, t.role, t.unit_id, u.name AS unit_name
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN units u ON u.id = t.unit_id
        WHERE i.plan_id = $1 ORDER BY t.role DESC, u.name`,
      [planId],
    );
    const tasksByItem = new Map<string, ProgressTask[]>();
    for (const t of taskRows) {
      const list = tasksByItem.get(t.item_id) ?? [];
      list.push({
        status: t.status,
        dueAt: new Date(t.due_at),
        role: t.role,
        unitId: t.unit_id,
        unitName: t.unit_name,
      });
      tasksByItem.set(t.item_id, list);
    }
    const itemsBySection = new Map<string, ProgressItemInput[]>();
    for (const i of itemRows) {
      const list = itemsBySection.get(i.section_id) ?? [];
      list.push({ id: i.id, number: i.number, title: i.title, tasks: tasksByItem.get(i.id) ?? [] });
      itemsBySection.set(i.section_id, list);
    }
    const sections: ProgressSectionInput[] = sectionRows.map((s) => ({
      id: s.id,
      ordinal: s.ordinal,
      title: s.title,
      items: itemsBySection.get(s.id) ?? [],
    }));
    return {
      plan: { id: plan.id, title: plan.title, docNumber: plan.doc_number, year: plan.year },
      asOf: now.toISOString(),
      ...planProgress(sections, now),
    };
  }
}
