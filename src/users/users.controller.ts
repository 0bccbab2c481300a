import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import { type Actor, ROLES, type Role } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { PageQueryDto } from '../common/paging.js';
import { UsersService } from './users.service.js';

export class CreateUserDto {
  @ApiProperty({ example: 'xck@example.org' })
  @IsString({ message: '须为字符串' })
  @MaxLength(320, { message: '过长' })
  email!: string;

  @ApiProperty({ example: '张三' })
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(100, { message: '不超过 100 字' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `须为 ${ROLES.join('、')} 之一` })
  role!: Role;

  @ApiPropertyOptional({ description: '所属责任单位（科室负责人、联络员必填）' })
  @IsOptional()
  @IsUUID('all', { message: '须为单位 id' })
  unitId?: string;

  @ApiPropertyOptional({ description: '初始密码，至少 10 位' })
  @IsOptional()
  @IsString({ message: '须为字符串' })
  @MaxLength(1024, { message: '过长' })
  password?: string;
}

@ApiTags('用户')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly authorizer: Authorizer,
  ) {}

  @Post()
  @ApiOperation({ summary: '创建用户（管理员）' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto) {
    this.authorizer.require(actor, 'user.manage');
    return this.users.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: '用户列表' })
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto) {
    this.authorizer.require(actor, 'user.read');
    return this.users.list(q.page, q.pageSize);
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', new EntityIdPipe('用户')) id: string) {
    if (actor.userId !== id) this.authorizer.require(actor, 'user.read');
    return this.users.get(id);
  }
}
