import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findPage, type Page } from '../common/paging.js';
import { Unit } from './unit.entity.js';

/** Responsible units (`units`). */
@Injectable()
export class UnitsRepository {
  /** By name. */
  async page(m: EntityManager, paging: { page: number; pageSize: number }): Promise<Page<Unit>> {
    return findPage(paging, (w) =>
      m.getRepository(Unit).findAndCount({ order: { name: 'ASC' }, ...w }),
    );
  }

  async find(m: EntityManager, id: string): Promise<Unit | null> {
    return m.getRepository(Unit).findOneBy({ id });
  }

  async save(m: EntityManager, unit: Unit): Promise<Unit> {
    return m.getRepository(Unit).save(unit);
  }

  async exists(m: EntityManager, id: string): Promise<boolean> {
    const [unit]: unknown[] = await m.query(`SELECT 1 FROM units WHERE id = $1`, [id]);
    return unit !== undefined;
  }

  async idOfName(m: EntityManager, name: string): Promise<string | null> {
    const [unit]: { id: string }[] = await m.query(`SELECT id FROM units WHERE name = $1`, [name]);
    return unit?.id ?? null;
  }

  /** Every unit's name, in the order they became known (then by name). */
  async names(m: EntityManager): Promise<string[]> {
    const rows: { name: string }[] = await m.query(
      `SELECT name FROM units ORDER BY created_at, name`,
    );
    return rows.map((r) => r.name);
  }

  /** Adds the units not known yet (one statement; a name added meanwhile is kept as it is). */
  async addMissing(m: EntityManager, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await m.query(`INSERT INTO units (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [
      names,
    ]);
  }

  /** Every unit's id by its name. */
  async idsByName(m: EntityManager): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM units`);
    return new Map(rows.map((r) => [r.name, r.id]));
  }
}
