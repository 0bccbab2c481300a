import { Injectable } from '@nestjs/common';
import type { Page } from '../common/paging.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import {
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  AuditRepository,
} from './audit.repository.js';

export type { AuditEntry, AuditRecord };

export interface AuditQuery extends AuditFilter {
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

const CHAIN_BATCH = 5000;

/**
 * The audit trail (留痕). Entries are written in the caller's transaction, so a change and its
 * record commit together; the table refuses UPDATE and DELETE.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: AuditRepository,
  ) {}

  async record(manager: EntityManager | null, entry: AuditEntry): Promise<void> {
    await this.repo.insert(manager ?? this.tx.manager, entry);
  }

  /**
   * Re-computes the hash chain of the whole trail: every entry's hash over its content and its
   * predecessor's hash, the sequence without gaps, and the head. Returns the first break found.
   */
  async verifyChain(): Promise<ChainVerification> {
    const m = this.tx.manager;
    const head = await this.repo.head(m);
    let lastSeq = 0;
    let lastHash = '';
    let checked = 0;
    for (;;) {
      const links = await this.repo.links(m, lastSeq, CHAIN_BATCH);
      for (const r of links) {
        const seq = r.seq;
        const broken = (problem: string): ChainVerification => ({
          ok: false,
          checked,
          headSeq: head.seq,
          headHash: head.hash,
          broken: { seq, id: r.id, problem },
        });
        if (seq !== lastSeq + 1)
          return broken(`第 ${lastSeq + 1}–${seq - 1} 条记录缺失（已被删除）`);
        if (r.prevHash !== lastHash)
          return broken('与前一条记录的链接不符（记录被插入、删除或调换）');
        if (r.hash !== r.expected) return broken('内容与其哈希不符（记录被改动）');
        lastSeq = seq;
        lastHash = r.hash;
        checked++;
      }
      if (links.length < CHAIN_BATCH) break;
    }
    const result = { checked, headSeq: head.seq, headHash: head.hash };
    if (head.seq !== lastSeq || head.hash !== lastHash) {
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

  async list(q: AuditQuery): Promise<Page<AuditRecord>> {
    const { page, pageSize, ...filter } = q;
    return this.repo.page(this.tx.manager, filter, { page, pageSize });
  }
}
