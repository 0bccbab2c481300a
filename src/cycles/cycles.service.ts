import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Authorizer } from '../auth/authorizer.service.js';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { businessDateOf, describeDeadline, zonedDateTimeToUtc } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { AfterCommit } from '../common/after-commit.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { OutboxService } from '../notifications/outbox.service.js';
import type { OutboxMessage } from '../notifications/outbox-message.js';
import { JobQueue } from '../queue/job-queue.service.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import { parseReminderPolicy, PolicyValidationError } from '../reminders/reminder-policy.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { attachmentsDir, type ReceivedAttachment } from '../submissions/attachment-upload.js';
import { excerpt } from '../submissions/submission-rules.js';
import { chineseDate, composeBulletin } from './bulletin.js';
import { renderBulletinDocx } from './bulletin-docx.js';
import { renderBulletinHtml } from './bulletin.js';
import { CycleDueSource } from './cycle-due.source.js';
import { cycleRequestContent, cycleReturnedContent } from './cycle-mail.js';
import { computeResults, type CycleResults } from './cycle-results.js';
import {
  type CadencePeriod,
  CLOSED_MESSAGE,
  type CycleScope,
  decisionRefusal,
  dueOf,
  MAX_DUE_WORKDAYS,
  parseRating,
  parseScope,
  type Rating,
  refusalFor,
  reportRefusal,
} from './cycle-rules.js';
import {
  type Cadence,
  type Cycle,
  type CycleReport,
  CyclesRepository,
  type NewCycle,
  type ScopeTask,
} from './cycles.repository.js';

export interface CycleInput {
  title?: string;
  scope?: unknown;
  /** Business date 'YYYY-MM-DD'; default today. On or before today: opened at once. */
  opensOn?: string;
  dueWorkdays: number;
  /** ISO-8601 offsets before (or at) the due date, e.g. ['-P2D', 'P0D']. */
  reminders?: string[];
}

export interface CycleView {
  id: string;
  planId: string;
  cadenceId: string | null;
  periodKey: string | null;
  title: string;
  scope: CycleScope;
  status: Cycle['status'];
  opensOn: string;
  dueWorkdays: number;
  dueOn: string;
  dueAt: string;
  reminders: string[];
  openedAt: string | null;
  closedAt: string | null;
  version: number;
  /** Tasks asked about and their units (once open). */
  requestedTasks: number;
  requestedUnits: number;
}

export interface CycleReportView {
  id: string;
  cycleId: string;
  taskId: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  number: number;
  body: string;
  status: CycleReport['status'];
  rating: Rating | null;
  ratingLabel: string | null;
  comment: string | null;
  submittedBy: { id: string; name: string };
  submittedAt: string;
  onTime: boolean;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  version: number;
  attachments: CycleReport['attachments'];
}

const RATING_TEXT: Record<Rating, string> = {
  good: '好',
  fair: '较好',
  average: '一般',
  poor: '差',
};
const TITLE_DEFAULT = '专项督导';

/** Cadence ticks and scheduled openings go through the reminders queue under these ids. */
export const cadenceSchedulerId = (cadenceId: string) => `cadence_${cadenceId}`;

/**
 * Supervision review cycles (督导): opening asks every in-scope task's unit for a report (one
 * message per unit, by mail and in the inbox); units report against the cycle; supervisors rate
 * (好/较好/一般/差) or return each report; closing locks the cycle. Every change takes the cycle's
 * row lock first, writes its audit entry and the messages it causes in one transaction.
 */
@Injectable()
export class CyclesService {
  private readonly logger = new Logger(CyclesService.name);

