import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
import type { QueuedOccurrence } from '../reminders/occurrences.repository.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { EscalationSource } from '../escalations/escalation.source.js';
import { MilestoneDeadlineSource } from '../milestones/milestone-deadline.source.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import { TaskDeadlineSource } from '../tasks/task-deadline.source.js';
import {
  parseReminderPolicy,
  PolicyValidationError,
  type ReminderPolicy,
} from '../reminders/reminder-policy.js';
import { Task } from '../tasks/task.entity.js';
import { AWAITING_UNIT_SQL, type TaskStatus } from '../tasks/task-state.js';
import { Unit } from '../units/unit.entity.js';
import {
  parsePlanDocument,
  PlanOverLimitError,
  PlanParseError,
  type ParsedPlan,
  type ParseWarning,
} from '../plan-document/index.js';
import { planContentHash, planImport } from './plan-import.js';
import { Item } from './item.entity.js';
import { Plan } from './plan.entity.js';
import { Section } from './section.entity.js';

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
    @InjectDataSource() private readonly db: DataSource,
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
    const existing = await this.db.getRepository(Plan).findOneBy({ sourceHash: hash });
    if (existing) return this.alreadyImported(existing);
    const calendarWarnings = this.calendarWarnings(year);
    const now = this.clock.now();
    const defaultDeadline = this.calendar.lastWorkdayOfYear(year);
    let created:
      { plan: Plan; tasks: Task[]; unitCount: number; scheduled: QueuedOccurrence[] } | Plan;
    try {
      created = await this.db.transaction(async (m) => {
        // Imports take turns: a racing import of the same document sees it imported, one of a
        // different document under the same 文号 sees the conflict — never a duplicate plan.
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('duban:plan-import'))`);
        const same = await m.getRepository(Plan).findOneBy({ sourceHash: hash });
        if (same) return same;
        if (parsed.plan.docNumber) {
          const sameNumber = await m
            .getRepository(Plan)
            .findOneBy({ docNumber: parsed.plan.docNumber });
          if (sameNumber) {
            throw new ConflictError(
              `文号 ${parsed.plan.docNumber} 的工作要点已于 ${sameNumber.importedAt.toISOString().slice(0, 10)} 导入，本次文档内容与之不同；如为修订稿，请按修订导入（revise=true，命令行 --revise），可先用 dryRun=true（--dry-run）查看差异`,
              { planId: sameNumber.id, revisions: `/api/v1/plans/${sameNumber.id}/revisions` },
            );
          }
        }
        const existingUnits = await m
          .getRepository(Unit)
          .find({ order: { createdAt: 'ASC', name: 'ASC' } });
        const toImport = planImport(
          parsed,
          existingUnits.map((u) => u.name),
          year,
          defaultDeadline,
          businessDateOf(now, this.config.businessTz),
        );
        const plan = await m.getRepository(Plan).save(
          m.getRepository(Plan).create({
            title: parsed.plan.title ?? sourceName.replace(/\.[^.]+$/, ''),
            docNumber: parsed.plan.docNumber,
            issuer: parsed.plan.issuer,
            issuedOn: parsed.plan.issuedOn,
            year,
            sourceHash: hash,
            sourceName,
            reminderPolicy: null,
            warnings: [...toImport.warnings, ...calendarWarnings],
          }),
        );
        if (toImport.newUnits.length > 0) {
          await m
            .createQueryBuilder()
            .insert()
            .into(Unit)
            .values(toImport.newUnits.map((name) => ({ name })))
            .orIgnore()
            .execute();
        }
        const units = await m.getRepository(Unit).find();
        const unitIds = new Map(units.map((u) => [u.name, u.id]));
        const tasks: Partial<Task>[] = [];
        let ordinal = 0;
        for (const parsedSection of toImport.sections) {
          const section = await m.getRepository(Section).save(
            m.getRepository(Section).create({
              planId: plan.id,
              ordinal: parsedSection.ordinal,
              title: parsedSection.title,
            }),
          );
          const items = await m.getRepository(Item).save(
            parsedSection.items.map((item) =>
              m.getRepository(Item).create({
                planId: plan.id,
                sectionId: section.id,
                ordinal: ++ordinal,
                number: item.number,
                title: item.title,
                body: item.body,
                allUnits: item.allUnits,
                deadlineHints: item.deadlineHints,
              }),
            ),
          );
          parsedSection.items.forEach((item, i) => {
            for (const a of item.assignments) {
              tasks.push({
                itemId: items[i].id,
                unitId: unitIds.get(a.unit)!,
                role: a.role,
                status: 'assigned',
                dueDate: item.dueDate,
                dueAt: endOfBusinessDay(item.dueDate, this.config.businessTz),
                remindersPlannedAt: now,
              });
            }
          });
        }
        const saved: Task[] = [];
        for (let i = 0; i < tasks.length; i += 500) {
          saved.push(
            ...(await m
              .getRepository(Task)
              .save(tasks.slice(i, i + 500).map((t) => m.getRepository(Task).create(t)))),
          );
        }
        await this.audit.record(m, {
          actor,
          action: 'plan.import',
          entityType: 'plan',
          entityId: plan.id,
          after: { title: plan.title, docNumber: plan.docNumber, sourceName, tasks: saved.length },
        });
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
        const winner = await this.db.getRepository(Plan).findOneBy({ sourceHash: hash });
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
    const [same, sameNumber, units] = await Promise.all([
      this.db.getRepository(Plan).findOneBy({ sourceHash: hash }),
      parsed.plan.docNumber
        ? this.db.getRepository(Plan).findOneBy({ docNumber: parsed.plan.docNumber })
        : Promise.resolve(null),
      this.db.getRepository(Unit).find({ order: { createdAt: 'ASC', name: 'ASC' } }),
    ]);
    const toImport = planImport(
      parsed,
      units.map((u) => u.name),
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
    const [row]: { sections: number; items: number; tasks: number; units: number }[] =
      await this.db.query(
        `SELECT (SELECT count(*)::int FROM sections WHERE plan_id = $1) AS sections,
              (SELECT count(*)::int FROM items WHERE plan_id = $1) AS items,
              count(t.id)::int AS tasks, count(DISTINCT t.unit_id)::int AS units
         FROM items i JOIN tasks t ON t.item_id = i.id WHERE i.plan_id = $1`,
        [plan.id],
      );
    return {
      planId: plan.id,
      created: false,
      message: `该文档已于 ${plan.importedAt.toISOString().slice(0, 10)} 导入过（《${plan.title}》），未做任何更改`,
      title: plan.title,
      year: plan.year,
      counts: row ?? { sections: 0, items: 0, tasks: 0, units: 0 },
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

  async list(
    page: number,
    pageSize: number,
  ): Promise<{ items: Plan[]; total: number; page: number; pageSize: number }> {
    const [items, total] = await this.db.getRepository(Plan).findAndCount({
      order: { importedAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total, page, pageSize };
  }

  async get(id: string): Promise<{ plan: Plan; sections: (Section & { items: Item[] })[] }> {
    const plan = await this.db.getRepository(Plan).findOneBy({ id });
    if (!plan) throw new NotFoundError(`工作要点 ${id} 不存在`);
    const sections = await this.db
      .getRepository(Section)
      .find({ where: { planId: id }, order: { ordinal: 'ASC' } });
    const items = await this.db
      .getRepository(Item)
      .find({ where: { planId: id }, order: { ordinal: 'ASC' } });
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
    const scheduled = await this.db.transaction(async (m) => {
      const plan = await m
        .getRepository(Plan)
        .findOne({ where: { id: planId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new NotFoundError(`工作要点 ${planId} 不存在`);
      const previous = plan.reminderPolicy;
      plan.reminderPolicy = policy;
      await m.getRepository(Plan).save(plan);
      await this.audit.record(m, {
        actor,
        action: 'plan.policy',
        entityType: 'plan',
        entityId: plan.id,
        before: previous,
        after: policy,
      });
      // Reminders of the new policy that are already due must not go out now.
      const [tasks]: [{ id: string; status: TaskStatus; due_at: Date }[], number] = await m.query(
        `UPDATE tasks SET reminders_planned_at = $2 FROM items i
          WHERE i.id = tasks.item_id AND i.plan_id = $1 AND tasks.status IN ${AWAITING_UNIT_SQL}
          RETURNING tasks.id, tasks.status, tasks.due_at`,
        [planId, now],
      );
      const taskPlans = tasks.map((t) =>
        this.taskDeadlines.plan(
          { id: t.id, status: t.status, dueAt: new Date(t.due_at), remindersPlannedAt: now },
          policy,
        ),
      );
      const milestonePlans = await this.milestoneDeadlines.plansOfTasks(
        m,
        tasks.map((t) => t.id),
        policy,
      );
      return [
        ...(await this.scheduler.replan(m, 'task.deadline', taskPlans)),
        ...(await this.scheduler.replan(m, 'milestone.deadline', milestonePlans)),
      ];
    });
    this.scheduler.queueSoon(scheduled);
    return policy;
  }
}
