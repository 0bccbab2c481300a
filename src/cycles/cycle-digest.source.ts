import { Inject, Injectable } from '@nestjs/common';
import { businessDateOf } from '../calendar/business-time.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { EntityManager } from '../database/transactor.js';
import type { CycleRequestLine, CycleResultLine } from '../digests/digest-content.js';
import type { DigestCycleSource } from '../digests/digests.service.js';
import { CyclesRepository } from './cycles.repository.js';

/** Closed cycles stay in the leaders' digest for this long after they close. */
const RECENTLY_CLOSED_MS = 14 * 24 * 3600 * 1000;

/**
 * What the weekly digests say about review cycles: each unit's reports still owed (or returned
 * to it), and for the leaders the headline figures of the cycles open now or closed lately.
 * One query each, whatever the number of units.
 */
@Injectable()
export class CycleDigestSource implements DigestCycleSource {
  constructor(
    private readonly repo: CyclesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async openRequests(
    m: EntityManager,
    unitIds: readonly string[] | null,
  ): Promise<Map<string, CycleRequestLine[]>> {
    const byUnit = new Map<string, CycleRequestLine[]>();
    for (const r of await this.repo.openCycleRequestsOfUnits(m, unitIds)) {
      const lines = byUnit.get(r.unitId) ?? [];
      lines.push({
        cycleTitle: r.returned ? `${r.cycleTitle}（报告被退回，请修改后重报）` : r.cycleTitle,
        itemNumber: r.itemNumber,
        itemTitle: r.itemTitle,
        dueDate: businessDateOf(r.dueAt, this.config.businessTz),
        url: `${this.config.publicUrl}/cycles/${r.cycleId}`,
      });
      byUnit.set(r.unitId, lines);
    }
    return byUnit;
  }

  async results(m: EntityManager, asOf: Date): Promise<CycleResultLine[]> {
    const rows = await this.repo.cycleSummaries(m, new Date(asOf.getTime() - RECENTLY_CLOSED_MS));
    return rows.map((c) => ({
      cycleTitle: `${c.title}（${c.status === 'open' ? '进行中' : '已结束'}）`,
      summary: `应报 ${c.requested}，已报 ${c.reported}（按时 ${c.onTime}），未报 ${c.requested - c.reported}`,
      url: `${this.config.publicUrl}/cycles/${c.cycleId}`,
    }));
  }
}
