import { Injectable } from '@nestjs/common';
import type { EntityManager } from '../database/transactor.js';
import type { CalendarOverride } from './working-calendar.js';

/** Official schedules entered by an admin (`calendar_days`). */
@Injectable()
export class CalendarRepository {
  async all(m: EntityManager): Promise<CalendarOverride[]> {
    const rows: { day: string; kind: CalendarOverride['kind']; note: string | null }[] =
      await m.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, note FROM calendar_days ORDER BY day`,
      );
    return rows.map((r) => ({ date: r.day, kind: r.kind, note: r.note ?? undefined }));
  }

  /** Replaces one year's days. */
  async replaceYear(
    m: EntityManager,
    year: number,
    days: readonly CalendarOverride[],
  ): Promise<void> {
    await m.query(
      `DELETE FROM calendar_days WHERE day >= make_date($1, 1, 1) AND day <= make_date($1, 12, 31)`,
      [year],
    );
    if (days.length === 0) return;
    await m.query(
      `INSERT INTO calendar_days (day, kind, note)
       SELECT d.day, d.kind, d.note FROM unnest($1::date[], $2::text[], $3::text[]) AS d(day, kind, note)`,
      [days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.note ?? null)],
    );
  }

  /** The years in which open tasks are due. */
  async openDeadlineYears(m: EntityManager): Promise<number[]> {
    const rows: { year: number }[] = await m.query(
      `SELECT DISTINCT extract(year FROM due_date)::int AS year FROM tasks
        WHERE status NOT IN ('closed', 'cancelled') ORDER BY 1`,
    );
    return rows.map((r) => r.year);
  }
}