  constructor(
    private readonly tx: Transactor,
    private readonly repo: CyclesRepository,
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
    private readonly outbox: OutboxService,
    private readonly scheduler: ReminderScheduler,
    private readonly source: CycleDueSource,
    private readonly calendar: WorkingCalendar,
    private readonly queue: JobQueue,
    private readonly afterCommit: AfterCommit,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get tz(): string {
    return this.config.businessTz;
  }

  today(): string {
    return businessDateOf(this.clock.now(), this.tz);
  }

  // ---- validation shared with cadences

  parseScopeOrFail(input: unknown): CycleScope {
    const parsed = parseScope(input);
    if ('problem' in parsed) {
      throw new InvalidInputException(`scope：${parsed.problem}`, [
        { field: 'scope', message: parsed.problem },
      ]);
    }
    return parsed.scope;
  }

  parseRemindersOrFail(reminders: string[] | undefined): string[] {
    if (!reminders || reminders.length === 0) return [];
    try {
      return parseReminderPolicy({ offsets: reminders }).offsets.map((o) => o);
    } catch (error) {
      if (error instanceof PolicyValidationError) {
        const field = error.field.replace(/^offsets/, 'reminders');
        const message = error.message.replace(/^offsets/, 'reminders');
        throw new InvalidInputException(message, [{ field, message }]);
      }
      throw error;
    }
  }

  checkDueWorkdays(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > MAX_DUE_WORKDAYS) {
      const message = `须为 0–${MAX_DUE_WORKDAYS} 的整数（开启后的工作日数）`;
      throw new InvalidInputException(`dueWorkdays：${message}`, [
        { field: 'dueWorkdays', message },
      ]);
    }
  }

  async requirePlan(m: EntityManager, planId: string) {
    const plan = await this.repo.plan(m, planId);
    if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    return plan;
  }

  async checkScopeOfPlan(m: EntityManager, planId: string, scope: CycleScope): Promise<void> {
    const foreign = await this.repo.foreignScopeIds(m, planId, scope);
    if (foreign.length > 0) {
      const what = scope.kind === 'sections' ? '板块' : '条目';
      const message = `不属于该工作要点的${what}：${foreign.join('、')}`;
      throw new InvalidInputException(`scope：${message}`, [{ field: 'scope.ids', message }]);
    }
  }

  // ---- cycles

  /** Creates an ad hoc cycle; one opening today or earlier is opened at once. */
  async create(actor: Actor, planId: string, input: CycleInput): Promise<CycleView> {
    this.authorizer.require(actor, 'cycle.manage');
    const scope = this.parseScopeOrFail(input.scope);
    const reminders = this.parseRemindersOrFail(input.reminders);
    this.checkDueWorkdays(input.dueWorkdays);
    const today = this.today();
    const opensOn = input.opensOn ?? today;
    const title = input.title?.trim() || TITLE_DEFAULT;
    const result = await this.tx.run(async (m) => {
      await this.requirePlan(m, planId);
      await this.checkScopeOfPlan(m, planId, scope);
      const due = dueOf(opensOn, input.dueWorkdays, this.calendar, this.tz);
      const cycle: NewCycle = {
        planId,
        cadenceId: null,
        periodKey: null,
        title,
        scope,
        opensOn,
        dueWorkdays: input.dueWorkdays,
        ...due,
        reminderOffsets: reminders,
        createdBy: actor.userId,
      };
      const id = await this.repo.insertCycle(m, cycle, 'scheduled');
      await this.audit.record(m, {
        actor,
        action: 'cycle.create',
        entityType: 'review_cycle',
        entityId: id,
        after: { ...cycle, dueAt: due.dueAt.toISOString() },
      });
      const opened = opensOn <= today ? await this.openLocked(m, id, actor) : null;
      return { id, opened };
    });
    if (result.opened) this.afterOpen(result.opened);
    else this.queueOpening(result.id, opensOn);
    return this.view(result.id);
  }

  /** A scheduled cycle opens by itself on its opening date (09:00 business time). */
  private queueOpening(cycleId: string, opensOn: string): void {
    const runAt = zonedDateTimeToUtc(opensOn, '09:00', this.tz);
    this.afterCommit.run('queue cycle opening', () =>
      this.queue.addBulk([
        { name: 'cycle.open', jobId: `cycle_open_${cycleId}`, runAt, data: { cycleId } },
      ]),
    );
  }

