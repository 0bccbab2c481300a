import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { NOTE_MAX_LENGTH } from './nudge-rules.js';
import { NudgesService, type NudgeResult } from './nudges.service.js';

export class NudgeDto {
  @ApiPropertyOptional({ description: '督导室留言，随催办邮件发出', maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(NOTE_MAX_LENGTH, { message: `不能超过 ${NOTE_MAX_LENGTH} 字` })
  note?: string;
}

export class NudgeResultDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() nudgeId!: string;
  @ApiProperty({ description: '收件人数（本单位负责人和联络员，或单位联系邮箱）' })
  recipients!: number;
  @ApiProperty() nudgedAt!: string;
}

@ApiTags('催办')
@ApiBearerAuth()
@Controller('tasks')
export class NudgesController {
  constructor(private readonly nudges: NudgesService) {}

  @Post(':id/nudge')
  @HttpCode(202)
  @ApiOperation({
    summary: '催办（督导室）：立即提醒责任单位，可附留言；同一任务 10 分钟内只能催办一次（429）',
  })
  @ApiAcceptedResponse({ type: NudgeResultDto })
  nudge(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) id: string,
    @Body() body: NudgeDto,
  ): Promise<NudgeResult> {
    return this.nudges.nudge(actor, id, body?.note ?? null);
  }
}
