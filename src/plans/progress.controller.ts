import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { PROGRESS_STATUSES } from './progress.js';
import { TASK_STATUSES } from '../tasks/task-state.js';
import { type PlanProgressView, ProgressService } from './progress.service.js';

const STATUS_DESCRIPTION =
  'assigned 未启动、in_progress 推进中、submitted 已报送、overdue 已逾期、closed 已办结、cancelled 已撤销';

export class TaskCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty({ description: '未办结且已过截止时间的任务数' }) overdue!: number;
  @ApiProperty({ description: '黄牌督办中的任务数' }) yellow!: number;
  @ApiProperty({ description: '红牌督办中的任务数' }) red!: number;
  @ApiProperty() assigned!: number;
  @ApiProperty() acknowledged!: number;
  @ApiProperty() in_progress!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty() returned!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() cancelled!: number;
}

export class StatusCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() assigned!: number;
  @ApiProperty() in_progress!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() cancelled!: number;
}

export class LeadProgressDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() overdue!: boolean;
}

export class ItemProgressDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: PROGRESS_STATUSES, description: STATUS_DESCRIPTION }) status!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: TaskCountsDto, description: '条目下各任务按状态计数' })
  counts!: TaskCountsDto;
  @ApiProperty({
    type: LeadProgressDto,
    nullable: true,
    description: '牵头单位的任务状态；“各科室”类条目每个单位都牵头，此处为 null',
  })
  lead!: LeadProgressDto | null;
}

export class SectionProgressDto {
  @ApiProperty() id!: string;
  @ApiProperty() ordinal!: number;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ enum: PROGRESS_STATUSES, description: STATUS_DESCRIPTION }) status!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: StatusCountsDto, description: '板块下各条目按汇总状态计数' })
  counts!: StatusCountsDto;
  @ApiProperty({ type: TaskCountsDto }) taskCounts!: TaskCountsDto;
  @ApiProperty({ type: [ItemProgressDto] }) items!: ItemProgressDto[];
}

class PlanRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) docNumber!: string | null;
  @ApiProperty() year!: number;
}

class TotalsDto {
  @ApiProperty() sections!: number;
  @ApiProperty() items!: number;
  @ApiProperty() tasks!: number;
}

export class PlanProgressDto {
  @ApiProperty({ type: PlanRefDto }) plan!: PlanRefDto;
  @ApiProperty({ description: '计算时刻（逾期据此判断）' }) asOf!: string;
  @ApiProperty({ enum: PROGRESS_STATUSES, description: STATUS_DESCRIPTION }) status!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: TotalsDto }) totals!: TotalsDto;
  @ApiProperty({ type: StatusCountsDto }) sectionCounts!: StatusCountsDto;
  @ApiProperty({ type: StatusCountsDto }) itemCounts!: StatusCountsDto;
  @ApiProperty({ type: TaskCountsDto }) taskCounts!: TaskCountsDto;
  @ApiProperty({ type: [SectionProgressDto] }) sections!: SectionProgressDto[];
}

@ApiTags('工作要点')
@ApiBearerAuth()
@Controller('plans')
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get(':id/progress')
  @ApiOperation({
    summary:
      '工作要点进度：板块 → 条目的汇总状态、按状态计数和逾期标记（由任务状态与截止时间实时计算，不另存）',
  })
  @ApiOkResponse({ type: PlanProgressDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
  ): Promise<PlanProgressView> {
    this.authorizer.require(actor, 'plan.read');
    return this.progress.ofPlan(actor, id);
  }
}
