import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { Clock } from '../common/clock.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import { renderMail } from '../notifications/mail-layout.js';
import type { MailContent } from '../notifications/mail-layout.js';
import type { Audience, OutboxMessage } from '../notifications/outbox-message.js';
import { OutboxService } from '../notifications/outbox.service.js';
import {
  composeLeaderDigest,
  composeUnitDigest,
  type CycleRequestLine,
  type CycleResultLine,
  digestDedupeKey,
  digestRecipient,
  type DigestTask,
  DUE_SOON_DAYS,
  type LeaderPlan,
  type ProgressCounts,
} from './digest-content.js';
import {
  type DigestSlot,
  type DigestTiming,
  digestSlot,
  dueWeeks,
  formatWeek,
  type IsoWeek,
  parseCron,
  parseWeek,
  weekAt,
} from './digest-schedule.js';
import { DigestsRepository } from './digests.repository.js';

/**
 * Where digests learn about review cycles (督导周期): open report requests per unit and cycle
 * results for the leaders. Optional — until review cycles provide one, those parts stay empty.
 */
export const DIGEST_CYCLE_SOURCE = Symbol('DIGEST_CYCLE_SOURCE');
export interface DigestCycleSource {
  /** Open review-cycle requests by unit id (all units when `unitIds` is null), as of `asOf`. */
  openRequests(
    m: EntityManager,
    unitIds: readonly string[] | null,
    asOf: Date,
  ): Promise<Map<string, CycleRequestLine[]>>;
  results(m: EntityManager, asOf: Date): Promise<CycleResultLine[]>;
}

export type DigestKind = 'digest.unit' | 'digest.leaders';

/** One digest, composed and ready to send. */
export interface BuiltDigest {
  recipient: string;
  kind: DigestKind;
  audience: Audience;
  empty: boolean;
  content: MailContent;
}

export interface WeekRunResult {
  week: string;
  /** Digests composed (units and leaders). */
  built: number;
  /** Digests written to the outbox by this run. */
  sent: number;
  /** Already sent earlier this week (by any process). */
  alreadySent: number;
  /** Left out for having nothing in them. */
  empty: number;
}

export interface DigestPreview {
  week: string;
  asOf: string;
  recipient: string;
  empty: boolean;
  /** Whether the weekly run would send it (empty digests only with DIGEST_SEND_EMPTY). */
  wouldSend: boolean;
  /** Already sent this week. */
  alreadySent: boolean;
  subject: string;
  text: string;
  html: string;
}

const DAY_MS = 86_400_000;
/** Digests written per transaction. */
const CHUNK = 200;

function zeroCounts(): ProgressCounts {
  return { total: 0, closed: 0, overdue: 0, dueSoon: 0, returned: 0, yellow: 0, red: 0 };
}
function addCounts(into: ProgressCounts, from: ProgressCounts): void {
  for (const k of Object.keys(into) as (keyof ProgressCounts)[]) into[k] += from[k];
}

/**
 * The weekly digests (周报摘要): composed for every unit and for the leaders from a fixed number
 * of queries over all units, sent as outbox messages at most once per recipient and ISO week
 * (a row in digest_runs claimed in the transaction that writes the messages), and previewed
 * without sending.
 */
