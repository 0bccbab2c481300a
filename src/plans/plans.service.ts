import { Inject, Injectable, Logger } from '@nestjs/common';
import { businessDateOf, endOfBusinessDay } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { Clock } from '../common/clock.js';
import {
  ConflictError,
  InvalidInputException,
  NotFoundError,
  PayloadTooLargeError,
} from '../common/errors.js';
import type { Page } from '../common/paging.js';
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { Transactor } from '../database/transactor.js';
import { EscalationSource } from '../escalations/escalation.source.js';
import { MilestoneDeadlineSource } from '../milestones/milestone-deadline.source.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { TaskDeadlineSource } from '../tasks/task-deadline.source.js';
import {
  parseReminderPolicy,
  PolicyValidationError,
  type ReminderPolicy,
} from '../reminders/reminder-policy.js';
import { UnitsRepository } from '../units/units.repository.js';
import {
  parsePlanDocument,
  PlanOverLimitError,
  PlanParseError,
  type ParsedPlan,
  type ParseWarning,
} from '../plan-document/index.js';
import { planContentHash, planImport } from './plan-import.js';
import type { Item } from './item.entity.js';
import { Plan } from './plan.entity.js';
import { type ImportedTask, type NewTask, PlansRepository } from './plans.repository.js';
import type { Section } from './section.entity.js';

export interface ImportResult {
  planId: string;
  /** false when the same document had been imported before: nothing was changed. */
  created: boolean;
  message: string;
  title: string;
  year: number;
  counts: { sections: number; items: number; units: number; tasks: number };
  warnings: ParseWarning[];
}

/** The dry run of an import: what it would create, nothing written. */
export interface ImportPreview {
  dryRun: true;
  /** new: would be imported; already-imported: would change nothing; conflict: would answer 409. */
  status: 'new' | 'already-imported' | 'conflict';
  existingPlanId: string | null;
  message: string;
  plan: {
    title: string;
    docNumber: string | null;
    issuer: string | null;
    issuedOn: string | null;
    year: number | null;
  };
  sections: {
    ordinal: number;
    title: string | null;
    items: {
      number: number;
      title: string;
      body: string;
      units: string[];
      allUnits: boolean;
      dueDate: string;
      deadlineHints: { text: string; date: string }[];
      tasks: number;
    }[];
  }[];
  units: { name: string; known: boolean }[];
  counts: { sections: number; items: number; tasks: number; units: number; newUnits: number };
  warnings: ParseWarning[];
}

@Injectable()
export class PlansService {
  private readonly logger = new Logger(PlansService.name);

