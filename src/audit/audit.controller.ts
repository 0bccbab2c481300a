import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { AuditService } from './audit.service.js';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: '对象类型，如 task、submission、user' })
  @IsOptional()
  @IsString({ message: '须为字符串' })
  @MaxLength(50, { message: '不超过 50 个字符' })
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '须为字符串' })
  @MaxLength(100, { message: '不超过 100 个字符' })
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: '须为用户 id' })
  actorId?: string;

  @ApiPropertyOptional({ description: '起始时间（含），ISO-8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间' })
  from?: Date;

  @ApiPropertyOptional({ description: '截止时间（不含），ISO-8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '须为 ISO-8601 时间' })
  to?: Date;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '须为正整数' })
  @Min(1, { message: '须为正整数' })
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '须为 1–200 的整数' })
  @Min(1, { message: '须为 1–200 的整数' })
  @Max(200, { message: '须为 1–200 的整数' })
  pageSize: number = 50;
}

@ApiTags('留痕')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({ summary: '操作记录（只读）：按对象、操作人、时间筛选' })
  async list(@CurrentActor() actor: Actor, @Query() q: AuditQueryDto) {
    this.authorizer.require(actor, 'audit.read');
    return this.audit.list(q);
  }
}
