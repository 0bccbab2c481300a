import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, IsUUID, ValidateIf } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import { type Actor, can } from '../auth/permissions.js';
import { PageQueryDto } from '../common/paging.js';
import { EntityIdPipe } from '../common/validation.js';
import type { Unit } from './unit.entity.js';
import { UnitsService } from './units.service.js';

export class UpdateUnitDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '接收提醒的联系邮箱；null 表示清除；不给则不变',
    example: 'xck@example.org',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsString({ message: '须为邮箱地址或 null' })
  email?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '分管局领导（局领导账号 id），红牌督办发给他；null 表示清除；不给则不变',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID('all', { message: '须为局领导账号 id 或 null' })
  leaderId?: string | null;
}

@ApiTags('责任单位')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly authorizer: Authorizer,
  ) {}

  @Get()
  @ApiOperation({
    summary: '责任单位列表',
    description: '科室负责人和联络员只看得到本单位的联系邮箱，其他单位不含 email 字段',
  })
  async list(
    @CurrentActor() actor: Actor,
    @Query() q: PageQueryDto,
  ): Promise<{
    items: (Unit | Omit<Unit, 'email'>)[];
    total: number;
    page: number;
    pageSize: number;
  }> {
    const page = await this.units.list(q.page, q.pageSize);
    return {
      ...page,
      items: page.items.map((unit) => {
        if (can(actor, 'unit.contact.read', { unitId: unit.id })) return unit;
        const { email: _hidden, ...rest } = unit;
        return rest;
      }),
    };
  }

  @Patch(':id')
  @ApiOperation({ summary: '设置责任单位的联系邮箱和分管局领导' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('责任单位')) id: string,
    @Body() body: UpdateUnitDto,
  ): Promise<Unit> {
    this.authorizer.require(actor, 'unit.update');
    return this.units.update(actor, id, { email: body.email, leaderId: body.leaderId });
  }
}
