import { Injectable } from '@nestjs/common';
import { pageOf, pageWindow, type Page } from '../common/paging.js';
import { type LedgerFilter, LedgerRepository } from './ledger.repository.js';

export interface LedgerEntry {
  id: string;
  kind: string;
  channel: string;
  taskId: string | null;
  milestoneId: string | null;
  userId: string | null;
  recipient: string | null;
  subject: string | null;
  status: string;
  /** Why it was skipped, or the last delivery error. */
  reason: string | null;
  attempts: number;
  /** When the next automatic attempt is due; null when none is (sent, skipped, dead-lettered). */
  nextAttemptAt: string | null;
  /** Failed with no automatic retry left: needs a person (retry, or fix the address). */
  deadLetter: boolean;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

@Injectable()
export class LedgerService {
  constructor(private readonly repo: LedgerRepository) {}

  async page(
    filter: LedgerFilter,
    q: { page: number; pageSize: number },
  ): Promise<Page<LedgerEntry>> {
    const { limit, offset } = pageWindow(q);
    const { rows, total } = await this.repo.page(filter, limit, offset);
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        taskId: r.task_id,
        milestoneId: r.milestone_id,
        userId: r.user_id,
        recipient: r.recipient,
        subject: r.subject,
        status: r.status,
        reason: r.reason,
        attempts: r.attempts,
        nextAttemptAt: iso(r.next_attempt_at),
        deadLetter: r.status === 'failed' && r.next_attempt_at === null,
        messageId: r.message_id,
        createdAt: new Date(r.created_at).toISOString(),
        sentAt: iso(r.sent_at),
        updatedAt: iso(r.updated_at),
      })),
      total,
      q,
    );
  }
}
