import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, Matches } from 'class-validator';
import { businessDateOf, endOfBusinessDay, isValidDate } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { InvalidInputException } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import {
  parseReminderPolicy,
  PolicyValidationError,
  type ReminderPolicy,
} from '../reminders/reminder-policy.js';
import { computeReminders } from '../reminders/reminder-schedule.js';

export class ReminderPreviewDto {
  @ApiProperty({ type: [String], example: ['-P7D', '-P1D', 'P0D'] })
  @IsArray({ message: '须为数组' })
  offsets!: string[];

  @ApiProperty({ required: false, example: '09:00' })
  @IsOptional()
  @IsString({ message: '须为 HH:mm' })
  sendAt?: string;

  @ApiProperty({
    description: '示例截止日期（业务时区当天结束），YYYY-MM-DD',
    example: '2026-06-30',
  })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '须为日期 YYYY-MM-DD' })
  dueDate!: string;
}

class PreviewReminderDto {
  @ApiProperty({ example: '-P7D' }) offset!: string;
  @ApiProperty({ description: '发送时刻（UTC ISO-8601）' }) fireAt!: string;
  @ApiProperty({ description: '发送日期（业务时区）', example: '2026-06-19' }) date!: string;
}

class ReminderPolicyViewDto {
  @ApiProperty({ type: [String] }) offsets!: string[];
  @ApiProperty() sendAt!: string;
}

class ReminderPreviewResultDto {
  @ApiProperty({ type: ReminderPolicyViewDto }) policy!: ReminderPolicyViewDto;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ type: [PreviewReminderDto] }) reminders!: PreviewReminderDto[];
}

/** What a reminder policy would send for a deadline, computed by the same rules as the real schedule. */
@ApiTags('工作要点')
@ApiBearerAuth()
@Controller('reminder-policy')
export class ReminderPreviewController {
  constructor(
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: '预览提醒策略：给定截止日期，列出各次提醒的发送时间（按法定工作日计）' })
  @ApiOkResponse({ type: ReminderPreviewResultDto })
  preview(@Body() body: ReminderPreviewDto): ReminderPreviewResultDto {
    if (!isValidDate(body.dueDate)) {
      throw new InvalidInputException('dueDate 不是有效日期', [
        { field: 'dueDate', message: '不是有效日期' },
      ]);
    }
    let policy: ReminderPolicy;
    try {
      policy = parseReminderPolicy(
        body.sendAt === undefined
          ? { offsets: body.offsets }
          : { offsets: body.offsets, sendAt: body.sendAt },
      );
    } catch (error) {
      if (error instanceof PolicyValidationError) {
        throw new InvalidInputException(error.message, [
          { field: error.field, message: error.message },
        ]);
      }
      throw error;
    }
    const tz = this.config.businessTz;
    const dueAt = endOfBusinessDay(body.dueDate, tz);
    const reminders = computeReminders({ dueAt }, policy, this.calendar, tz);
    return {
      policy,
      dueAt: dueAt.toISOString(),
      reminders: reminders.map((r) => ({
        offset: r.offset,
        fireAt: r.fireAt.toISOString(),
        date: businessDateOf(r.fireAt, tz),
      })),
    };
  }
}
