import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException } from '../common/errors.js';
import { Transactor } from '../database/transactor.js';
import { CalendarRepository } from './calendar.repository.js';
import { ScheduleError, scheduleToOverrides } from './calendar-schedule.js';
import { WorkingCalendar } from './working-calendar.js';

export interface YearView {
  year: number;
  /** built-in: shipped with Duban; admin: entered here; none: guessed as Monday–Friday. */
  source: 'built-in' | 'admin' | 'none';
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

/** Re-reads the schedules other processes entered this often. */
const REFRESH_MS = 60_000;

/**
 * Official holiday schedules (法定节假日与调休) entered by an admin for years the built-in data
 * does not cover (or to correct it). Every process reads them at start and every minute; the
 * process that takes a change applies it at once and re-plans what depends on the calendar.
 */
@Injectable()
export class CalendarAdminService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CalendarAdminService.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners: ((year: number) => Promise<void>)[] = [];

  constructor(
    private readonly tx: Transactor,
    private readonly repo: CalendarRepository,
    private readonly calendar: WorkingCalendar,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Something that depends on the calendar (reminder plans) and must follow a change. */
  onChange(listener: (year: number) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async refresh(): Promise<void> {
    this.calendar.replaceOverrides(await this.repo.all(this.tx.manager));
  }

  async year(year: number): Promise<YearView> {
    // Postgres is the source of truth: another process (the CLI, another API) may have changed it.
    await this.refresh();
    const own = this.calendar.overrideList.filter((o) => o.date.startsWith(`${year}-`));
    if (own.length > 0) {
      const of = (kind: string) =>
        own.filter((o) => o.kind === kind).map((o) => ({ date: o.date, name: o.note ?? '' }));
      return { year, source: 'admin', holidays: of('holiday'), workdays: of('workday') };
    }
    if (WorkingCalendar.isBuiltIn(year))
      return { year, source: 'built-in', ...WorkingCalendar.builtInYear(year) };
    return { year, source: 'none', holidays: [], workdays: [] };
  }

  async setYear(actor: Actor | null, year: number, input: unknown): Promise<YearView> {
    let days;
    try {
      days = scheduleToOverrides(year, input);
    } catch (error) {
      if (error instanceof ScheduleError) {
        throw new InvalidInputException(`${error.field}：${error.message}`, [
          { field: error.field, message: error.message },
        ]);
      }
      throw error;
    }
    const before = await this.year(year);
    await this.tx.run(async (m) => {
      await this.repo.replaceYear(m, year, days);
      await this.audit.record(m, {
        actor,
        action: 'calendar.set',
        entityType: 'calendar',
        entityId: String(year),
        before: {
          source: before.source,
          holidays: before.holidays.length,
          workdays: before.workdays.length,
        },
        after: {
          holidays: days.filter((d) => d.kind === 'holiday').length,
          workdays: days.filter((d) => d.kind === 'workday').length,
        },
      });
    });
    await this.refresh();
    for (const listener of this.listeners) {
      await listener(year).catch((error: unknown) =>
        this.logger.error({
          message: 'replanning after a calendar change failed',
          year,
          error: String(error),
        }),
      );
    }
    return this.year(year);
  }

  /**
   * Whether the calendar covers this year and every year in which an open task is due; a year
   * without an official schedule is only guessed (Monday to Friday).
   */
  async coverage(now: Date): Promise<{ uncoveredYears: number[]; message: string | null }> {
    const current = Number(now.toISOString().slice(0, 4));
    const years = [
      ...new Set([current, ...(await this.repo.openDeadlineYears(this.tx.manager))]),
    ].sort((a, b) => a - b);
    const uncoveredYears = this.uncovered(years);
    return {
      uncoveredYears,
      message:
        uncoveredYears.length > 0
          ? `${uncoveredYears.join('、')} 年的法定节假日安排尚未录入，这些年份的工作日暂按周一至周五计算；请管理员录入（PUT /api/v1/calendar/{year} 或 duban calendar:set）`
          : null,
    };
  }

  /** Years the calendar only guesses among these (for warnings). */
  uncovered(years: readonly number[]): number[] {
    return years.filter((y) => !this.calendar.hasOfficialData(y));
  }
}