@Injectable()
export class DigestsService {
  private readonly logger = new Logger(DigestsService.name);
  readonly timing: DigestTiming;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tx: Transactor,
    private readonly repo: DigestsRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(DIGEST_CYCLE_SOURCE) private readonly cycles: DigestCycleSource | null,
  ) {
    this.timing = {
      cron: parseCron(config.digest.cron),
      tz: config.businessTz,
      isWorkday: (d) => calendar.isWorkday(d),
      nextOrSameWorkday: (d) => calendar.nextOrSameWorkday(d),
    };
  }

  /** When a week's digest goes out (null: the cron names no day of that week). */
  slotOf(week: IsoWeek): DigestSlot | null {
    return digestSlot(week, this.timing);
  }

  /**
   * Composes digests as of `asOf`: every unit's and the leaders' (or only `only`'s). A fixed
   * number of queries whatever the number of units and tasks.
   */
  async build(
    week: IsoWeek,
    asOf: Date,
    only?: { unitId: string } | 'leaders',
    m: EntityManager = this.tx.manager,
  ): Promise<BuiltDigest[]> {
    const soonUntil = new Date(asOf.getTime() + DUE_SOON_DAYS * DAY_MS);
    const unitId = only && only !== 'leaders' ? only.unitId : undefined;
    const wantUnits = only === undefined || unitId !== undefined;
    const wantLeaders = only === undefined || only === 'leaders';
    const units = await this.repo.units(m, unitId);
    const tasks = await this.repo.tasks(m, soonUntil, unitId);
    const out: BuiltDigest[] = [];
    const base = {
      week,
      asOf,
      tz: this.config.businessTz,
      publicUrl: this.config.publicUrl,
    };
    if (wantUnits) {
      const extensions = await this.repo.pendingExtensions(m, unitId);
      const requests = this.cycles
        ? await this.cycles.openRequests(m, unitId ? [unitId] : null, asOf)
        : new Map<string, CycleRequestLine[]>();
      const tasksOf = groupBy(tasks, (t) => t.unitId);
      const extensionsOf = groupBy(extensions, (e) => e.task.unitId);
      for (const unit of units) {
        const digest = composeUnitDigest({
          ...base,
          unit,
          tasks: tasksOf.get(unit.id) ?? [],
          extensions: extensionsOf.get(unit.id) ?? [],
          cycleRequests: requests.get(unit.id) ?? [],
        });
        out.push({
          recipient: digestRecipient({ unitId: unit.id }),
          kind: 'digest.unit',
          audience: { unitId: unit.id, webhooks: false },
          empty: digest.empty,
          content: digest.content,
        });
      }
    }
    if (wantLeaders) {
      const unitNames = new Map(
        (unitId ? await this.repo.units(m) : units).map((u) => [u.id, u.name]),
      );
      const plans = await this.leaderPlans(m, asOf, soonUntil, tasks, unitNames);
      const results = this.cycles ? await this.cycles.results(m, asOf) : [];
      const digest = composeLeaderDigest({ ...base, plans, cycleResults: results });
      out.push({
        recipient: digestRecipient('leaders'),
        kind: 'digest.leaders',
        audience: { roles: ['leader'] },
        empty: digest.empty,
        content: digest.content,
      });
    }
    return out;
  }

  private async leaderPlans(
    m: EntityManager,
    asOf: Date,
    soonUntil: Date,
    tasks: readonly DigestTask[],
    unitNames: ReadonlyMap<string, string>,
  ): Promise<LeaderPlan[]> {
    const rows = await this.repo.counts(m, asOf, soonUntil);
    const outlines = await this.repo.outlines(m, [...new Set(rows.map((r) => r.planId))]);
    const overdueOf = groupBy(
      tasks.filter((t) => t.dueAt.getTime() < asOf.getTime()),
      (t) => t.planId,
    );
    const rowsOf = groupBy(rows, (r) => r.planId);
    return outlines.map((plan) => {
      const totals = zeroCounts();
      const bySection = new Map<string, ProgressCounts>();
      const byUnit = new Map<string, ProgressCounts>();
      for (const r of rowsOf.get(plan.id) ?? []) {
        addCounts(totals, r.counts);
        for (const [map, key] of [
          [bySection, r.sectionId],
          [byUnit, r.unitId],
        ] as const) {
          let c = map.get(key);
          if (!c) map.set(key, (c = zeroCounts()));
          addCounts(c, r.counts);
        }
      }
      return {
        id: plan.id,
        title: plan.title,
        docNumber: plan.docNumber,
        totals,
        sections: plan.sections.map((s) => ({
          ordinal: s.ordinal,
          title: s.title,
          counts: bySection.get(s.id) ?? zeroCounts(),
        })),
        units: [...byUnit].map(([id, counts]) => ({
          id,
          name: unitNames.get(id) ?? id,
          counts,
        })),
        overdue: [...(overdueOf.get(plan.id) ?? [])].sort(
          (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.itemNumber - b.itemNumber,
        ),
      };
    });
  }

  /**
   * Sends a week's digests as of `asOf`: each recipient's at most once per ISO week, however
   * many runs (processes, restarts) attempt it. Empty digests only with DIGEST_SEND_EMPTY.
   */
  async sendWeek(week: IsoWeek, asOf: Date): Promise<WeekRunResult> {
    const label = formatWeek(week);
    const built = await this.build(week, asOf);
    const wanted = built.filter((d) => !d.empty || this.config.digest.sendEmpty);
    let sent = 0;
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const deliveryIds = await this.db.transaction(async (m) => {
        const claimed = await this.repo.claim(m, label, chunk);
        const messages: OutboxMessage[] = chunk
          .filter((d) => claimed.has(d.recipient))
          .map((d) => ({
            kind: d.kind,
            dedupeKey: digestDedupeKey(d.recipient, week),
            taskId: null,
            audience: d.audience,
            content: d.content,
            scheduledFor: asOf,
          }));
        sent += messages.length;
        if (messages.length === 0) return [];
        return (await this.outbox.record(m, messages)).deliveryIds;
      });
      this.outbox.dispatch(deliveryIds);
    }
    const result = {
      week: label,
      built: built.length,
      sent,
      alreadySent: wanted.length - sent,
      empty: built.length - wanted.length,
    };
    this.logger.log({ message: 'weekly digests', ...result });
    return result;
  }

  /**
   * The weekly run: sends the digests of every week whose time has come and that no run has
   * finished yet. One process at a time (an advisory lock; the others skip the turn).
   */
  async runDue(): Promise<WeekRunResult[]> {
    const done = await this.repo.withRunLock(this.db, async () => {
      const now = this.clock.now();
      const results: WeekRunResult[] = [];
      for (const slot of dueWeeks(now, this.timing)) {
        const label = formatWeek(slot.week);
        if (await this.repo.weekDone(this.tx.manager, label)) continue;
        const result = await this.sendWeek(slot.week, now);
        await this.repo.markWeekDone(this.tx.manager, label, {
          sent: result.sent,
          empty: result.empty,
          slotAt: slot.at,
        });
        results.push(result);
      }
      return results;
    });
    return done ?? [];
  }

  /** The week named in a request (`2026-W41`), or the current one. */
  weekOf(text: string | undefined): IsoWeek {
    if (text === undefined || text === '') return weekAt(this.clock.now(), this.config.businessTz);
    const week = parseWeek(text);
    if (!week) {
      throw new InvalidInputException('week 须为 ISO 周，例如 2026-W41', [
        { field: 'week', message: `“${text}”不是有效的 ISO 周（YYYY-Www）` },
      ]);
    }
    return week;
  }

  /**
   * Renders one digest without sending it: as of the week's digest time, or now for the current
   * week once that time has passed.
   */
  async preview(week: IsoWeek, target: { unitId: string } | 'leaders'): Promise<DigestPreview> {
    const now = this.clock.now();
    const slot = this.slotOf(week);
    const current = weekAt(now, this.config.businessTz);
    const isCurrent = current.year === week.year && current.week === week.week;
    const asOf = slot && !(isCurrent && slot.at.getTime() < now.getTime()) ? slot.at : now;
    const [digest] = await this.build(week, asOf, target);
    if (!digest) throw new NotFoundError('单位不存在');
    const mail = renderMail(digest.content);
    return {
      week: formatWeek(week),
      asOf: asOf.toISOString(),
      recipient: digest.recipient,
      empty: digest.empty,
      wouldSend: !digest.empty || this.config.digest.sendEmpty,
      alreadySent: await this.repo.wasSent(this.tx.manager, digest.recipient, formatWeek(week)),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    };
  }
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = out.get(k);
    if (l) l.push(t);
    else out.set(k, [t]);
  }
  return out;
}
