import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { PERSONAL_CHANNELS } from './message-kinds.js';
import { PreferencesService } from './preferences.service.js';
import { UnitWebhooksService } from './unit-webhooks.service.js';
import { WEBHOOK_KINDS } from './webhook-format.js';

export class CreateWebhookDto {
  @ApiProperty({
    enum: WEBHOOK_KINDS,
    description: 'wecom = 企业微信群机器人，dingtalk = 钉钉群机器人',
  })
  @IsIn(WEBHOOK_KINDS, { message: `须为 ${WEBHOOK_KINDS.join('、')} 之一` })
  kind!: string;

  @ApiProperty({ description: '机器人的 Webhook 地址（保密，之后只显示部分）' })
  @IsString({ message: '须为地址' })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ description: '钉钉机器人“加签”的密钥（SEC 开头）' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  secret?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  secret?: string | null;
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: '须为 true 或 false' })
  enabled?: boolean;
}

export class PreferenceDto {
  @ApiProperty({ example: 'reminder' }) @IsString() @MaxLength(64) kind!: string;
  @ApiProperty({ enum: PERSONAL_CHANNELS })
  @IsIn(PERSONAL_CHANNELS, { message: '须为 email 或 inbox' })
  channel!: string;
  @ApiProperty() @IsBoolean({ message: '须为 true 或 false' }) enabled!: boolean;
}

export class PreferencesDto {
  @ApiProperty({ type: [PreferenceDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences!: PreferenceDto[];
}

@ApiTags('通知')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(
    private readonly webhooks: UnitWebhooksService,
    private readonly preferences: PreferencesService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get('units/:id/webhooks')
  @ApiOperation({ summary: '责任单位的群机器人（企业微信、钉钉），地址只显示部分' })
  webhooksOf(@CurrentActor() actor: Actor, @Param('id', new EntityIdPipe('责任单位')) id: string) {
    this.authorizer.require(actor, 'unit.update');
    return this.webhooks.list(id);
  }

  @Post('units/:id/webhooks')
  @ApiOperation({ summary: '为责任单位添加群机器人：发给该单位的消息也发到群里' })
  addWebhook(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('责任单位')) id: string,
    @Body() body: CreateWebhookDto,
  ) {
    this.authorizer.require(actor, 'unit.update');
    return this.webhooks.create(actor, id, body);
  }

  @Patch('webhooks/:id')
  @ApiOperation({ summary: '修改群机器人（地址、密钥、启用）' })
  updateWebhook(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('群机器人')) id: string,
    @Body() body: UpdateWebhookDto,
  ) {
    this.authorizer.require(actor, 'unit.update');
    return this.webhooks.update(actor, id, body);
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除群机器人' })
  async removeWebhook(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('群机器人')) id: string,
  ): Promise<void> {
    this.authorizer.require(actor, 'unit.update');
    await this.webhooks.remove(actor, id);
  }

  @Post('webhooks/:id/test')
  @HttpCode(200)
  @ApiOperation({ summary: '向群机器人发一条测试消息' })
  testWebhook(@CurrentActor() actor: Actor, @Param('id', new EntityIdPipe('群机器人')) id: string) {
    this.authorizer.require(actor, 'unit.update');
    return this.webhooks.test(id);
  }

  @Get('me/notification-preferences')
  @ApiOperation({ summary: '我接收哪些消息、通过哪些渠道（红牌督办不能关闭）' })
  myPreferences(@CurrentActor() actor: Actor) {
    return this.preferences.list(actor);
  }

  @Put('me/notification-preferences')
  @ApiOperation({ summary: '设置我接收哪些消息、通过哪些渠道' })
  setPreferences(@CurrentActor() actor: Actor, @Body() body: PreferencesDto) {
    return this.preferences.update(actor, body.preferences);
  }
}