  /** Opens a cycle now (a supervisor, or the opening job when `actor` is null). */
  async open(actor: Actor | null, cycleId: string): Promise<CycleView> {
    if (actor) this.authorizer.require(actor, 'cycle.manage');
    const opened = await this.tx.run((m) => this.openLocked(m, cycleId, actor));
    this.afterOpen(opened);
    return this.view(cycleId);
  }

  /** The opening job: opens the cycle if it is still scheduled and its day has come. */
  async openIfDue(cycleId: string): Promise<boolean> {
    const cycle = await this.repo.find(this.repo.manager, cycleId);
    if (!cycle || cycle.status !== 'scheduled' || cycle.opensOn > this.today()) return false;
    try {
      await this.open(null, cycleId);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false; // opened or closed meanwhile
      throw error;
    }
  }

  /**
   * Opens a cadence's period: the cycle is inserted only if the period has none (the unique index
   * decides between processes), and opened in the same transaction. Null when it existed.
   */
  async openPeriod(cadence: Cadence, period: CadencePeriod): Promise<string | null> {
    const opened = await this.tx.run(async (m) => {
      const due = dueOf(period.opensOn, cadence.dueWorkdays, this.calendar, this.tz);
      const id = await this.repo.insertPeriodCycle(m, {
        planId: cadence.planId,
        cadenceId: cadence.id,
        periodKey: period.key,
        title: `${period.label}${cadence.title}`,
        scope: cadence.scope,
        opensOn: period.opensOn,
        dueWorkdays: cadence.dueWorkdays,
        ...due,
        reminderOffsets: cadence.reminderOffsets,
        createdBy: null,
      });
      if (!id) return null;
      await this.audit.record(m, {
        actor: null,
        action: 'cycle.create',
        entityType: 'review_cycle',
        entityId: id,
        after: { cadenceId: cadence.id, periodKey: period.key, planId: cadence.planId },
      });
      return this.openLocked(m, id, null);
    });
    if (!opened) return null;
    this.afterOpen(opened);
    return opened.cycleId;
  }

  private async openLocked(
    m: EntityManager,
    cycleId: string,
    actor: Actor | null,
  ): Promise<{ cycleId: string; deliveryIds: string[]; scheduled: QueuedOccurrence[] }> {
    const cycle = await this.lockOrFail(m, cycleId);
    const refusal = refusalFor(cycle.status, 'open');
    if (refusal) throw new ConflictError(refusal, { currentStatus: cycle.status });
    const plan = await this.requirePlan(m, cycle.planId);
    const tasks = await this.repo.scopeTasks(m, cycle.planId, cycle.scope);
    const now = this.clock.now();
    await this.repo.insertRequests(m, cycle.id, tasks);
    await this.repo.markOpen(m, cycle.id, actor?.userId ?? null, now);
    const byUnit = groupByUnit(tasks);
    const messages: OutboxMessage[] = [...byUnit.values()].map((list) => ({
      kind: 'cycle.request',
      dedupeKey: `cycle.request:${cycle.id}:${list[0].unitId}`,
      taskId: null,
      audience: { unitId: list[0].unitId },
      content: cycleRequestContent({
        planTitle: plan.title,
        cycleTitle: cycle.title,
        unitName: list[0].unitName,
        due: describeDeadline(cycle.dueAt, this.tz),
        tasks: list,
        link: this.linkTo(cycle.id),
      }),
    }));
    const recorded = messages.length
      ? await this.outbox.record(m, messages)
      : { deliveryIds: [], recipients: 0 };
    await this.audit.record(m, {
      actor,
      action: 'cycle.open',
      entityType: 'review_cycle',
      entityId: cycle.id,
      before: { status: cycle.status },
      after: {
        status: 'open',
        tasks: tasks.length,
        units: byUnit.size,
        recipients: recorded.recipients,
        dueAt: cycle.dueAt.toISOString(),
      },
    });
    const scheduled = await this.scheduler.replan(m, 'cycle.due', [
      this.source.plan({ ...cycle, status: 'open' }, now),
    ]);
    return { cycleId: cycle.id, deliveryIds: recorded.deliveryIds, scheduled };
  }

