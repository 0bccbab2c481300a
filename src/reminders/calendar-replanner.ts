import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CalendarAdminService } from '../calendar/calendar-admin.service.js';
import { ReminderScheduler } from './reminder-scheduler.service.js';

/**
 * When an administrator enters or changes a year's official schedule, every stored reminder plan
 * is computed again on the new calendar: a reminder that fell on a new holiday moves to the
 * working day before, one on a new 调休 working day may now fire there.
 */
@Injectable()
export class CalendarReplanner implements OnModuleInit {
  private readonly logger = new Logger(CalendarReplanner.name);

  constructor(
    private readonly calendar: CalendarAdminService,
    private readonly scheduler: ReminderScheduler,
  ) {}

  onModuleInit(): void {
    this.calendar.onChange(async (year) => {
      const subjects = await this.scheduler.replanAll();
      this.logger.log({ message: 'reminder plans follow the calendar', year, subjects });
    });
  }
}
