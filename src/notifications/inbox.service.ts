import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/permissions.js';
import type { Page } from '../common/paging.js';
import { NotFoundError } from '../common/errors.js';
import { InboxRepository } from './inbox.repository.js';

export interface InboxItem {
  id: string;
  kind: string;
  taskId: string | null;
  subject: string | null;
  body: string | null;
  createdAt: string;
  readAt: string | null;
}

/** The caller's own in-app messages. */
@Injectable()
export class InboxService {
  constructor(private readonly repo: InboxRepository) {}

  async list(
    actor: Actor,
    page: number,
    pageSize: number,
    unreadOnly: boolean,
  ): Promise<Page<InboxItem> & { unread: number }> {
    const { rows, total, unread } = await this.repo.page(
      actor.userId,
      unreadOnly,
      pageSize,
      (page - 1) * pageSize,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        taskId: r.task_id,
        subject: r.subject,
        body: r.body,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      })),
      total,
      unread,
      page,
      pageSize,
    };
  }

  /** Anyone else's entry is "not found". */
  async markRead(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.markRead(actor.userId, id))) throw new NotFoundError(`通知 ${id} 不存在`);
  }

  async markAllRead(actor: Actor): Promise<number> {
    return this.repo.markAllRead(actor.userId);
  }
}