  private afterOpen(opened: { deliveryIds: string[]; scheduled: QueuedOccurrence[] }): void {
    this.scheduler.queueSoon(opened.scheduled);
    this.outbox.dispatch(opened.deliveryIds);
  }

  /** Closes the cycle: from now on no report, rating, return or edit is accepted. */
  async close(actor: Actor, cycleId: string): Promise<CycleView> {
    this.authorizer.require(actor, 'cycle.manage');
    await this.tx.run(async (m) => {
      const cycle = await this.lockOrFail(m, cycleId);
      const refusal = refusalFor(cycle.status, 'close');
      if (refusal) throw new ConflictError(refusal, { currentStatus: cycle.status });
      const now = this.clock.now();
      await this.repo.markClosed(m, cycle.id, actor.userId, now);
      await this.scheduler.cancel(m, 'cycle.due', [cycle.id], '督导周期已结束');
      const results = computeResults(
        await this.repo.facts(m, cycle.id),
        { ...cycle, closed: true },
        now,
      );
      await this.audit.record(m, {
        actor,
        action: 'cycle.close',
        entityType: 'review_cycle',
        entityId: cycle.id,
        before: { status: cycle.status },
        after: { status: 'closed', totals: results.totals },
      });
    });
    return this.view(cycleId);
  }

  /** Changes the title or the reminders of a cycle that is not closed. */
  async update(
    actor: Actor,
    cycleId: string,
    input: { title?: string; reminders?: string[] },
  ): Promise<CycleView> {
    this.authorizer.require(actor, 'cycle.manage');
    const reminders =
      input.reminders === undefined ? undefined : this.parseRemindersOrFail(input.reminders);
    const scheduled = await this.tx.run(async (m) => {
      const cycle = await this.lockOrFail(m, cycleId);
      const refusal = refusalFor(cycle.status, 'edit');
      if (refusal) throw new ConflictError(refusal, { currentStatus: cycle.status });
      const change = {
        title: input.title?.trim() || cycle.title,
        reminderOffsets: reminders ?? cycle.reminderOffsets,
      };
      await this.repo.update(m, cycle.id, change);
      await this.audit.record(m, {
        actor,
        action: 'cycle.update',
        entityType: 'review_cycle',
        entityId: cycle.id,
        before: { title: cycle.title, reminders: cycle.reminderOffsets },
        after: { title: change.title, reminders: change.reminderOffsets },
      });
      return this.scheduler.replan(m, 'cycle.due', [
        this.source.plan({ ...cycle, ...change }, this.clock.now()),
      ]);
    });
    this.scheduler.queueSoon(scheduled);
    return this.view(cycleId);
  }

  async list(actor: Actor, planId: string): Promise<CycleView[]> {
    this.authorizer.require(actor, 'plan.read');
    await this.requirePlan(this.repo.manager, planId);
    const cycles = await this.repo.listOfPlan(this.repo.manager, planId);
    return Promise.all(cycles.map((c) => this.viewOf(c)));
  }

  async get(actor: Actor, cycleId: string): Promise<CycleView> {
    this.authorizer.require(actor, 'plan.read');
    return this.view(cycleId);
  }

  // ---- reports

