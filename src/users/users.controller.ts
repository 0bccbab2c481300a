import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor, InteractiveOnly } from '../auth/auth.guard.js';
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

  @ApiPropertyOptional({
    description: '初始密码：至少 10 位，不能是常见密码、重复或顺序字符，不能包含邮箱名或姓名',
  })
  @IsOptional()
  @IsString({ message: '须为字符串' })
  @MaxLength(1024, { message: '过长' })
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: '张三' })
  @IsOptional()
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(100, { message: '不超过 100 字' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, description: '改变角色会结束该用户的所有登录' })
  @IsOptional()
  @IsIn(ROLES, { message: `须为 ${ROLES.join('、')} 之一` })
  role?: Role;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '所属责任单位；null 表示不属于任何单位（科室负责人、联络员必须有单位）',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: '须为单位 id 或 null' })
  unitId?: string | null;

  @ApiPropertyOptional({ description: 'false 停用账号：结束其所有登录并吊销其 API 令牌' })
  @IsOptional()
  @IsBoolean({ message: '须为 true 或 false' })
  active?: boolean;
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

  @Patch(':id')
  @InteractiveOnly()
  @ApiOperation({ summary: '修改用户的姓名、角色、单位或启用状态（管理员）' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('用户')) id: string,
    @Body() body: UpdateUserDto,
  ) {
    this.authorizer.require(actor, 'user.manage', {}, { type: 'user', id });
    return this.users.update(actor, id, body);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @InteractiveOnly()
  @ApiOperation({
    summary: '重置密码（管理员）：返回只显示一次的临时密码，用户下次登录须先修改',
  })
  async resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('用户')) id: string,
  ) {
    this.authorizer.require(actor, 'user.manage', {}, { type: 'user', id });
    return this.users.resetPassword(actor, id);
  }

  @Post(':id/unlock')
  @HttpCode(204)
  @ApiOperation({ summary: '解除登录限制（管理员）：该账号可立即在任何地址重新登录' })
  async unlock(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('用户')) id: string,
  ): Promise<void> {
    this.authorizer.require(actor, 'user.manage', {}, { type: 'user', id });
    await this.users.unlock(actor, id);
  }
}
