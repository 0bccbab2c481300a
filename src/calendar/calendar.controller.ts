import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException } from '../common/errors.js';
import { CalendarAdminService, type YearView } from './calendar-admin.service.js';

const yearPipe = new ParseIntPipe({
  exceptionFactory: () =>
    new InvalidInputException('年份须为整数，例如 2027', [{ field: 'year', message: '须为整数' }]),
});

@ApiTags('工作日历')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarAdminService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get(':year')
  @ApiOperation({ summary: '某年的法定节假日与调休安排（内置、管理员录入或未录入）' })
  year(@Param('year', yearPipe) year: number): Promise<YearView> {
    return this.calendar.year(year);
  }

  @Put(':year')
  @ApiOperation({
    summary: '录入某年的法定节假日与调休安排（国务院办公厅通知），立即用于提醒和升级的排期',
  })
  @ApiBody({
    schema: {
      example: {
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
        workdays: [{ name: '春节调休', date: '2027-02-07' }],
      },
    },
  })
  setYear(
    @CurrentActor() actor: Actor,
    @Param('year', yearPipe) year: number,
    @Body() body: unknown,
  ): Promise<YearView> {
    this.authorizer.require(actor, 'calendar.manage');
    return this.calendar.setYear(actor, year, body);
  }
}