  /** A unit reports on one of its tasks in the cycle (again, after a return). */
  async submitReport(
    actor: Actor,
    cycleId: string,
    input: { taskId: string; body: string },
    files: readonly ReceivedAttachment[],
  ): Promise<CycleReportView> {
    if (!/\S/.test(input.body ?? '')) {
      throw new InvalidInputException('报告内容不能为空', [{ field: 'body', message: '不能为空' }]);
    }
    const dir = attachmentsDir(this.config);
    const stored: string[] = [];
    let reportId: string;
    try {
      reportId = await this.tx.run(async (m) => {
        const cycle = await this.lockOrFail(m, cycleId);
        const refusal = refusalFor(cycle.status, 'report');
        if (refusal) throw new ConflictError(refusal, { currentStatus: cycle.status });
        const unitId = await this.repo.requestUnit(m, cycle.id, input.taskId);
        if (unitId === null) {
          throw new InvalidInputException('该任务不在本轮督导范围内', [
            { field: 'taskId', message: '不在本轮督导范围内' },
          ]);
        }
        this.authorizer.require(
          actor,
          'cycle.report',
          { unitId },
          { type: 'task', id: input.taskId },
        );
        const latest = await this.repo.latestOfTask(m, cycle.id, input.taskId);
        const refused = reportRefusal(latest);
        if (refused) throw new ConflictError(refused, { currentStatus: latest?.status });
        const now = this.clock.now();
        const number = (latest?.number ?? 0) + 1;
        const id = await this.repo.insertReport(m, {
          cycleId: cycle.id,
          taskId: input.taskId,
          number,
          body: input.body,
          by: actor.userId,
          at: now,
        });
        const placed: {
          attachment: CycleReport['attachments'][number];
          from: string;
          to: string;
        }[] = [];
        for (const f of files) {
          const attachment = {
            id: randomUUID(),
            fileName: f.fileName,
            contentType: f.contentType,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
          };
          const storageKey = randomUUID();
          await this.repo.addAttachment(m, {
            ...attachment,
            reportId: id,
            storageKey,
            createdAt: now,
          });
          placed.push({ attachment, from: f.tempPath, to: join(dir, storageKey) });
        }
        await this.audit.record(m, {
          actor,
          action: 'cycle.report',
          entityType: 'review_cycle_report',
          entityId: id,
          after: {
            cycleId: cycle.id,
            taskId: input.taskId,
            number,
            onTime: now.getTime() <= cycle.dueAt.getTime(),
            excerpt: excerpt(input.body, 200),
            bodySha256: createHash('sha256').update(input.body).digest('hex'),
            attachments: placed.map((p) => p.attachment),
          },
        });
        for (const p of placed) {
          await rename(p.from, p.to);
          stored.push(p.to);
        }
        return id;
      });
    } catch (error) {
      await Promise.all(stored.map((path) => rm(path, { force: true })));
      throw error;
    }
    return this.reportView(reportId);
  }

  /** Rates (好/较好/一般/差, with an optional comment) or returns (comment required) a report. */
  async decide(
    actor: Actor,
    reportId: string,
    decision: 'rate' | 'return',
    input: { rating?: string; comment?: string },
  ): Promise<CycleReportView> {
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    let rating: Rating | null = null;
    if (decision === 'rate') {
      rating = input.rating ? parseRating(input.rating) : null;
      if (!rating) {
        const message = '须为 好、较好、一般、差 之一（或 good、fair、average、poor）';
        throw new InvalidInputException(`rating：${message}`, [{ field: 'rating', message }]);
      }
    } else if (!comment) {
      throw new InvalidInputException('退回报告须填写意见', [
        { field: 'comment', message: '退回时必填' },
      ]);
    }
    const cycleId = await this.repo.cycleOfReport(this.repo.manager, reportId);
    if (!cycleId) throw new NotFoundError(`督导报告 ${reportId} 不存在`);
    const deliveryIds = await this.tx.run(async (m) => {
      const cycle = await this.lockOrFail(m, cycleId);
      this.authorizer.require(
        actor,
        'cycle.rate',
        {},
        { type: 'review_cycle_report', id: reportId },
      );
      const refusal = refusalFor(cycle.status, 'decide');
      if (refusal) throw new ConflictError(refusal, { currentStatus: cycle.status });
      const report = await this.repo.report(m, reportId);
      if (!report) throw new NotFoundError(`督导报告 ${reportId} 不存在`);
      const latest = await this.repo.latestOfTask(m, cycle.id, report.taskId);
      const refused = decisionRefusal(report, latest?.number ?? report.number, decision);
      if (refused) throw new ConflictError(refused, { currentStatus: report.status });
      const status = decision === 'rate' ? 'rated' : 'returned';
      await this.repo.decide(m, report.id, {
        status,
        rating,
        comment,
        by: actor.userId,
        at: this.clock.now(),
      });
      await this.audit.record(m, {
        actor,
        action: decision === 'rate' ? 'cycle.rate' : 'cycle.return',
        entityType: 'review_cycle_report',
        entityId: report.id,
        before: { status: report.status, rating: report.rating },
        after: { status, rating, comment, cycleId: cycle.id, taskId: report.taskId },
      });
      if (decision === 'rate') return [];
      const plan = await this.requirePlan(m, cycle.planId);
      const recorded = await this.outbox.record(m, [
        {
          kind: 'cycle.returned',
          dedupeKey: `cycle.returned:${report.id}`,
          taskId: report.taskId,
          audience: { unitId: report.unitId },
          content: cycleReturnedContent({
            planTitle: plan.title,
            cycleTitle: cycle.title,
            unitName: report.unitName,
            itemNumber: report.item.number,
            itemTitle: report.item.title,
            comment: comment!,
            decidedBy: actor.name,
            due: describeDeadline(cycle.dueAt, this.tz),
            link: this.linkTo(cycle.id),
          }),
        },
      ]);
      return recorded.deliveryIds;
    });
    this.outbox.dispatch(deliveryIds);
    return this.reportView(reportId);
  }