  constructor(
    private readonly tx: Transactor,
    private readonly repo: PlansRepository,
    private readonly units: UnitsRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly taskDeadlines: TaskDeadlineSource,
    private readonly milestoneDeadlines: MilestoneDeadlineSource,
    private readonly escalations: EscalationSource,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Parses a .txt/.docx document off the event loop. A file that is not a usable plan is a 400
   * with the reason; one over a size, entry, nesting, time or memory limit is a 413 naming it.
   */
  async parse(fileName: string, content: Buffer): Promise<ParsedPlan> {
    try {
      return await parsePlanDocument(fileName, content);
    } catch (error) {
      if (error instanceof PlanOverLimitError) {
        this.logger.warn({ message: 'plan document refused', fileName, limit: error.limit });
        throw new PayloadTooLargeError(error.message, { limit: error.limit });
      }
      if (error instanceof PlanParseError) throw new InvalidInputException(error.message);
      throw error;
    }
  }

  async importDocument(
    fileName: string,
    content: Buffer,
    actor: Actor | null = null,
  ): Promise<ImportResult> {
    return this.importParsed(fileName, await this.parse(fileName, content), actor);
  }

  async importParsed(
    sourceName: string,
    parsed: ParsedPlan,
    actor: Actor | null = null,
  ): Promise<ImportResult> {
    const year = parsed.plan.year;
    if (year === null) {
      throw new InvalidInputException('无法确定工作要点的年份：标题、发文日期和文号中都没有年份');
    }
    const hash = planContentHash(parsed);
    const existing = await this.repo.findBySourceHash(this.tx.manager, hash);
    if (existing) return this.alreadyImported(existing);
    const calendarWarnings = this.calendarWarnings(year);
    const now = this.clock.now();
    const defaultDeadline = this.calendar.lastWorkdayOfYear(year);
    let created:
      | { plan: Plan; tasks: ImportedTask[]; unitCount: number; scheduled: QueuedOccurrence[] }
      | Plan;
    try {
      created = await this.tx.run(async (m) => {
        // Imports take turns: a racing import of the same document sees it imported, one of a
        // different document under the same 文号 sees the conflict — never a duplicate plan.
        await this.repo.lockImports(m);
        const same = await this.repo.findBySourceHash(m, hash);
        if (same) return same;
        if (parsed.plan.docNumber) {
          const sameNumber = await this.repo.findByDocNumber(m, parsed.plan.docNumber);
          if (sameNumber) {
            throw new ConflictError(
              `文号 ${parsed.plan.docNumber} 的工作要点已于 ${sameNumber.importedAt.toISOString().slice(0, 10)} 导入，本次文档内容与之不同；如为修订稿，请按修订导入（revise=true，命令行 --revise），可先用 dryRun=true（--dry-run）查看差异`,
              { planId: sameNumber.id, revisions: `/api/v1/plans/${sameNumber.id}/revisions` },
            );
          }
        }
        const toImport = planImport(
          parsed,
          await this.units.names(m),
          year,
          defaultDeadline,
          businessDateOf(now, this.config.businessTz),
        );
        const plan = await this.repo.insert(m, {
          title: parsed.plan.title ?? sourceName.replace(/\.[^.]+$/, ''),
          docNumber: parsed.plan.docNumber,
          issuer: parsed.plan.issuer,
          issuedOn: parsed.plan.issuedOn,
          year,
          sourceHash: hash,
          sourceName,
          reminderPolicy: null,
          warnings: [...toImport.warnings, ...calendarWarnings],
        });
        await this.units.addMissing(m, toImport.newUnits);
        const unitIds = await this.units.idsByName(m);
        const itemIds = await this.repo.insertContents(m, plan.id, toImport.sections);
        const tasks: NewTask[] = toImport.sections.flatMap((section, s) =>
          section.items.flatMap((item, i) =>
            item.assignments.map((a) => ({
              itemId: itemIds[s][i],
              unitId: unitIds.get(a.unit)!,
              role: a.role,
              status: 'assigned' as const,
              dueDate: item.dueDate,
              dueAt: endOfBusinessDay(item.dueDate, this.config.businessTz),
              remindersPlannedAt: now,
            })),
          ),
        );
        const saved = await this.repo.insertTasks(m, tasks);
        // A new plan has the default reminder policy and escalation ladder.
        const scheduled = [
          ...(await this.scheduler.replan(
            m,
            'task.deadline',
            saved.map((t) => this.taskDeadlines.plan(t, null)),
          )),
          ...(await this.scheduler.replan(
            m,
            'task.escalation',
            saved.map((t) => this.escalations.plan(t, null)),
          )),
        ];
        // Last: the entry takes the audit trail's chain head, which every audited change waits
        // for until this transaction ends.
        await this.audit.record(m, {
          actor,
          action: 'plan.import',
          entityType: 'plan',
          entityId: plan.id,
          after: { title: plan.title, docNumber: plan.docNumber, sourceName, tasks: saved.length },
        });
        return {
          plan,
          tasks: saved,
          unitCount: new Set(saved.map((t) => t.unitId)).size,
          scheduled,
        };
      });
    } catch (error) {
      // The same document committed by a process that did not take the lock (an older release).
      if ((error as { code?: string }).code === '23505') {
        const winner = await this.repo.findBySourceHash(this.tx.manager, hash);
        if (winner) return this.alreadyImported(winner);
      }
      throw error;
    }
    if (created instanceof Plan) return this.alreadyImported(created);
    this.scheduler.queueSoon(created.scheduled);
    const counts = {
      sections: parsed.sections.length,
      items: parsed.sections.reduce((n, s) => n + s.items.length, 0),
      units: created.unitCount,
      tasks: created.tasks.length,
    };
    this.logger.log({ message: 'plan imported', planId: created.plan.id, ...counts });
    return {
      planId: created.plan.id,
      created: true,
      message: `已导入《${created.plan.title}》：${counts.sections} 个板块、${counts.items} 项要点、${counts.tasks} 项任务（${counts.units} 个责任单位）`,
      title: created.plan.title,
      year,
      counts,
      warnings: created.plan.warnings,
    };
  }

  /**
   * What importing the document would do, changing nothing: the parse (sections, items with their
   * units and deadlines, warnings with line numbers), which units are new, how many tasks, and
   * whether the document is already imported or conflicts with a plan under the same 文号.
   */
  async preview(fileName: string, content: Buffer): Promise<ImportPreview> {
    const parsed = await this.parse(fileName, content);
    const year = parsed.plan.year;
    if (year === null) {
      throw new InvalidInputException('无法确定工作要点的年份：标题、发文日期和文号中都没有年份');
    }
    const hash = planContentHash(parsed);
    const m = this.tx.manager;
    const [same, sameNumber, units] = await Promise.all([
      this.repo.findBySourceHash(m, hash),
      parsed.plan.docNumber
        ? this.repo.findByDocNumber(m, parsed.plan.docNumber)
        : Promise.resolve(null),
      this.units.names(m),
    ]);
    const toImport = planImport(
      parsed,
      units,
      year,
      this.calendar.lastWorkdayOfYear(year),
      businessDateOf(this.clock.now(), this.config.businessTz),
    );
    const newUnits = new Set(toImport.newUnits);
    const status = same ? 'already-imported' : sameNumber ? 'conflict' : 'new';
    const items = toImport.sections.reduce((n, sec) => n + sec.items.length, 0);
    return {
      dryRun: true,
      status,
      existingPlanId: (same ?? sameNumber)?.id ?? null,
      message:
        status === 'already-imported'
          ? `该文档已于 ${same!.importedAt.toISOString().slice(0, 10)} 导入过（《${same!.title}》），确认导入不会做任何更改`
          : status === 'conflict'
            ? `文号 ${parsed.plan.docNumber} 的工作要点已于 ${sameNumber!.importedAt.toISOString().slice(0, 10)} 导入，本次文档内容与之不同`
            : `将导入《${parsed.plan.title ?? fileName}》：${toImport.sections.length} 个板块、${items} 项要点、${toImport.tasks} 项任务（${toImport.units} 个责任单位，其中新增 ${toImport.newUnits.length} 个）`,
      plan: { ...parsed.plan, title: parsed.plan.title ?? fileName.replace(/\.[^.]+$/, '') },
      sections: toImport.sections.map((sec) => ({
        ordinal: sec.ordinal,
        title: sec.title,
        items: sec.items.map((i) => ({
          number: i.number,
          title: i.title,
          body: i.body,
          units: i.units,
          allUnits: i.allUnits,
          dueDate: i.dueDate,
          deadlineHints: i.deadlineHints,
          tasks: i.assignments.length,
        })),
      })),
      units: parsed.units.map((name) => ({ name, known: !newUnits.has(name) })),
      counts: {
        sections: toImport.sections.length,
        items,
        tasks: toImport.tasks,
        units: toImport.units,
        newUnits: toImport.newUnits.length,
      },
      warnings: [...toImport.warnings, ...this.calendarWarnings(year)],
    };
  }

  private async alreadyImported(plan: Plan): Promise<ImportResult> {
    const counts = await this.repo.counts(this.tx.manager, plan.id);
    return {
      planId: plan.id,
      created: false,
      message: `该文档已于 ${plan.importedAt.toISOString().slice(0, 10)} 导入过（《${plan.title}》），未做任何更改`,
      title: plan.title,
      year: plan.year,
      counts: counts ?? { sections: 0, items: 0, tasks: 0, units: 0 },
      warnings: plan.warnings,
    };
  }

  private calendarWarnings(year: number): ParseWarning[] {
    const missing = this.calendar.yearsWithoutData([`${year}-12-31`, `${year + 1}-01-01`]);
    return missing.map((y) => ({
      line: 0,
      message: `${y} 年的法定节假日安排尚未录入，工作日暂按周一至周五计算；请管理员录入国务院办公厅公布的安排`,
    }));
  }

  /** How many plans there are. */
  async count(): Promise<number> {
    return this.repo.count(this.tx.manager);
  }

  async list(page: number, pageSize: number): Promise<Page<Plan>> {
    return this.repo.page(this.tx.manager, { page, pageSize });
  }

  async get(id: string): Promise<{ plan: Plan; sections: (Section & { items: Item[] })[] }> {
    const plan = await this.repo.find(this.tx.manager, id);
    if (!plan) throw new NotFoundError(`工作要点 ${id} 不存在`);
    const { sections, items } = await this.repo.contents(this.tx.manager, id);
    return {
      plan,
      sections: sections.map((s) =>
        Object.assign(s, { items: items.filter((i) => i.sectionId === s.id) }),
      ),
    };
  }

  /** Replaces the plan's reminder policy and reschedules the reminders of its open tasks. */
  async setPolicy(
    planId: string,
    input: unknown,
    actor: Actor | null = null,
  ): Promise<ReminderPolicy> {
    let policy: ReminderPolicy;
    try {
      policy = parseReminderPolicy(input);
    } catch (error) {
      if (error instanceof PolicyValidationError) {
        throw new InvalidInputException(error.message, [
          { field: error.field, message: error.message },
        ]);
      }
      throw error;
    }
    const now = this.clock.now();
    const scheduled = await this.tx.run(async (m) => {
      const plan = await this.repo.lock(m, planId);
      if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
      const previous = plan.reminderPolicy;
      await this.repo.setReminderPolicy(m, plan, policy);
      // Reminders of the new policy that are already due must not go out now.
      const tasks = await this.repo.replanAwaitingTasks(m, planId, now);
      const taskPlans = tasks.map((t) =>
        this.taskDeadlines.plan({ ...t, remindersPlannedAt: now }, policy),
      );
      const milestonePlans = await this.milestoneDeadlines.plansOfTasks(
        m,
        tasks.map((t) => t.id),
        policy,
      );
      const replanned = [
        ...(await this.scheduler.replan(m, 'task.deadline', taskPlans)),
        ...(await this.scheduler.replan(m, 'milestone.deadline', milestonePlans)),
      ];
      // Last, like every bulk change: the audit trail's chain head is held from here to the commit.
      await this.audit.record(m, {
        actor,
        action: 'plan.policy',
        entityType: 'plan',
        entityId: plan.id,
        before: previous,
        after: policy,
      });
      return replanned;
    });
    this.scheduler.queueSoon(scheduled);
    return policy;
  }
}
