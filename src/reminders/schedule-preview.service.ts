import { Inject, Injectable } from '@nestjs/common';
import { describeDateTime } from '../calendar/business-time.js';
import { type Page, pageWindow } from '../common/paging.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import type { Channel } from '../notifications/outbox-message.js';
import { messageKind } from '../notifications/message-kinds.js';
import { OutboxService } from '../notifications/outbox.service.js';
import type { ReminderSource, ReminderSourceName } from './reminder-source.js';
import { REMINDER_SOURCE_LIST } from './reminder-scheduler.service.js';
import { type ScheduleFilter, SchedulePreviewRepository } from './schedule-preview.repository.js';

/** One reminder or escalation that will fire, and where it will go. */
export interface ScheduleEntry {
  occurrenceId: string;
  fireAt: string;
  /** The same instant in the business time zone, in words. */
  fireAtText: string;
  source: ReminderSourceName;
  kind: string;
  kindLabel: string;
  why: string;
  task: { id: string; itemNumber: string; itemTitle: string; unitName: string; role: string };
  milestone: { id: string; title: string } | null;
  recipients: { channel: Channel; to: string }[];
  /** Set when nobody would receive it (it will be recorded as skipped). */
  note: string | null;
}

/**
 * The schedule preview: every stored occurrence that will fire, with the recipients and channels
 * the outbox would route it to today — by the same `describe` and routing firing uses.
 */
@Injectable()
export class SchedulePreviewService {
  private readonly sources: Map<ReminderSourceName, ReminderSource>;

  constructor(
    private readonly repo: SchedulePreviewRepository,
    private readonly outbox: OutboxService,
    private readonly tx: Transactor,
    @Inject(REMINDER_SOURCE_LIST) sources: readonly ReminderSource[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sources = new Map(sources.map((s) => [s.name, s]));
  }

  async page(
    filter: ScheduleFilter,
    q: { page: number; pageSize: number },
  ): Promise<Page<ScheduleEntry>> {
    const m = this.tx.manager;
    const { rows, total } = await this.repo.scheduled(m, filter, pageWindow(q));
    const described = rows.map((r) => {
      const source = this.sources.get(r.source);
      if (!source) throw new Error(`unknown reminder source ${r.source}`);
      return source.describe(r, { unitId: r.unitId, leaderId: r.leaderId });
    });
    const routes = await this.outbox.route(m, described);
    const items = rows.map((r, i): ScheduleEntry => {
      const d = described[i];
      return {
        occurrenceId: r.id,
        fireAt: r.fireAt.toISOString(),
        fireAtText: describeDateTime(r.fireAt, this.config.businessTz),
        source: r.source,
        kind: d.kind,
        kindLabel: messageKind(d.kind)?.label ?? d.kind,
        why: d.why,
        task: {
          id: r.taskId,
          itemNumber: r.itemNumber,
          itemTitle: r.itemTitle,
          unitName: r.unitName,
          role: r.role,
        },
        milestone:
          r.milestoneId && r.milestoneTitle ? { id: r.milestoneId, title: r.milestoneTitle } : null,
        recipients: routes[i].map((route) => ({ channel: route.channel, to: route.to })),
        note: routes[i].length === 0 ? '没有接收人（单位无联系人），届时将记为跳过' : null,
      };
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  planExists(planId: string): Promise<boolean> {
    return this.repo.planExists(this.tx.manager, planId);
  }
}
