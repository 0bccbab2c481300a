import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface InboxRow {
  id: string;
  kind: string;
  task_id: string | null;
  subject: string | null;
  body: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** The in-app inbox: the `inbox` channel rows of the outbox, per user. */
@Injectable()
export class InboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(
    userId: string,
    unreadOnly: boolean,
    limit: number,
    offset: number,
  ): Promise<{ rows: InboxRow[]; total: number; unread: number }> {
    const filter = unreadOnly ? 'AND read_at IS NULL' : '';
    const [counts]: { total: number; unread: number }[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE true ${filter})::int AS total,
              count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notifications WHERE user_id = $1 AND channel = 'inbox'`,
      [userId],
    );
    const rows: InboxRow[] = await this.db.query(
      `SELECT id, kind, task_id, subject, body, created_at, read_at FROM notifications
        WHERE user_id = $1 AND channel = 'inbox' ${filter}
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    return { rows, total: counts.total, unread: counts.unread };
  }

  /** Marks one of the user's own entries read; false when it is not theirs or does not exist. */
  async markRead(userId: string, id: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.db.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND user_id = $2 AND channel = 'inbox' RETURNING id`,
      [id, userId],
    );
    return rows.length > 0;
  }

  async markAllRead(userId: string): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE notifications SET read_at = now()
        WHERE user_id = $1 AND channel = 'inbox' AND read_at IS NULL`,
      [userId],
    );
    return count;
  }
}
