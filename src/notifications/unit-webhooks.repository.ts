import { Injectable } from '@nestjs/common';
import type { EntityManager } from '../database/transactor.js';
import type { WebhookKind } from './webhook-format.js';

export interface UnitWebhookRow {
  id: string;
  unitId: string;
  kind: WebhookKind;
  url: string;
  secret: string | null;
  enabled: boolean;
  createdAt: Date;
}

interface Row {
  id: string;
  unit_id: string;
  kind: WebhookKind;
  url: string;
  secret: string | null;
  enabled: boolean;
  created_at: Date;
}

const map = (r: Row): UnitWebhookRow => ({
  id: r.id,
  unitId: r.unit_id,
  kind: r.kind,
  url: r.url,
  secret: r.secret,
  enabled: r.enabled,
  createdAt: new Date(r.created_at),
});

const COLUMNS = 'id, unit_id, kind, url, secret, enabled, created_at';

/** Group-robot webhooks of units (their addresses are secrets). */
@Injectable()
export class UnitWebhooksRepository {
  async ofUnit(m: EntityManager, unitId: string): Promise<UnitWebhookRow[]> {
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM unit_webhooks WHERE unit_id = $1 ORDER BY created_at, id`,
      [unitId],
    );
    return rows.map(map);
  }

  async get(m: EntityManager, id: string, lock = false): Promise<UnitWebhookRow | null> {
    const [row]: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM unit_webhooks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ? map(row) : null;
  }

  async unitExists(m: EntityManager, unitId: string): Promise<boolean> {
    const [row]: unknown[] = await m.query(`SELECT 1 FROM units WHERE id = $1`, [unitId]);
    return row !== undefined;
  }

  async create(
    m: EntityManager,
    input: { unitId: string; kind: WebhookKind; url: string; secret: string | null },
  ): Promise<UnitWebhookRow> {
    const [row]: Row[] = await m.query(
      `INSERT INTO unit_webhooks (unit_id, kind, url, secret) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [input.unitId, input.kind, input.url, input.secret],
    );
    return map(row);
  }

  async update(
    m: EntityManager,
    id: string,
    change: { url: string; secret: string | null; enabled: boolean },
  ): Promise<UnitWebhookRow> {
    const [[row]]: [Row[], number] = await m.query(
      `UPDATE unit_webhooks SET url = $2, secret = $3, enabled = $4, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, change.url, change.secret, change.enabled],
    );
    return map(row);
  }

  async remove(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM unit_webhooks WHERE id = $1`, [id]);
  }
}
