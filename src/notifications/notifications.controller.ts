import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { NotFoundError } from '../common/errors.js';
import { PageQueryDto } from '../common/paging.js';
import { EntityIdPipe } from '../common/validation.js';
import { DeliveryService } from './delivery.service.js';
import { InboxService } from './inbox.service.js';
import { LedgerService } from './ledger.service.js';

const asBoolean = ({ value }: { value: unknown }) => value === 'true' || value === true;

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true = 只看未读' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  unread?: boolean;
}

export const LEDGER_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

export class LedgerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '消息类型，例如 reminder、nudge、submission.returned' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  kind?: string;

  @ApiPropertyOptional({ enum: ['email', 'inbox', 'webhook'] })
  @IsOptional()
  @IsIn(['email', 'inbox', 'webhook'], { message: '须为 email、inbox 或 webhook' })
  channel?: string;

  @ApiPropertyOptional({ enum: LEDGER_STATUSES })
  @IsOptional()
  @IsIn(LEDGER_STATUSES, { message: `须为 ${LEDGER_STATUSES.join('、')} 之一` })
  status?: string;

  @ApiPropertyOptional({ description: '只看某个任务的消息' })
  @IsOptional()
  @IsUUID('all', { message: '须为任务 id' })
  taskId?: string;

  @ApiPropertyOptional({ description: '收件地址' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  recipient?: string;

  @ApiPropertyOptional({ description: '起（含），ISO-8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间' })
  from?: Date;

  @ApiPropertyOptional({ description: '止（不含），ISO-8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间' })
  to?: Date;

  @ApiPropertyOptional({ description: 'true = 只看已放弃自动重试的失败消息（死信）' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  deadLetter?: boolean;
}

@ApiTags('通知')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly inbox: InboxService,
    private readonly ledger: LedgerService,
    private readonly delivery: DeliveryService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({ summary: '我的站内通知（只能看自己的），含未读数' })
  list(@CurrentActor() actor: Actor, @Query() q: InboxQueryDto) {
    return this.inbox.list(actor, q.page, q.pageSize, q.unread ?? false);
  }

  @Post('read-all')
  @ApiOperation({ summary: '全部标记为已读' })
  async readAll(@CurrentActor() actor: Actor): Promise<{ marked: number }> {
    return { marked: await this.inbox.markAllRead(actor) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: '标记为已读' })
  async read(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('通知')) id: string,
  ): Promise<void> {
    await this.inbox.markRead(actor, id);
  }

  @Get('ledger')
  @ApiOperation({
    summary:
      '发送台账（督导室、管理员）：每条消息的类型、收件人、渠道、状态（及原因）、尝试次数、时间',
  })
  ledgerPage(@CurrentActor() actor: Actor, @Query() q: LedgerQueryDto) {
    this.authorizer.require(actor, 'delivery.read');
    return this.ledger.page(q, q);
  }

  @Post('ledger/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: '重新发送一条失败的消息（含已放弃自动重试的死信）' })
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('消息')) id: string,
  ): Promise<{ id: string; queued: true }> {
    this.authorizer.require(actor, 'delivery.retry');
    if (!(await this.delivery.retry(id))) {
      throw new NotFoundError(`消息 ${id} 不存在或不是发送失败的状态`);
    }
    return { id, queued: true };
  }
}
