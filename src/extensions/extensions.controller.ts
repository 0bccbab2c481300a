import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import type { Page } from '../common/paging.js';
import { PageQueryDto } from '../common/paging.js';
import { COMMENT_MAX_LENGTH, EXTENSION_STATUSES, REASON_MAX_LENGTH } from './extension-rules.js';
import { ExtensionsService, type ExtensionRequestView } from './extensions.service.js';

export class CreateExtensionRequestDto {
  @ApiProperty({ description: '延期理由', minLength: 1, maxLength: REASON_MAX_LENGTH })
  @IsString({ message: '须为文字' })
  @Matches(/\S/, { message: '不能为空' })
  @MaxLength(REASON_MAX_LENGTH, { message: `不能超过 ${REASON_MAX_LENGTH} 字` })
  reason!: string;

  @ApiProperty({
    description: '申请的新截止日期（业务时区当天结束），须晚于当前截止日期，YYYY-MM-DD',
    example: '2026-12-31',
  })
  @IsString({ message: '须为日期 YYYY-MM-DD' })
  proposedDueDate!: string;
}

export class ExtensionDecisionDto {
  @ApiPropertyOptional({
    description: '审批意见；驳回时必填',
    maxLength: COMMENT_MAX_LENGTH,
  })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(COMMENT_MAX_LENGTH, { message: `不能超过 ${COMMENT_MAX_LENGTH} 字` })
  comment?: string;

  @ApiPropertyOptional({ description: '乐观锁：调用方看到的申请版本号；不一致时返回 409' })
  @IsOptional()
  @IsInt({ message: '须为整数' })
  version?: number;
}

class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ExtensionRequestViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: EXTENSION_STATUSES }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: '提出申请时的截止时间' }) currentDueAt!: string;
  @ApiProperty({ description: '提出申请时的截止日期' }) currentDueDate!: string;
  @ApiProperty() proposedDueDate!: string;
  @ApiProperty({ type: PersonRefDto }) requestedBy!: PersonRefDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: PersonRefDto, nullable: true }) decidedBy!: PersonRefDto | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment!: string | null;
  @ApiProperty() version!: number;
}

export class ExtensionRequestPageDto {
  @ApiProperty({ type: [ExtensionRequestViewDto] }) items!: ExtensionRequestViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

@ApiTags('延期申请')
@ApiBearerAuth()
export class ExtensionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['pending', 'approved', 'rejected'],
    description: 'pending = 待审批',
  })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'], { message: '须为 pending、approved、rejected 之一' })
  status?: 'pending' | 'approved' | 'rejected';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: '须为工作要点 id' })
  planId?: string;

  @ApiPropertyOptional({ description: '责任单位 id' })
  @IsOptional()
  @IsUUID('all', { message: '须为责任单位 id' })
  unitId?: string;
}

class ExtensionTaskSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() item!: { number: number; title: string };
  @ApiProperty() unit!: { id: string; name: string };
  @ApiProperty() dueAt!: string;
}

export class QueuedExtensionRequestDto extends ExtensionRequestViewDto {
  @ApiProperty({ type: ExtensionTaskSummaryDto }) task!: ExtensionTaskSummaryDto;
}

export class QueuedExtensionRequestPageDto {
  @ApiProperty({ type: [QueuedExtensionRequestDto] }) items!: QueuedExtensionRequestDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

@Controller()
export class ExtensionsController {
  constructor(private readonly extensions: ExtensionsService) {}

  @Post('tasks/:id/extension-requests')
  @HttpCode(201)
  @ApiOperation({
    summary: '申请延期（本单位，截止前）：每项任务同时只能有一份待审批的申请',
  })
  @ApiCreatedResponse({ type: ExtensionRequestViewDto })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) taskId: string,
    @Body() body: CreateExtensionRequestDto,
  ): Promise<ExtensionRequestView> {
    return this.extensions.request(actor, taskId, body);
  }

  @Get('extension-requests')
  @ApiOperation({
    summary:
      '延期申请列表（跨任务）：status=pending 即待审批，最早提出的在前；科室用户只看到本单位的',
  })
  @ApiOkResponse({ type: QueuedExtensionRequestPageDto })
  listAll(@CurrentActor() actor: Actor, @Query() q: ExtensionQueryDto) {
    return this.extensions.listAll(actor, q);
  }

  @Get('tasks/:id/extension-requests')
  @ApiOperation({ summary: '任务的延期申请记录（分页，最新在前）' })
  @ApiOkResponse({ type: ExtensionRequestPageDto })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) taskId: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<ExtensionRequestView>> {
    return this.extensions.listForTask(actor, taskId, q.page, q.pageSize);
  }

  @Post('extension-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: '批准延期（督导室）：截止日期改为申请日期，提醒随之重排，并通知责任单位',
  })
  @ApiOkResponse({ type: ExtensionRequestViewDto })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('延期申请')) id: string,
    @Body() body: ExtensionDecisionDto,
  ): Promise<ExtensionRequestView> {
    return this.extensions.decide(actor, id, 'approve', body ?? {});
  }

  @Post('extension-requests/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回延期（督导室，须填写意见）：截止日期不变，并通知责任单位' })
  @ApiOkResponse({ type: ExtensionRequestViewDto })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('延期申请')) id: string,
    @Body() body: ExtensionDecisionDto,
  ): Promise<ExtensionRequestView> {
    return this.extensions.decide(actor, id, 'reject', body ?? {});
  }
}
