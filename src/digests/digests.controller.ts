import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID } from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import { Authorizer } from '../auth/authorizer.service.js';
import type { Actor } from '../auth/permissions.js';
import { type DigestPreview, DigestsService } from './digests.service.js';

export class LeaderDigestQueryDto {
  @ApiProperty({
    required: false,
    description: 'ISO 周，例如 2026-W41；缺省为本周',
    example: '2026-W41',
  })
  @IsOptional()
  @IsString({ message: '须为 ISO 周，例如 2026-W41' })
  week?: string;
}

export class UnitDigestQueryDto extends LeaderDigestQueryDto {
  @ApiProperty({ description: '责任单位 id' })
  @IsUUID('all', { message: '须为责任单位 id' })
  unit!: string;
}

export class DigestPreviewDto {
  @ApiProperty({ example: '2026-W41' }) week!: string;
  @ApiProperty({
    description: '逾期、临近到期据此时刻判断（该周发送时刻；本周已过发送时刻则为当前时刻）',
  })
  asOf!: string;
  @ApiProperty({ example: 'unit:…' }) recipient!: string;
  @ApiProperty({ description: '没有任何待办事项' }) empty!: boolean;
  @ApiProperty({ description: '每周发送时是否会发出（空周报默认不发）' }) wouldSend!: boolean;
  @ApiProperty({ description: '本周已发送过' }) alreadySent!: boolean;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: '纯文本正文' }) text!: string;
  @ApiProperty({ description: 'HTML 正文（所有内容均已转义）' }) html!: string;
}

@ApiTags('周报摘要')
@ApiBearerAuth()
@Controller('digests')
export class DigestsController {
  constructor(
    private readonly digests: DigestsService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get('preview')
  @ApiOperation({
    summary: '预览某单位某周的督办周报（不发送）',
    description:
      '牵头与配合任务中已逾期、两周内到期、退回待修改、延期申请待审批及督导周期待报送的事项',
  })
  @ApiOkResponse({ type: DigestPreviewDto })
  async unit(@CurrentActor() actor: Actor, @Query() q: UnitDigestQueryDto): Promise<DigestPreview> {
    this.authorizer.require(actor, 'digest.read', { unitId: q.unit }, { type: 'unit', id: q.unit });
    return this.digests.preview(this.digests.weekOf(q.week), { unitId: q.unit });
  }

  @Get('preview/leaders')
  @ApiOperation({
    summary: '预览某周的局领导督办周报（不发送）',
    description: '各工作要点按板块、按单位的红黄绿进展，以及逾期最久的事项',
  })
  @ApiOkResponse({ type: DigestPreviewDto })
  async leaders(
    @CurrentActor() actor: Actor,
    @Query() q: LeaderDigestQueryDto,
  ): Promise<DigestPreview> {
    this.authorizer.require(actor, 'digest.leaders.read');
    return this.digests.preview(this.digests.weekOf(q.week), 'leaders');
  }
}
