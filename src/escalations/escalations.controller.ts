import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { EscalationsService, type LadderView } from './escalations.service.js';

export class EscalationLadderDto {
  @ApiProperty({
    example: 'P1D',
    description: '黄牌：截止后第几个工作日（P1D）或精确时长（PT30S）',
  })
  yellow!: string;
  @ApiProperty({ example: 'P3D', description: '红牌：须晚于黄牌' })
  red!: string;
  @ApiProperty({
    example: 'P2D',
    nullable: true,
    type: String,
    description: '黄牌后逾期提醒的间隔；null 为不提醒',
  })
  repeat!: string | null;
  @ApiProperty({ example: '09:00', required: false })
  sendAt?: string;
}

export class LadderViewDto {
  @ApiProperty({ type: EscalationLadderDto }) ladder!: EscalationLadderDto;
  @ApiProperty({ description: '未单独设置，使用默认规则' }) isDefault!: boolean;
}

@ApiTags('督办升级')
@ApiBearerAuth()
@Controller()
export class EscalationsController {
  constructor(
    private readonly escalations: EscalationsService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get('plans/:id/escalation')
  @ApiOperation({ summary: '计划的升级规则（黄牌、红牌、逾期提醒）' })
  async planLadder(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
  ): Promise<LadderViewDto> {
    this.authorizer.require(actor, 'plan.read');
    return this.escalations.planLadder(id);
  }

  @Put('plans/:id/escalation')
  @ApiOperation({ summary: '设置计划的升级规则（body 为 null 恢复默认），并重排未完成任务的升级' })
  @ApiBody({ type: EscalationLadderDto })
  setPlanLadder(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @Body() body: unknown,
  ): Promise<LadderView> {
    this.authorizer.require(actor, 'plan.policy');
    return this.escalations.setPlanLadder(actor, id, isEmpty(body) ? null : body);
  }

  @Put('items/:id/escalation')
  @ApiOperation({ summary: '为单个条目设置升级规则（body 为 null 沿用计划的规则）' })
  @ApiBody({ type: EscalationLadderDto })
  setItemLadder(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('条目')) id: string,
    @Body() body: unknown,
  ): Promise<LadderView> {
    this.authorizer.require(actor, 'plan.policy');
    return this.escalations.setItemLadder(actor, id, isEmpty(body) ? null : body);
  }
}

/** `null` (or an empty body) clears the setting. */
function isEmpty(body: unknown): boolean {
  return (
    body === null ||
    body === undefined ||
    (typeof body === 'object' && Object.keys(body).length === 0)
  );
}
