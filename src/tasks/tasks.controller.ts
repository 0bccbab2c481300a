import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { TASK_STATUSES, type TaskEvent } from './task-state.js';
import { MAX_PAGE, type Page } from '../common/paging.js';
import { IsCalendarDate } from '../common/validation.js';
import { TasksService, type TaskView } from './tasks.service.js';

const STATUS_FILTERS = [...TASK_STATUSES, 'open', 'overdue'] as const;

export class VersionDto {
  @ApiPropertyOptional({ description: '乐观锁：调用方看到的版本号；不一致时返回 409' })
  @IsOptional()
  @IsInt({ message: '须为整数' })
  version?: number;
}

export class TaskQueryDto {
  @ApiPropertyOptional({ description: '按工作要点筛选' })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @ApiPropertyOptional({ description: '责任单位 id 或名称' })
  @IsOptional()
  @IsString()
  unit?: string;

  @ApiPropertyOptional({
    enum: [...STATUS_FILTERS],
    description: '状态；open = 未办结，overdue = 未办结且已过截止时间',
  })
  @IsOptional()
  @IsIn(STATUS_FILTERS, { message: `须为 ${STATUS_FILTERS.join('、')} 之一` })
  status?: (typeof STATUS_FILTERS)[number];

  @ApiPropertyOptional({ description: '截止日期不晚于（含），YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  dueBefore?: string;

  @ApiPropertyOptional({ description: '截止日期不早于（含），YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  dueAfter?: string;

  @ApiPropertyOptional({
    enum: ['yellow', 'red', 'any', 'none'],
    description: '督办升级：yellow 黄牌、red 红牌、any 黄牌或红牌、none 未升级',
  })
  @IsOptional()
  @IsIn(['yellow', 'red', 'any', 'none'], { message: '须为 yellow、red、any、none 之一' })
  escalation?: 'yellow' | 'red' | 'any' | 'none';

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `须为 1–${MAX_PAGE} 的整数` })
  @Min(1, { message: `须为 1–${MAX_PAGE} 的整数` })
  @Max(MAX_PAGE, { message: `须为 1–${MAX_PAGE} 的整数` })
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '须为 1–200 的整数' })
  @Min(1, { message: '须为 1–200 的整数' })
  @Max(200, { message: '须为 1–200 的整数' })
  pageSize: number = 50;
}

export class UpdateTaskDto {
  @ApiPropertyOptional({
    description: '新的截止日期（业务时区当天结束），YYYY-MM-DD',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsString({ message: '须为日期 YYYY-MM-DD' })
  dueDate?: string;

  @ApiPropertyOptional({
    description: '精确截止时间，带时区的 ISO-8601',
    example: '2026-12-31T18:00:00+08:00',
  })
  @IsOptional()
  @IsString({ message: '须为带时区的 ISO-8601 时间' })
  dueAt?: string;

  @ApiPropertyOptional({ enum: ['open', 'done'], description: 'done = 办结；open = 重新打开' })
  @IsOptional()
  @IsIn(['open', 'done'], { message: '须为 open 或 done' })
  status?: 'open' | 'done';

  @ApiPropertyOptional({ description: '乐观锁：调用方看到的版本号；不一致时返回 409' })
  @IsOptional()
  @IsInt({ message: '须为整数' })
  version?: number;
}

export class EscalationDto {
  @ApiProperty({ enum: ['none', 'yellow', 'red'], description: '黄牌、红牌或未升级' })
  level!: string;
  @ApiProperty({ nullable: true, type: String, description: '升级的时间' }) since!: string | null;
}

export class TaskViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() item!: { id: string; number: number; title: string };
  @ApiProperty() unit!: { id: string; name: string };
  @ApiProperty({ enum: ['lead', 'co'] }) role!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() dueDate!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: EscalationDto }) escalation!: EscalationDto;
}

@ApiTags('任务')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary: '任务列表（可按单位、状态、截止日期筛选，分页）；科室用户只看到本单位的任务',
  })
  list(@CurrentActor() actor: Actor, @Query() query: TaskQueryDto): Promise<Page<TaskView>> {
    return this.tasks.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskViewDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
  ): Promise<TaskView> {
    return this.tasks.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改截止时间（督导室）或办结/重新打开任务；提醒随之重排或取消' })
  @ApiOkResponse({ type: TaskViewDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: UpdateTaskDto,
  ): Promise<TaskView> {
    return this.tasks.update(actor, id, body);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '签收（本单位）' })
  @ApiOkResponse({ type: TaskViewDto })
  acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: VersionDto,
  ) {
    return this.step(actor, id, 'acknowledge', body);
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: '开始办理（本单位）' })
  @ApiOkResponse({ type: TaskViewDto })
  start(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: VersionDto,
  ) {
    return this.step(actor, id, 'start', body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: '撤销任务（督导室）' })
  @ApiOkResponse({ type: TaskViewDto })
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: VersionDto,
  ) {
    return this.step(actor, id, 'cancel', body);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: '重新打开已办结或已撤销的任务（督导室）' })
  @ApiOkResponse({ type: TaskViewDto })
  reopen(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: VersionDto,
  ) {
    return this.step(actor, id, 'reopen', body);
  }

  private step(
    actor: Actor,
    id: string,
    event: TaskEvent,
    body: VersionDto | undefined,
  ): Promise<TaskView> {
    return this.tasks.transition(actor, id, event, body?.version);
  }
}