  /** A cycle's reports, newest version first per task; a unit's people see their unit's only. */
  async reports(actor: Actor, cycleId: string): Promise<CycleReportView[]> {
    this.authorizer.require(actor, 'cycle.read', { unitId: actor.unitId });
    const cycle = await this.repo.find(this.repo.manager, cycleId);
    if (!cycle) throw new NotFoundError(`督导周期 ${cycleId} 不存在`);
    const rows = await this.repo.reportsOfCycle(this.repo.manager, cycleId, visibleUnit(actor));
    return rows.map((r) => this.toReportView(r, cycle));
  }

  async openAttachment(
    actor: Actor,
    reportId: string,
    attachmentId: string,
  ): Promise<{ fileName: string; contentType: string; sizeBytes: number; stream: ReadStream }> {
    const row = await this.repo.storedAttachment(this.repo.manager, reportId, attachmentId);
    if (!row) throw new NotFoundError(`附件 ${attachmentId} 不存在`);
    this.authorizer.require(
      actor,
      'cycle.read',
      { unitId: row.unitId },
      { type: 'attachment', id: attachmentId },
    );
    const path = join(attachmentsDir(this.config), row.storageKey);
    try {
      const handle = await open(path, 'r');
      return { ...row, stream: handle.createReadStream() };
    } catch (error) {
      this.logger.error({ message: 'attachment file missing', attachmentId, error: String(error) });
      throw new NotFoundError(`附件 ${attachmentId} 的文件已不存在，请联系管理员`);
    }
  }

  // ---- results and bulletin

  /** Results of a cycle (no permission check: for other features, such as digests). */
  async resultsOf(cycleId: string): Promise<{ cycle: Cycle; results: CycleResults }> {
    const cycle = await this.repo.find(this.repo.manager, cycleId);
    if (!cycle) throw new NotFoundError(`督导周期 ${cycleId} 不存在`);
    const facts = await this.repo.facts(this.repo.manager, cycleId);
    const results = computeResults(
      facts,
      { dueAt: cycle.dueAt, closed: cycle.status === 'closed' },
      cycle.closedAt ?? this.clock.now(),
    );
    return { cycle, results };
  }

  async results(actor: Actor, cycleId: string) {
    this.authorizer.require(actor, 'cycle.results.read');
    const { cycle, results } = await this.resultsOf(cycleId);
    return {
      cycle: await this.viewOf(cycle),
      ...results,
    };
  }

