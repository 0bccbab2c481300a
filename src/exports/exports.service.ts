import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { describeDeadline } from '../calendar/business-time.js';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import { STATUS_LABELS } from '../tasks/task-state.js';
import { ExportsRepository } from './exports.repository.js';
import { type CalendarEvent, renderCalendar } from './ics.js';
import { LEDGER_COLUMNS, ledgerCells, ROLE_LABELS } from './ledger.js';

/** The secret part of a feed address: 32 random bytes, base64url (43 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface LedgerFile {
  fileName: string;
  content: Buffer;
}

export interface CalendarFeedAddress {
  unitId: string;
  url: string;
  createdAt: string;
}

/** Exports: the progress ledger as .xlsx, and each unit's deadlines as a secret calendar feed. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ExportsRepository,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plan's ledger, one row per task; a unit's people get their own unit's rows only. */
  async ledger(actor: Actor, planId: string): Promise<LedgerFile> {
    this.authorizer.require(actor, 'plan.ledger.read');
    const m = this.tx.manager;
    const plan = await this.repo.plan(m, planId);
    if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    const rows = await this.repo.ledger(m, planId, visibleUnit(actor));
    const now = this.clock.now();
    const workbook = new ExcelJS.Workbook();
    workbook.creator = '督办系统';
    workbook.created = now;
    workbook.title = `${plan.title} 督办台账`;
    const sheet = workbook.addWorksheet('督办台账', {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    for (const cells of ledgerCells(rows, now, this.config.businessTz)) {
      const row = sheet.addRow(cells);
      row.alignment = { vertical: 'top', wrapText: true };
    }
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1, column: LEDGER_COLUMNS.length },
    };
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    return { fileName: `${plan.title}-督办台账.xlsx`, content };
  }

  /**
   * Creates the unit's secret calendar-feed address, or replaces it (the old one stops working at
   * once). Only the token's hash is stored; the address is shown this once.
   */
  async rotateFeed(actor: Actor, unitId: string): Promise<CalendarFeedAddress> {
    this.authorizer.require(actor, 'unit.calendar_feed', { unitId }, { type: 'unit', id: unitId });
    const token = randomBytes(32).toString('base64url');
    const createdAt = await this.tx.run(async (m) => {
      const unit = await this.repo.unit(m, unitId);
      if (!unit) throw new NotFoundError(`责任单位 ${unitId} 不存在`);
      const at = await this.repo.replaceFeed(m, unitId, hashToken(token), actor.userId);
      await this.audit.record(m, {
        actor,
        action: 'unit.calendar_feed.rotate',
        entityType: 'unit',
        entityId: unitId,
        after: { unit: unit.name },
      });
      return at;
    });
    return {
      unitId,
      url: `${this.config.publicUrl}/ics/units/${token}.ics`,
      createdAt: createdAt.toISOString(),
    };
  }

  /** The feed at `<token>.ics`, or null when no unit has that token. */
  async feed(file: string): Promise<string | null> {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
    if (!TOKEN_PATTERN.test(token)) return null;
    const m = this.tx.manager;
    const unit = await this.repo.unitOfFeed(m, hashToken(token));
    if (!unit) return null;
    const tz = this.config.businessTz;
    const deadlines = await this.repo.deadlines(m, unit.id);
    const events: CalendarEvent[] = deadlines.map((d) => {
      const url = `${this.config.publicUrl}/tasks/${d.taskId}`;
      const what = `第${d.itemNumber}条 ${d.itemTitle}`;
      const state =
        d.kind === 'milestone' && d.done ? '节点已完成' : `任务${STATUS_LABELS[d.status]}`;
      return {
        uid: `${d.kind}-${d.id}@duban`,
        date: d.dueDate,
        summary:
          d.kind === 'task'
            ? `【${ROLE_LABELS[d.role]}】${what} 截止`
            : `【节点】${d.milestoneTitle ?? ''}（${what}）`,
        description: [
          d.planTitle,
          what,
          ...(d.milestoneTitle ? [`节点：${d.milestoneTitle}`] : []),
          `截止时间：${describeDeadline(d.dueAt, tz)}`,
          `状态：${state}`,
          url,
        ].join('\n'),
        url,
        sequence: d.version,
      };
    });
    return renderCalendar({
      name: `${unit.name} 督办截止日期`,
      description: `${unit.name}牵头和配合任务的截止日期与节点（督办系统）`,
      tz,
      stamp: this.clock.now(),
      events,
    });
  }
}
