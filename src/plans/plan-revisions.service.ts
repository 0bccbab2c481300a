import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { businessDateOf, endOfBusinessDay } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { Clock } from '../common/clock.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { EscalationSource } from '../escalations/escalation.source.js';
import { OutboxService } from '../notifications/outbox.service.js';
import type { OutboxMessage } from '../notifications/outbox-message.js';
import type { ParsedPlan, ParseWarning } from '../plan-document/index.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { checkDeadlineInRange } from '../tasks/deadline-range.js';
import { TaskDeadlineSource } from '../tasks/task-deadline.source.js';
import { isOpen, type TaskStatus } from '../tasks/task-state.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { TasksService } from '../tasks/tasks.service.js';
import {
  diffPlans,
  hasChanges,
  impactByUnit,
  type PlanDiff,
  type UnitImpact,
  type VersionDocument,
  type VersionItem,
} from './plan-diff.js';
import { planContentHash, planImport, statedDeadline } from './plan-import.js';
import { revisionMailContent, summaryText } from './plan-revision-mail.js';
import {
  type PlanRow,
  PlanRevisionsRepository,
  type PlanTaskRow,
  type StoredVersion,
  type VersionRow,
} from './plan-revisions.repository.js';
import { type ImportPreview, type ImportResult, PlansService } from './plans.service.js';

/** What applying a revision does to the tasks, decided once for the dry run and the apply. */
export interface TaskActions {
  /** New (item, unit) tasks; `item` is the index of the item in the new document. */
  create: { item: number; unit: string; role: 'lead' | 'co'; dueDate: string }[];
  /** Tasks cancelled by an earlier revision whose unit the document names again. */
  reopen: { taskId: string; item: number; unit: string; role: 'lead' | 'co'; dueDate: string }[];
  cancel: { taskId: string; unit: string; itemNumber: number; reason: string }[];
  reschedule: { taskId: string; unit: string; itemNumber: number; from: string; to: string }[];
  roles: { taskId: string; unit: string; role: 'lead' | 'co' }[];
  /** Open tasks whose deadline had been changed on their own (an extension): they keep it. */
  keptDeadlines: { taskId: string; unit: string; itemNumber: number; dueDate: string }[];
}

/** The dry run of a revision: the diff against the current version, nothing written. */
export interface RevisionPreview {
  dryRun: true;
  planId: string;
  /** revision: the document changes the plan; unchanged: it is the current version already. */
  status: 'revision' | 'unchanged';
  message: string;
  baseVersion: number;
  nextVersion: number;
  docNumber: string | null;
  /** More than half of the items (or all) would be removed: apply only with confirmRemoval=true. */
  requiresConfirmation: boolean;
  diff: PlanDiff;
  units: UnitImpact[];
  tasks: {
    create: number;
    reopen: number;
    cancel: number;
    reschedule: number;
    roles: number;
    keptDeadlines: number;
  };
  warnings: ParseWarning[];
}

export interface RevisionResult {
  planId: string;
  /** false when the document is the plan's current version: nothing was changed. */
  applied: boolean;
  version: number;
  message: string;
  summary: PlanDiff['summary'];
  tasks: { created: number; reopened: number; cancelled: number; rescheduled: number };
  /** Units told about the revision (one message each). */
  notifiedUnits: string[];
  warnings: ParseWarning[];
}

export interface RevisionOptions {
  confirmRemoval?: boolean;
  /** The version the caller's dry run was based on: a different current version is a 409. */
  baseVersion?: number;
}

export type ImportPreviewWithRevision = ImportPreview & { revision: RevisionPreview | null };

export interface VersionView {
  version: number;
  current: boolean;
  sourceName: string;
  sourceHash: string;
  createdBy: { id: string | null; name: string };
  createdAt: string;
  /** What the version changed from the one before; null for the first. */
  summary: PlanDiff['summary'] | null;
}

interface Computed {
  plan: PlanRow;
  hash: string;
  base: StoredVersion;
  baseStored: boolean;
  newDoc: VersionDocument;
  diff: PlanDiff;
  impact: UnitImpact[];
  actions: TaskActions;
  newUnits: string[];
  warnings: ParseWarning[];
}

