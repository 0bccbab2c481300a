import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Min,
} from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import type { Page } from '../common/paging.js';
import { PageQueryDto } from '../common/paging.js';
import { TITLE_MAX_LENGTH } from './milestone-rules.js';
import {
  type AcceptedSuggestions,
  MilestonesService,
  type MilestoneSuggestionView,
  type MilestoneView,
} from './milestones.service.js';

export class CreateMilestoneDto {
  @ApiProperty({ description: '节点名称', minLength: 1, maxLength: TITLE_MAX_LENGTH })
  @IsString({ message: '须为文字' })
  title!: string;

  @ApiPropertyOptional({
    description:
      '节点日期（业务时区当天结束），YYYY-MM-DD；不能早于今天，也不能晚于任务截止时间。与 dueAt 二选一',
    example: '2026-06-30',
  })
  @IsOptional()
  @IsString({ message: '须为日期 YYYY-MM-DD' })
  dueDate?: string;

  @ApiPropertyOptional({
    description: '精确节点时间，带时区的 ISO-8601；与 dueDate 二选一',
    example: '2026-06-30T18:00:00+08:00',
  })
  @IsOptional()
  @IsString({ message: '须为带时区的 ISO-8601 时间' })
  dueAt?: string;
}

export class UpdateMilestoneDto {
  @ApiPropertyOptional({ description: '节点名称', minLength: 1, maxLength: TITLE_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '须为文字' })
  title?: string;

  @ApiPropertyOptional({ description: '新的节点日期，YYYY-MM-DD', example: '2026-06-30' })
  @IsOptional()
  @IsString({ message: '须为日期 YYYY-MM-DD' })
  dueDate?: string;

  @ApiPropertyOptional({
    description: '新的精确节点时间，带时区的 ISO-8601',
    example: '2026-06-30T18:00:00+08:00',
  })
  @IsOptional()
  @IsString({ message: '须为带时区的 ISO-8601 时间' })
  dueAt?: string;

  @ApiPropertyOptional({ description: 'true = 标记完成（取消其提醒）；false = 重新打开' })
  @IsOptional()
  @IsBoolean({ message: '须为 true 或 false' })
  done?: boolean;
}

export class MilestoneViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: '2026-06-30' }) dueDate!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty() done!: boolean;
  @ApiProperty({ nullable: true, type: String }) doneAt!: string | null;
  @ApiProperty({ description: '未完成且已过节点时间' }) overdue!: boolean;
  @ApiProperty() createdAt!: string;
}

export class MilestonePageDto {
  @ApiProperty({ type: [MilestoneViewDto] }) items!: MilestoneViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class MilestoneSuggestionDto {
  @ApiProperty({ description: '建议序号（采纳时据此选择），从 1 起' }) index!: number;
  @ApiProperty({ description: '节点名称：条目文字列出的一项具体措施' }) title!: string;
  @ApiProperty({ example: '2026-06-30' }) dueDate!: string;
  @ApiProperty({
    enum: ['stated', 'spread'],
    description: 'stated：措施自身写明的时限；spread：在任务截止前均匀安排的工作日',
  })
  source!: 'stated' | 'spread';
  @ApiProperty({ nullable: true, type: String, description: '写明时限的原文，如“6月底前”' })
  deadlineText!: string | null;
  @ApiProperty({ description: '任务已有同名节点（采纳时跳过）' }) exists!: boolean;
}

export class AcceptSuggestionsDto {
  @ApiPropertyOptional({
    type: [Number],
    description: '要采纳的建议序号；不给出则采纳全部',
    example: [1, 3],
  })
  @IsOptional()
  @IsArray({ message: '须为序号数组' })
  @ArrayMaxSize(100, { message: '最多 100 个序号' })
  @IsInt({ each: true, message: '序号须为整数' })
  @Min(1, { each: true, message: '序号从 1 起' })
  indexes?: number[];
}

class SkippedSuggestionDto {
  @ApiProperty() index!: number;
  @ApiProperty() title!: string;
}

export class AcceptedSuggestionsDto {
  @ApiProperty({ type: [MilestoneViewDto] }) created!: MilestoneViewDto[];
  @ApiProperty({ type: [SkippedSuggestionDto], description: '任务已有同名节点而未创建的建议' })
  skipped!: SkippedSuggestionDto[];
}

@ApiTags('节点')
@ApiBearerAuth()
@Controller()
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Post('tasks/:id/milestones')
  @ApiOperation({
    summary: '为任务添加节点（督导室，或本单位科室负责人）；节点按计划的提醒策略提醒责任单位',
  })
  @ApiCreatedResponse({ type: MilestoneViewDto })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: CreateMilestoneDto,
  ): Promise<MilestoneView> {
    return this.milestones.create(actor, id, body);
  }

  @Get('tasks/:id/milestones')
  @ApiOperation({ summary: '任务的节点（按节点时间排序，分页）' })
  @ApiOkResponse({ type: MilestonePageDto })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<MilestoneView>> {
    return this.milestones.list(actor, id, query.page, query.pageSize);
  }

  @Get('tasks/:id/milestone-suggestions')
  @ApiOperation({
    summary:
      '建议节点：按条目文字列出的具体措施（一是…二是…、分号分隔的措施、写明时限的句子）拆分，日期取其自身时限，否则在任务截止前均匀安排',
  })
  @ApiOkResponse({ type: [MilestoneSuggestionDto] })
  suggestions(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
  ): Promise<MilestoneSuggestionView[]> {
    return this.milestones.suggestions(actor, id);
  }

  @Post('tasks/:id/milestone-suggestions/accept')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '采纳建议节点（牵头单位人员或督导室）：创建所选（默认全部）建议节点，已有同名节点的跳过；各节点按计划的提醒策略提醒',
  })
  @ApiOkResponse({ type: AcceptedSuggestionsDto })
  acceptSuggestions(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: AcceptSuggestionsDto,
  ): Promise<AcceptedSuggestions> {
    return this.milestones.acceptSuggestions(actor, id, body.indexes);
  }

  @Patch('milestones/:id')
  @ApiOperation({
    summary:
      '修改节点名称或日期（督导室或本单位科室负责人），或标记完成/重新打开（本单位人员或督导室）；提醒随之重排或取消',
  })
  @ApiOkResponse({ type: MilestoneViewDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('节点')) id: string,
    @Body() body: UpdateMilestoneDto,
  ): Promise<MilestoneView> {
    return this.milestones.update(actor, id, body);
  }

  @Delete('milestones/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除节点（督导室）；其提醒随之取消' })
  @ApiNoContentResponse()
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('节点')) id: string,
  ): Promise<void> {
    await this.milestones.remove(actor, id);
  }
}
