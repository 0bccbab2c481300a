import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/permissions.js';

export interface AuditEntry {
  /** Who acted; null for the system itself (reconciler, start-up). */
  actor: Pick<Actor, 'userId' | 'name'> | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/**
 * The audit trail (留痕). Entries are written in the caller's transaction, so a change and its
 * record commit together; the table refuses UPDATE and DELETE.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(manager: EntityManager | null, entry: AuditEntry): Promise<void> {
    await (manager ?? this.db.manager).query(
      `INSERT INTO audit_log (actor_id, actor, action, entity_type, entity_id, before, after, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actor?.userId ?? null,
        entry.actor?.name ?? '系统',
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.ip ?? null,
      ],
    );
  }

  async list(
    q: AuditQuery,
  ): Promise<{ items: AuditRecord[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.entityType) add('entity_type = ?', q.entityType);
    if (q.entityId) add('entity_id = ?', q.entityId);
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM audit_log ${whereSql}`,
      params,
    );
    const rows: {
      id: string;
      at: Date;
      actor_id: string | null;
      actor: string;
      action: string;
      entity_type: string;
      entity_id: string | null;
      before: unknown;
      after: unknown;
      ip: string | null;
    }[] = await this.db.query(
      `SELECT * FROM audit_log ${whereSql} ORDER BY at DESC, id DESC
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
        ip: r.ip,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
