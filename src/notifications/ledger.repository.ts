import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { whereClause, type SqlFilter } from '../database/sql-filter.js';

export interface LedgerFilter {
  kind?: string;
  channel?: string;
  status?: string;
  taskId?: string;
  recipient?: string;
  from?: Date;
  to?: Date;
  /** Only failed messages with no automatic retry left. */
  deadLetter?: boolean;
}

export interface LedgerRow {
  id: string;
  kind: string;
  channel: string;
  task_id: string | null;
  milestone_id: string | null;
  user_id: string | null;
  recipient: string | null;
  subject: string | null;
  status: string;
  reason: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  scheduled_for: Date;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date | null;
  message_id: string | null;
}

/** The delivery ledger: every message, its channel, state, attempts and last error. */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(
    filter: LedgerFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: LedgerRow[]; total: number }> {
    const f: SqlFilter = [
      ['kind = ?', filter.kind],
      ['channel = ?', filter.channel],
      ['status = ?', filter.status],
      ['task_id = ?', filter.taskId],
      ['lower(recipient) = lower(?)', filter.recipient],
      ['created_at >= ?', filter.from],
      ['created_at < ?', filter.to],
      [`status = 'failed' AND next_attempt_at IS NULL`, filter.deadLetter ? true : undefined],
    ];
    const { sql, params } = whereClause(f);
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM notifications ${sql}`,
      params,
    );
    const rows: LedgerRow[] = await this.db.query(
      `SELECT id, kind, channel, task_id, milestone_id, user_id, recipient, subject, status, reason,
              attempts, next_attempt_at, scheduled_for, sent_at, created_at, updated_at, message_id
         FROM notifications ${sql}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { rows, total };
  }
}