const REMOVAL_REFUSAL = (removed: number, total: number) =>
  `本次修订将删除原有 ${total} 项要点中的 ${removed} 项（超过一半${removed === total ? '，即全部' : ''}），为防止误操作已拒绝；如确属修订，请确认后加 confirmRemoval=true（命令行 --confirm-removal）重新提交`;

/**
 * Revised plans (调整): a different document under a plan's 文号, or one given as a revision of a
 * plan, is compared with the plan's current version (see plan-diff.ts for how items are matched)
 * and, on confirmation, applied in one transaction: items added, reworded, renumbered and removed;
 * new tasks created, withdrawn ones cancelled with the revision as the reason (their reports and
 * history stay), moved deadlines rescheduled through the reminder pipeline; every change audited,
 * each affected unit told once, and the version kept.
 */
@Injectable()
export class PlanRevisionsService {
  private readonly logger = new Logger(PlanRevisionsService.name);

  constructor(
    private readonly tx: Transactor,
    private readonly repo: PlanRevisionsRepository,
    private readonly plans: PlansService,
    private readonly tasks: TasksService,
    private readonly taskRepo: TasksRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly taskDeadlines: TaskDeadlineSource,
    private readonly escalations: EscalationSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The import dry run, and when the document is a different one under an existing 文号, the
   * revision it would make of that plan.
   */
  async previewImport(fileName: string, content: Buffer): Promise<ImportPreviewWithRevision> {
    const preview = await this.plans.preview(fileName, content);
    if (preview.status !== 'conflict' || !preview.existingPlanId) {
      return { ...preview, revision: null };
    }
    const parsed = await this.plans.parse(fileName, content);
    let revision: RevisionPreview;
    try {
      revision = await this.previewParsed(preview.existingPlanId, parsed);
    } catch (error) {
      // The parse is still worth showing when the document cannot revise that plan.
      if (error instanceof HttpException && error.getStatus() < 500) {
        const reason = (error.getResponse() as { message?: string }).message ?? error.message;
        return { ...preview, message: `${preview.message}；${reason}`, revision: null };
      }
      throw error;
    }
    return {
      ...preview,
      message: `${preview.message}；按修订导入将：${revision.message}`,
      revision,
    };
  }

  async preview(planId: string, fileName: string, content: Buffer): Promise<RevisionPreview> {
    return this.previewParsed(planId, await this.plans.parse(fileName, content));
  }

  private async previewParsed(planId: string, parsed: ParsedPlan): Promise<RevisionPreview> {
    return this.tx.run(async (m) => {
      const plan = await this.repo.plan(m, planId);
      if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
      const c = await this.compute(m, plan, parsed);
      const unchanged = c.hash === plan.sourceHash || !hasChanges(c.diff);
      const s = c.diff.summary;
      return {
        dryRun: true,
        planId,
        status: unchanged ? 'unchanged' : 'revision',
        message: unchanged
          ? `该文档与《${plan.title}》第${c.base.version}版内容相同，确认不会做任何更改`
          : `《${plan.title}》将修订为第${c.base.version + 1}版：${summaryText(s)}；新建任务 ${c.actions.create.length + c.actions.reopen.length} 项、撤销 ${c.actions.cancel.length} 项、调整截止日期 ${c.actions.reschedule.length} 项，通知 ${c.impact.length} 个责任单位${c.diff.requiresConfirmation ? `。${REMOVAL_REFUSAL(s.removed, c.base.document.items.length)}` : ''}`,
        baseVersion: c.base.version,
        nextVersion: unchanged ? c.base.version : c.base.version + 1,
        docNumber: c.newDoc.plan.docNumber,
        requiresConfirmation: c.diff.requiresConfirmation,
        diff: c.diff,
        units: c.impact,
        tasks: {
          create: c.actions.create.length,
          reopen: c.actions.reopen.length,
          cancel: c.actions.cancel.length,
          reschedule: c.actions.reschedule.length,
          roles: c.actions.roles.length,
          keptDeadlines: c.actions.keptDeadlines.length,
        },
        warnings: c.warnings,
      };
    });
  }

  /**
   * `POST /plans/import?revise=true`: a different document under an existing 文号 revises that
   * plan; any other document is imported as usual.
   */
  async importOrRevise(
    fileName: string,
    content: Buffer,
    actor: Actor | null,
    options: RevisionOptions = {},
  ): Promise<ImportResult | RevisionResult> {
    const parsed = await this.plans.parse(fileName, content);
    const hash = planContentHash(parsed);
    const docNumber = parsed.plan.docNumber;
    const existing = docNumber ? await this.repo.planByDocNumber(this.tx.manager, docNumber) : null;
    const same = await this.repo.planByHash(this.tx.manager, hash);
    if (!existing || same) return this.plans.importParsed(fileName, parsed, actor);
    return this.reviseParsed(existing.id, fileName, parsed, actor, options);
  }

  async revise(
    planId: string,
    fileName: string,
    content: Buffer,
    actor: Actor | null,
    options: RevisionOptions = {},
  ): Promise<RevisionResult> {
    return this.reviseParsed(
      planId,
      fileName,
      await this.plans.parse(fileName, content),
      actor,
      options,
    );
  }

  private async reviseParsed(
    planId: string,
    sourceName: string,
    parsed: ParsedPlan,
    actor: Actor | null,
    options: RevisionOptions,
  ): Promise<RevisionResult> {
    const now = this.clock.now();
    const outcome = await this.tx.run(async (m) => {
      // Revisions and imports take turns, and the plan row is locked: two revisions at once
      // apply one after the other, the second compared with what the first made.
      await this.repo.lockImports(m);
      const plan = await this.repo.plan(m, planId, true);
      if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
      const c = await this.compute(m, plan, parsed);
      if (options.baseVersion !== undefined && options.baseVersion !== c.base.version) {
        throw new ConflictError(
          `《${plan.title}》已有第${c.base.version}版（预览基于第${options.baseVersion}版），请重新预览后再确认`,
          { currentVersion: c.base.version },
        );
      }
      if (c.hash === plan.sourceHash || !hasChanges(c.diff)) {
        return { applied: false as const, plan, c };
      }
      if (c.diff.requiresConfirmation && !options.confirmRemoval) {
        throw new InvalidInputException(
          REMOVAL_REFUSAL(c.diff.summary.removed, c.base.document.items.length),
          [{ field: 'confirmRemoval', message: '删除超过一半的要点须明确确认' }],
        );
      }
      return {
        applied: true as const,
        plan,
        c,
        ...(await this.apply(m, c, sourceName, actor, now)),
      };
    });
    const { plan, c } = outcome;
    if (!outcome.applied) {
      return {
        planId,
        applied: false,
        version: c.base.version,
        message: `该文档与《${plan.title}》第${c.base.version}版内容相同，未做任何更改`,
        summary: c.diff.summary,
        tasks: { created: 0, reopened: 0, cancelled: 0, rescheduled: 0 },
        notifiedUnits: [],
        warnings: c.warnings,
      };
    }
    this.scheduler.queueSoon(outcome.scheduled);
    this.outbox.dispatch(outcome.deliveryIds);
    const version = c.base.version + 1;
    this.logger.log({ message: 'plan revised', planId, version, ...c.diff.summary });
    return {
      planId,
      applied: true,
      version,
      message: `已将《${c.newDoc.plan.title}》修订为第${version}版：${summaryText(c.diff.summary)}；新建任务 ${outcome.counts.created + outcome.counts.reopened} 项、撤销 ${outcome.counts.cancelled} 项、调整截止日期 ${outcome.counts.rescheduled} 项，已通知 ${outcome.notified.length} 个责任单位`,
      summary: c.diff.summary,
      tasks: outcome.counts,
      notifiedUnits: outcome.notified,
      warnings: c.warnings,
    };
  }

  /** The plan's versions, newest first. A plan never revised has its import as version 1. */
  async versions(planId: string): Promise<VersionView[]> {
    const m = this.tx.manager;
    const plan = await this.repo.plan(m, planId);
    if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    let rows: VersionRow[] = await this.repo.versions(m, planId);
    if (rows.length === 0) {
      rows = [
        {
          version: 1,
          sourceName: plan.sourceName,
          sourceHash: plan.sourceHash,
          createdBy: await this.repo.importedBy(m, planId),
          createdAt: plan.importedAt,
          summary: null,
        },
      ];
    }
    const latest = rows[0].version;
    return rows.map((r) => ({
      version: r.version,
      current: r.version === latest,
      sourceName: r.sourceName,
      sourceHash: r.sourceHash,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      summary: r.summary,
    }));
  }

  /** One version with its document and what it changed. */
  async version(planId: string, version: number): Promise<StoredVersion> {
    const m = this.tx.manager;
    const plan = await this.repo.plan(m, planId);
    if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    const stored = await this.repo.version(m, planId, version);
    if (stored) return stored;
    if (version === 1 && !(await this.repo.latestVersion(m, planId))) {
      return this.snapshot(m, plan);
    }
    throw new NotFoundError(`《${plan.title}》没有第${version}版`);
  }

  /** The plan as it stands, as version 1: what its import made (before any revision). */
  private async snapshot(m: EntityManager, plan: PlanRow): Promise<StoredVersion> {
    // One statement at a time: `m` may be a transaction's single connection.
    const sections = await this.repo.sections(m, plan.id);
    const items = await this.repo.liveItems(m, plan.id);
    const by = await this.repo.importedBy(m, plan.id);
    const ordinalOf = new Map(sections.map((s) => [s.ordinal, s]));
    return {
      version: 1,
      sourceName: plan.sourceName,
      sourceHash: plan.sourceHash,
      createdBy: by,
      createdAt: plan.importedAt,
      summary: null,
      diff: null,
      document: {
        plan: {
          title: plan.title,
          docNumber: plan.docNumber,
          issuer: plan.issuer,
          issuedOn: plan.issuedOn,
          year: plan.year,
        },
        sections: [...ordinalOf.values()],
        items: items.map((i): VersionItem => ({
          itemId: i.id,
          section: i.section,
          number: i.number,
          title: i.title,
          body: i.body,
          allUnits: i.allUnits,
          deadlineHints: i.deadlineHints,
          dueDate: this.documentDeadline(i.deadlineHints, plan.year),
          assignments: i.tasks,
        })),
      },
    };
  }

  /** The deadline the import gave an item (as `planImport` decides it). */
  private documentDeadline(hints: VersionItem['deadlineHints'], year: number): string {
    const fallback = this.calendar.lastWorkdayOfYear(year);
    const stated =
      statedDeadline({
        number: 0,
        title: '',
        body: '',
        units: [],
        allUnits: false,
        deadlineHints: hints,
      }) ?? fallback;
    const today = businessDateOf(this.clock.now(), this.config.businessTz);
    return checkDeadlineInRange(stated, year, today) ? fallback : stated;
  }

  private async compute(m: EntityManager, plan: PlanRow, parsed: ParsedPlan): Promise<Computed> {
    if (parsed.plan.year !== null && parsed.plan.year !== plan.year) {
      throw new InvalidInputException(
        `修订稿的年份（${parsed.plan.year}）与《${plan.title}》（${plan.year} 年）不一致，不能作为其修订稿导入`,
      );
    }
    const docNumber = parsed.plan.docNumber ?? plan.docNumber;
    if (docNumber && docNumber !== plan.docNumber) {
      const other = await this.repo.planByDocNumber(m, docNumber);
      if (other && other.id !== plan.id) {
        throw new ConflictError(
          `文号 ${docNumber} 已属于另一份工作要点《${other.title}》，不能作为《${plan.title}》的修订稿导入`,
          { planId: other.id },
        );
      }
    }
    const hash = planContentHash(parsed);
    const stored = await this.repo.latestVersion(m, plan.id);
    const base = stored ?? (await this.snapshot(m, plan));
    const known = await this.repo.unitNames(m);
    const today = businessDateOf(this.clock.now(), this.config.businessTz);
    const toImport = planImport(
      parsed,
      known,
      plan.year,
      this.calendar.lastWorkdayOfYear(plan.year),
      today,
    );
    const newDoc: VersionDocument = {
      plan: {
        title: parsed.plan.title ?? plan.title,
        docNumber,
        issuer: parsed.plan.issuer ?? plan.issuer,
        issuedOn: parsed.plan.issuedOn ?? plan.issuedOn,
        year: plan.year,
      },
      sections: toImport.sections.map((s) => ({ ordinal: s.ordinal, title: s.title })),
      items: toImport.sections.flatMap((s) =>
        s.items.map((i): VersionItem => ({
          itemId: null,
          section: s.ordinal,
          number: i.number,
          title: i.title,
          body: i.body,
          allUnits: i.allUnits,
          deadlineHints: i.deadlineHints,
          dueDate: i.dueDate,
          assignments: i.assignments,
        })),
      ),
    };
    const diff = diffPlans(base.document, newDoc);
    const tasks = await this.repo.tasksOfPlan(m, plan.id);
    return {
      plan,
      hash,
      base,
      baseStored: stored !== null,
      newDoc,
      diff,
      impact: impactByUnit(diff, newDoc),
      actions: this.taskActions(base.document, newDoc, diff, tasks),
      newUnits: toImport.newUnits,
      warnings: toImport.warnings,
    };
  }

  /** What the diff means for the plan's tasks as they stand. */
  private taskActions(
    oldDoc: VersionDocument,
    newDoc: VersionDocument,
    diff: PlanDiff,
    tasks: readonly PlanTaskRow[],
  ): TaskActions {
    const actions: TaskActions = {
      create: [],
      reopen: [],
      cancel: [],
      reschedule: [],
      roles: [],
      keptDeadlines: [],
    };
    const taskOf = new Map(tasks.map((t) => [`${t.itemId}|${t.unit}`, t]));
    const tasksOfItem = (itemId: string | null) => tasks.filter((t) => t.itemId === itemId);
    const matchedNew = new Map(diff.matches.map((p) => [p.new, p.old]));
    newDoc.items.forEach((item, n) => {
      const o = matchedNew.get(n);
      if (o === undefined) {
        for (const a of item.assignments) {
          actions.create.push({ item: n, unit: a.unit, role: a.role, dueDate: item.dueDate });
        }
        return;
      }
      const before = oldDoc.items[o];
      const itemId = before.itemId;
      const oldUnits = new Set(before.assignments.map((a) => a.unit));
      for (const a of item.assignments) {
        const task = taskOf.get(`${itemId}|${a.unit}`);
        if (!oldUnits.has(a.unit)) {
          if (!task) {
            actions.create.push({ item: n, unit: a.unit, role: a.role, dueDate: item.dueDate });
          } else if (task.status === 'cancelled') {
            actions.reopen.push({
              taskId: task.id,
              item: n,
              unit: a.unit,
              role: a.role,
              dueDate: item.dueDate,
            });
          }
          continue;
        }
        if (!task) continue;
        if (task.role !== a.role)
          actions.roles.push({ taskId: task.id, unit: a.unit, role: a.role });
        if (before.dueDate !== item.dueDate && isOpen(task.status)) {
          if (task.dueDate === before.dueDate) {
            actions.reschedule.push({
              taskId: task.id,
              unit: a.unit,
              itemNumber: item.number,
              from: before.dueDate,
              to: item.dueDate,
            });
          } else {
            actions.keptDeadlines.push({
              taskId: task.id,
              unit: a.unit,
              itemNumber: item.number,
              dueDate: task.dueDate,
            });
          }
        }
      }
      const newUnits = new Set(item.assignments.map((a) => a.unit));
      for (const task of tasksOfItem(itemId)) {
        if (oldUnits.has(task.unit) && !newUnits.has(task.unit) && isOpen(task.status)) {
          actions.cancel.push({
            taskId: task.id,
            unit: task.unit,
            itemNumber: before.number,
            reason: `第${before.number}项不再由${task.unit}承担`,
          });
        }
      }
    });
    for (const removed of diff.removed) {
      for (const task of tasksOfItem(removed.itemId)) {
        if (isOpen(task.status)) {
          actions.cancel.push({
            taskId: task.id,
            unit: task.unit,
            itemNumber: removed.number,
            reason: `第${removed.number}项已从工作要点中删除`,
          });
        }
      }
    }
    return actions;
  }

  /** Writes the revision; the caller holds the locks. */
  private async apply(
    m: EntityManager,
    c: Computed,
    sourceName: string,
    actor: Actor | null,
    now: Date,
  ): Promise<{
    scheduled: QueuedOccurrence[];
    deliveryIds: string[];
    counts: RevisionResult['tasks'];
    notified: string[];
  }> {
    const { plan, diff, newDoc, actions } = c;
    const version = c.base.version + 1;
    const reasonOf = (text: string) => `工作要点修订（第${version}版）：${text}`;
    const tz = this.config.businessTz;
    if (!c.baseStored) {
      await this.repo.insertVersion(m, {
        planId: plan.id,
        version: c.base.version,
        sourceName: c.base.sourceName,
        sourceHash: c.base.sourceHash,
        document: c.base.document,
        diff: null,
        createdBy: c.base.createdBy.id,
        createdByName: c.base.createdBy.name,
        createdAt: c.base.createdAt,
      });
    }

    // Units, sections and items, laid out in the new document's order.
    const unitIds = await this.repo.ensureUnits(m, c.newUnits);
    const sectionIds = await this.repo.upsertSections(m, plan.id, newDoc.sections);
    await this.repo.releaseOrdinals(m, plan.id);
    const oldOf = new Map(diff.matches.map((p) => [p.new, p.old]));
    const changedById = new Map(diff.changed.map((ch) => [ch.itemId, ch]));
    for (const [n, item] of newDoc.items.entries()) {
      const fields = {
        sectionId: sectionIds.get(item.section)!,
        ordinal: n + 1,
        number: item.number,
        title: item.title,
        body: item.body,
        allUnits: item.allUnits,
        deadlineHints: item.deadlineHints,
      };
      const o = oldOf.get(n);
      if (o !== undefined) {
        const before = c.base.document.items[o];
        item.itemId = before.itemId;
        await this.repo.updateItem(m, before.itemId!, fields);
        const change = changedById.get(before.itemId);
        if (change) {
          await this.audit.record(m, {
            actor,
            action: 'item.revise',
            entityType: 'item',
            entityId: before.itemId,
            before: {
              section: before.section,
              number: before.number,
              title: before.title,
              dueDate: before.dueDate,
              units: before.assignments,
            },
            after: {
              section: item.section,
              number: item.number,
              title: item.title,
              dueDate: item.dueDate,
              units: item.assignments,
              reworded: change.reworded,
              reason: reasonOf('条目修改'),
            },
          });
        }
      } else {
        item.itemId = await this.repo.insertItem(m, plan.id, fields);
        await this.audit.record(m, {
          actor,
          action: 'item.add',
          entityType: 'item',
          entityId: item.itemId,
          after: {
            number: item.number,
            title: item.title,
            dueDate: item.dueDate,
            units: item.assignments,
            reason: reasonOf('新增条目'),
          },
        });
      }
    }
    const removedIds = diff.removed.flatMap((r) => (r.itemId ? [r.itemId] : []));
    await this.repo.markRemoved(m, removedIds, version);
    await this.repo.compactRemovedOrdinals(m, plan.id, newDoc.items.length + 1);
    for (const r of diff.removed) {
      await this.audit.record(m, {
        actor,
        action: 'item.remove',
        entityType: 'item',
        entityId: r.itemId,
        before: { number: r.number, title: r.title, units: r.units },
        after: { removedInVersion: version, reason: reasonOf('条目删除') },
      });
    }
    await this.repo.deleteEmptySections(m, plan.id);

    // Tasks: new ones, then the changes of existing ones through the task lifecycle.
    const scheduled: QueuedOccurrence[] = [];
    const inserted = await this.repo.insertTasks(
      m,
      actions.create.map((a) => ({
        itemId: newDoc.items[a.item].itemId!,
        unitId: unitIds.get(a.unit)!,
        role: a.role,
        dueDate: a.dueDate,
        dueAt: endOfBusinessDay(a.dueDate, tz),
        remindersPlannedAt: now,
      })),
    );
    for (const [i, t] of inserted.entries()) {
      const a = actions.create[i];
      await this.audit.record(m, {
        actor,
        action: 'task.assign',
        entityType: 'task',
        entityId: t.id,
        after: {
          unit: a.unit,
          role: a.role,
          dueDate: a.dueDate,
          reason: reasonOf(`第${newDoc.items[a.item].number}项交办${a.unit}`),
        },
      });
    }
    scheduled.push(
      ...(await this.scheduler.replan(
        m,
        'task.deadline',
        inserted.map((t) => this.taskDeadlines.plan(t, plan.reminderPolicy)),
      )),
      ...(await this.scheduler.replan(
        m,
        'task.escalation',
        await this.escalations.plansOf(
          m,
          inserted.map((t) => t.id),
        ),
      )),
    );

    const change = async (
      taskId: string,
      work: (task: Awaited<ReturnType<TasksRepository['lock']>> & object) => {
        action: string;
        before: Record<string, unknown>;
        after: Record<string, unknown>;
      },
    ) => {
      const task = await this.taskRepo.lock(m, taskId);
      if (!task) return;
      const before: { status: TaskStatus; dueAt: Date } = {
        status: task.status,
        dueAt: task.dueAt,
      };
      const entry = work(task);
      await this.taskRepo.save(m, task);
      await this.audit.record(m, {
        actor,
        action: entry.action,
        entityType: 'task',
        entityId: task.id,
        before: entry.before,
        after: entry.after,
      });
      scheduled.push(...(await this.tasks.replanReminders(m, task, before)));
    };
    for (const a of actions.reopen) {
      await change(a.taskId, (task) => {
        const before = { status: task.status, dueDate: task.dueDate };
        this.tasks.applyEvent(task, 'reopen');
        task.role = a.role;
        task.dueDate = a.dueDate;
        task.dueAt = endOfBusinessDay(a.dueDate, tz);
        task.remindersPlannedAt = now;
        return {
          action: 'task.reopen',
          before,
          after: {
            status: task.status,
            dueDate: task.dueDate,
            reason: reasonOf(`第${newDoc.items[a.item].number}项重新交办${a.unit}`),
          },
        };
      });
    }
    for (const a of actions.cancel) {
      await change(a.taskId, (task) => {
        const before = { status: task.status };
        this.tasks.applyEvent(task, 'cancel');
        return {
          action: 'task.cancel',
          before,
          after: { status: task.status, reason: reasonOf(a.reason), version },
        };
      });
    }
    for (const a of actions.reschedule) {
      await change(a.taskId, (task) => {
        const before = { dueDate: task.dueDate, dueAt: task.dueAt.toISOString() };
        task.dueDate = a.to;
        task.dueAt = endOfBusinessDay(a.to, tz);
        task.remindersPlannedAt = now;
        return {
          action: 'task.update',
          before,
          after: {
            dueDate: task.dueDate,
            dueAt: task.dueAt.toISOString(),
            reason: reasonOf(`第${a.itemNumber}项截止日期由 ${a.from} 调整为 ${a.to}`),
          },
        };
      });
    }
    for (const a of actions.roles) {
      await this.repo.setRole(m, a.taskId, a.role);
      await this.audit.record(m, {
        actor,
        action: 'task.update',
        entityType: 'task',
        entityId: a.taskId,
        after: {
          role: a.role,
          reason: reasonOf(`${a.unit}改为${a.role === 'lead' ? '牵头' : '配合'}`),
        },
      });
    }

    // The plan, its new version, the audit entry of the revision, and one message per unit.
    await this.repo.updatePlan(m, plan.id, {
      title: newDoc.plan.title,
      docNumber: newDoc.plan.docNumber,
      issuer: newDoc.plan.issuer,
      issuedOn: newDoc.plan.issuedOn,
      sourceHash: c.hash,
      sourceName,
      warnings: c.warnings,
    });
    await this.repo.insertVersion(m, {
      planId: plan.id,
      version,
      sourceName,
      sourceHash: c.hash,
      document: newDoc,
      diff,
      createdBy: actor?.userId ?? null,
      createdByName: actor?.name ?? '系统',
    });
    const counts = {
      created: inserted.length,
      reopened: actions.reopen.length,
      cancelled: actions.cancel.length,
      rescheduled: actions.reschedule.length,
    };
    await this.audit.record(m, {
      actor,
      action: 'plan.revise',
      entityType: 'plan',
      entityId: plan.id,
      before: { version: c.base.version, sourceName: c.base.sourceName, title: plan.title },
      after: {
        version,
        sourceName,
        title: newDoc.plan.title,
        summary: diff.summary,
        tasks: counts,
      },
    });
    const messages: OutboxMessage[] = c.impact.map((impact) => ({
      kind: 'plan.revision',
      dedupeKey: `plan.revision:${plan.id}:${version}:${unitIds.get(impact.unit)}`,
      taskId: null,
      audience: { unitId: unitIds.get(impact.unit)! },
      content: revisionMailContent({
        planTitle: newDoc.plan.title,
        docNumber: newDoc.plan.docNumber,
        version,
        unitName: impact.unit,
        changes: impact.changes,
        link: { label: '在督办系统中查看', url: `${this.config.publicUrl}/plans/${plan.id}` },
      }),
    }));
    const { deliveryIds } = await this.outbox.record(m, messages);
    return { scheduled, deliveryIds, counts, notified: c.impact.map((i) => i.unit) };
  }
}
