import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { PageQueryDto } from '../units/units.controller.js';
import { NotificationsService } from './notifications.service.js';

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true = 只看未读' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  unread?: boolean;
}

@ApiTags('通知')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: '我的站内通知（只能看自己的）' })
  inbox(@CurrentActor() actor: Actor, @Query() q: InboxQueryDto) {
    return this.notifications.inbox(actor, q.page, q.pageSize, q.unread ?? false);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: '标记为已读' })
  async read(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('通知')) id: string,
  ): Promise<void> {
    await this.notifications.markRead(actor, id);
  }
}