  async bulletin(
    actor: Actor,
    cycleId: string,
    format: 'html' | 'docx',
  ): Promise<{ fileName: string; content: Buffer | string }> {
    this.authorizer.require(actor, 'cycle.results.read');
    const { cycle, results } = await this.resultsOf(cycleId);
    if (cycle.status === 'scheduled') {
      throw new ConflictError('督导周期尚未开启，没有可通报的结果', {
        currentStatus: cycle.status,
      });
    }
    const plan = await this.requirePlan(this.repo.manager, cycle.planId);
    const openedOn = cycle.openedAt ? businessDateOf(cycle.openedAt, this.tz) : cycle.opensOn;
    const bulletin = composeBulletin({
      planTitle: plan.title,
      planDocNumber: plan.docNumber,
      issuer: plan.issuer,
      year: Number(openedOn.slice(0, 4)),
      cycleTitle: cycle.title,
      openedOn: chineseDate(openedOn),
      dueOn: chineseDate(cycle.dueOn),
      today: chineseDate(cycle.closedAt ? businessDateOf(cycle.closedAt, this.tz) : this.today()),
      closed: cycle.status === 'closed',
      results,
    });
    const fileName = `${bulletin.title}.${format}`;
    return format === 'html'
      ? { fileName, content: renderBulletinHtml(bulletin) }
      : { fileName, content: await renderBulletinDocx(bulletin) };
  }

  // ---- views

  linkTo(cycleId: string): { label: string; url: string } {
    return { label: '在督办系统中报送', url: `${this.config.publicUrl}/cycles/${cycleId}` };
  }

  private async lockOrFail(m: EntityManager, cycleId: string): Promise<Cycle> {
    const cycle = await this.repo.lock(m, cycleId);
    if (!cycle) throw new NotFoundError(`督导周期 ${cycleId} 不存在`);
    return cycle;
  }

  private async view(cycleId: string): Promise<CycleView> {
    const cycle = await this.repo.find(this.repo.manager, cycleId);
    if (!cycle) throw new NotFoundError(`督导周期 ${cycleId} 不存在`);
    return this.viewOf(cycle);
  }

  private async viewOf(c: Cycle): Promise<CycleView> {
    const requested =
      c.status === 'scheduled' ? [] : await this.repo.requestedTasks(this.repo.manager, c.id);
    return {
      id: c.id,
      planId: c.planId,
      cadenceId: c.cadenceId,
      periodKey: c.periodKey,
      title: c.title,
      scope: c.scope,
      status: c.status,
      opensOn: c.opensOn,
      dueWorkdays: c.dueWorkdays,
      dueOn: c.dueOn,
      dueAt: c.dueAt.toISOString(),
      reminders: c.reminderOffsets,
      openedAt: c.openedAt?.toISOString() ?? null,
      closedAt: c.closedAt?.toISOString() ?? null,
      version: c.version,
      requestedTasks: requested.length,
      requestedUnits: new Set(requested.map((r) => r.unitId)).size,
    };
  }

  private async reportView(reportId: string): Promise<CycleReportView> {
    const report = await this.repo.report(this.repo.manager, reportId);
    if (!report) throw new NotFoundError(`督导报告 ${reportId} 不存在`);
    const cycle = await this.repo.find(this.repo.manager, report.cycleId);
    return this.toReportView(report, cycle!);
  }

  private toReportView(r: CycleReport, cycle: Cycle): CycleReportView {
    return {
      id: r.id,
      cycleId: r.cycleId,
      taskId: r.taskId,
      item: r.item,
      unit: { id: r.unitId, name: r.unitName },
      number: r.number,
      body: r.body,
      status: r.status,
      rating: r.rating,
      ratingLabel: r.rating ? RATING_TEXT[r.rating] : null,
      comment: r.comment,
      submittedBy: r.submittedBy,
      submittedAt: r.submittedAt.toISOString(),
      onTime: r.submittedAt.getTime() <= cycle.dueAt.getTime(),
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      version: r.version,
      attachments: r.attachments,
    };
  }
}

export { CLOSED_MESSAGE };

function groupByUnit(tasks: readonly ScopeTask[]): Map<string, ScopeTask[]> {
  const byUnit = new Map<string, ScopeTask[]>();
  for (const t of tasks) {
    let list = byUnit.get(t.unitId);
    if (!list) byUnit.set(t.unitId, (list = []));
    list.push(t);
  }
  return byUnit;
}
