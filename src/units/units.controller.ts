import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, ValidateIf } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import { type Actor, can } from '../auth/permissions.js';
import { PageQueryDto } from '../common/paging.js';
import { EntityIdPipe } from '../common/validation.js';
import type { Unit } from './unit.entity.js';
import { UnitsService } from './units.service.js';

export class UpdateUnitDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: '接收提醒的联系邮箱；null 表示清除',
    example: 'xck@example.org',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: '须为邮箱地址或 null' })
  email!: string | null;
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
  @ApiOperation({ summary: '设置责任单位的联系邮箱' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('责任单位')) id: string,
    @Body() body: UpdateUnitDto,
  ): Promise<Unit> {
    this.authorizer.require(actor, 'unit.update');
    return this.units.setEmail(actor, id, body.email);
  }
}
