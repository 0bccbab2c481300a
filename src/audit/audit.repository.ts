import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Page } from '../common/paging.js';
import { whereClause } from '../database/sql-filter.js';
import { readPage } from '../tasks/tasks.repository.js';
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

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
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

/** An entry of the trail with its link and the digest its content should have. */
export interface ChainLink {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
  expected: string;
}

interface AuditRow {
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
}

function auditRecord(r: AuditRow): AuditRecord {
  return {
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
  };
}

/** The audit trail (`audit_log`, append-only, hash-chained by a trigger) and its chain head. */
@Injectable()
export class AuditRepository {
  async insert(m: EntityManager, entry: AuditEntry): Promise<void> {
    await m.query(
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

  /** The last link of the chain as the head records it. */
  async head(m: EntityManager): Promise<{ seq: number; hash: string }> {
    const [head]: { seq: string; hash: string }[] = await m.query(
      `SELECT seq, hash FROM audit_chain_head WHERE id = 1`,
    );
    return { seq: Number(head.seq), hash: head.hash };
  }

  /** Up to `limit` entries after `afterSeq`, in order, each with the digest recomputed. */
  async links(m: EntityManager, afterSeq: number, limit: number): Promise<ChainLink[]> {
    const rows: { id: string; seq: string; prev_hash: string; hash: string; expected: string }[] =
      await m.query(
        `SELECT id, seq, prev_hash, hash,
                audit_row_digest(prev_hash, seq, at, actor_id, actor, action, entity_type,
                                 entity_id, before, after, ip) AS expected
           FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [afterSeq, limit],
      );
    return rows.map((r) => ({
      id: String(r.id),
      seq: Number(r.seq),
      prevHash: r.prev_hash,
      hash: r.hash,
      expected: r.expected,
    }));
  }

  /** Newest first. */
  async page(
    m: EntityManager,
    filter: AuditFilter,
    paging: { page: number; pageSize: number },
  ): Promise<Page<AuditRecord>> {
    const { sql, params } = whereClause([
      ['entity_type = ?', filter.entityType || undefined],
      ['entity_id = ?', filter.entityId || undefined],
      ['actor_id = ?', filter.actorId || undefined],
      ['at >= ?', filter.from || undefined],
      ['at < ?', filter.to || undefined],
    ]);
    return readPage(
      m,
      { select: '*', from: `FROM audit_log ${sql}`, orderBy: 'at DESC, id DESC', params },
      paging,
      (rows: AuditRow[]) => rows.map(auditRecord),
    );
  }
}
