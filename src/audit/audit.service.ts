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

export interface ChainVerification {
  ok: boolean;
  /** Entries found intact, from the first on. */
  checked: number;
  headSeq: number;
  /** The hash of the last entry; keep it elsewhere to detect a rewrite of the whole chain. */
  headHash: string;
  broken: { seq: number; id: string | null; problem: string } | null;
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

  /**
   * Re-computes the hash chain of the whole trail: every entry's hash over its content and its
   * predecessor's hash, the sequence without gaps, and the head. Returns the first break found.
   */
  async verifyChain(): Promise<ChainVerification> {
    const [head]: { seq: string; hash: string }[] = await this.db.query(
      `SELECT seq, hash FROM audit_chain_head WHERE id = 1`,
    );
    let lastSeq = 0;
    let lastHash = '';
    let checked = 0;
    for (;;) {
      const rows: { id: string; seq: string; prev_hash: string; hash: string; expected: string }[] =
        await this.db.query(
          `SELECT id, seq, prev_hash, hash,
                  audit_row_digest(prev_hash, seq, at, actor_id, actor, action, entity_type,
                                   entity_id, before, after, ip) AS expected
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000`,
          [lastSeq],
        );
      for (const r of rows) {
        const seq = Number(r.seq);
        const broken = (problem: string): ChainVerification => ({
          ok: false,
          checked,
          headSeq: Number(head.seq),
          headHash: head.hash,
          broken: { seq, id: String(r.id), problem },
        });
        if (seq !== lastSeq + 1)
          return broken(`第 ${lastSeq + 1}–${seq - 1} 条记录缺失（已被删除）`);
        if (r.prev_hash !== lastHash)
          return broken('与前一条记录的链接不符（记录被插入、删除或调换）');
        if (r.hash !== r.expected) return broken('内容与其哈希不符（记录被改动）');
        lastSeq = seq;
        lastHash = r.hash;
        checked++;
      }
      if (rows.length < 5000) break;
    }
    const result = { checked, headSeq: Number(head.seq), headHash: head.hash };
    if (Number(head.seq) !== lastSeq || head.hash !== lastHash) {
      return {
        ok: false,
        ...result,
        broken: {
          seq: lastSeq + 1,
          id: null,
          problem: `链头为第 ${head.seq} 条，最后一条记录为第 ${lastSeq} 条（末尾的记录被删除）`,
        },
      };
    }
    return { ok: true, ...result, broken: null };
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
