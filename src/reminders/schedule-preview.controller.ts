import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { type Page, PageQueryDto } from '../common/paging.js';
import { EntityIdPipe } from '../common/validation.js';
import { TasksService } from '../tasks/tasks.service.js';
import { type ScheduleEntry, SchedulePreviewService } from './schedule-preview.service.js';

/** At most this far ahead in one request: a year and a little. */
const MAX_WINDOW_MS = 400 * 24 * 3600 * 1000;

export class ScheduleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '起（含），ISO-8601；默认为当前时刻' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间，例如 2026-03-01T00:00:00+08:00' })
  from?: Date;

  @ApiPropertyOptional({ description: '止（不含），ISO-8601；默认为起点后 400 天' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间，例如 2026-04-01T00:00:00+08:00' })
  to?: Date;
}

class ScheduleTaskDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemNumber!: string;
  @ApiProperty() itemTitle!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ enum: ['lead', 'co'] }) role!: string;
}

class ScheduleMilestoneDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
}

class ScheduleRecipientDto {
  @ApiProperty({ enum: ['email', 'inbox', 'webhook'] }) channel!: 'email' | 'inbox' | 'webhook';
  @ApiProperty({ description: '邮箱地址，或群机器人的名称' }) to!: string;
}

export class ScheduleEntryDto {
  @ApiProperty() occurrenceId!: string;
  @ApiProperty({ description: '计划发送时刻（ISO-8601）' }) fireAt!: string;
  @ApiProperty({ description: '计划发送时刻（业务时区，文字）' }) fireAtText!: string;
  @ApiProperty({ enum: ['task.deadline', 'milestone.deadline', 'task.escalation'] })
  source!: 'task.deadline' | 'milestone.deadline' | 'task.escalation';
  @ApiProperty({ description: '消息类型，例如 reminder、escalation.red' }) kind!: string;
  @ApiProperty({ description: '消息类型名称，例如 截止提醒、红牌督办' }) kindLabel!: string;
  @ApiProperty({ description: '为何发送，例如 截止前 2 个工作日提醒' }) why!: string;
  @ApiProperty({ type: ScheduleTaskDto }) task!: ScheduleTaskDto;
  @ApiProperty({ type: ScheduleMilestoneDto, nullable: true })
  milestone!: ScheduleMilestoneDto | null;
  @ApiProperty({
    type: [ScheduleRecipientDto],
    description: '按当前联系人与个人设置的接收人与渠道',
  })
  recipients!: ScheduleRecipientDto[];
  @ApiProperty({ type: String, nullable: true, description: '没有接收人时的说明' })
  note!: string | null;
}

export class SchedulePageDto {
  @ApiProperty({ type: [ScheduleEntryDto] }) items!: ScheduleEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

function windowOf(q: ScheduleQueryDto): { from: Date; to: Date } {
  const from = q.from ?? new Date();
  const to = q.to ?? new Date(from.getTime() + MAX_WINDOW_MS);
  if (to.getTime() <= from.getTime()) throw new InvalidInputException('to 须晚于 from');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
    throw new InvalidInputException('一次最多查询 400 天的提醒计划，请缩小 from–to 的范围');
  }
  return { from, to };
}

@ApiTags('提醒计划')
@ApiBearerAuth()
@Controller()
export class SchedulePreviewController {
  constructor(
    private readonly preview: SchedulePreviewService,
    private readonly tasks: TasksService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get('plans/:id/schedule')
  @ApiOperation({
    summary:
      '提醒计划预览：将要发出的每条提醒与督办升级（黄牌、红牌、逾期提醒）——何时、发给谁、经哪个渠道、为何发送；科室人员只看到本科室的任务',
  })
  @ApiOkResponse({ type: SchedulePageDto })
  async ofPlan(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @Query() q: ScheduleQueryDto,
  ): Promise<Page<ScheduleEntry>> {
    this.authorizer.require(actor, 'plan.read');
    if (!(await this.preview.planExists(id))) throw new NotFoundError(`工作要点 ${id} 不存在`);
    return this.preview.page({ planId: id, unitId: visibleUnit(actor), ...windowOf(q) }, q);
  }

  @Get('tasks/:id/schedule')
  @ApiOperation({ summary: '一个任务（含其工作节点）将要发出的提醒与督办升级' })
  @ApiOkResponse({ type: SchedulePageDto })
  async ofTask(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Query() q: ScheduleQueryDto,
  ): Promise<Page<ScheduleEntry>> {
    await this.tasks.get(actor, id);
    return this.preview.page({ taskId: id, ...windowOf(q) }, q);
  }
}
