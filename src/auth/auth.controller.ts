import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { InvalidInputException } from '../common/errors.js';
import { EntityIdPipe } from '../common/validation.js';
import {
  BeforePasswordChange,
  ClientIp,
  CurrentActor,
  CurrentCredential,
  InteractiveOnly,
  Public,
  UserAgent,
} from './auth.guard.js';
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_MAX_DAYS,
  API_TOKEN_SCOPES,
  type ApiTokenScope,
  AuthService,
  type Credential,
} from './auth.service.js';
import type { Actor } from './permissions.js';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(320, { message: '过长' })
  email!: string;

  @ApiProperty()
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(1024, { message: '过长' })
  password!: string;
}

export class CreateTokenDto {
  @ApiProperty({ example: 'OA 系统对接' })
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(100, { message: '不超过 100 字' })
  name!: string;

  @ApiPropertyOptional({
    default: API_TOKEN_DEFAULT_DAYS,
    minimum: 1,
    maximum: API_TOKEN_MAX_DAYS,
    description: '有效天数',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `须为 1–${API_TOKEN_MAX_DAYS} 的整数` })
  @Min(1, { message: `须为 1–${API_TOKEN_MAX_DAYS} 的整数` })
  @Max(API_TOKEN_MAX_DAYS, { message: `须为 1–${API_TOKEN_MAX_DAYS} 的整数` })
  expiresInDays?: number;

  @ApiPropertyOptional({
    enum: API_TOKEN_SCOPES,
    isArray: true,
    default: ['read'],
    description: 'read：只能读取（GET）；write：读取和修改',
  })
  @IsOptional()
  @IsArray({ message: `须为 ${API_TOKEN_SCOPES.join('、')} 组成的数组` })
  @ArrayMinSize(1, { message: '至少一项' })
  @ArrayMaxSize(API_TOKEN_SCOPES.length, { message: '重复' })
  @IsIn(API_TOKEN_SCOPES, { each: true, message: `须为 ${API_TOKEN_SCOPES.join('、')} 之一` })
  scopes?: ApiTokenScope[];
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(1024, { message: '过长' })
  currentPassword!: string;

  @ApiProperty({ description: '至少 10 位；不能是常见密码、重复或顺序字符，不能包含邮箱名或姓名' })
  @IsString({ message: '须为字符串' })
  @IsNotEmpty({ message: '不能为空' })
  @MaxLength(1024, { message: '过长' })
  newPassword!: string;
}

@ApiTags('登录')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: '登录，返回 JWT（含过期时间）',
    description:
      '同一账号在同一地址连续失败 5 次后须等待，等待时间逐次加倍（1 分钟起，最长 1 小时）；' +
      '同一地址对所有账号的失败过多时也会暂停。被拒绝时返回 429 和 Retry-After。' +
      'mustChangePassword 为 true 时须先修改密码。',
  })
  login(
    @Body() body: LoginDto,
    @ClientIp() ip: string | null,
    @UserAgent() userAgent: string | null,
  ) {
    return this.auth.login(body.email, body.password, ip, userAgent);
  }

  @Get('me')
  @BeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户' })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Post('logout')
  @HttpCode(204)
  @InteractiveOnly()
  @BeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录（只结束本次登录）' })
  async logout(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @ClientIp() ip: string | null,
  ): Promise<void> {
    if (credential.kind === 'session') await this.auth.logout(actor, credential.sessionId, ip);
  }

  @Post('logout-all')
  @HttpCode(200)
  @InteractiveOnly()
  @BeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: '在所有设备上退出登录' })
  async logoutAll(
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string | null,
  ): Promise<{ endedSessions: number }> {
    return { endedSessions: await this.auth.logoutEverywhere(actor, ip) };
  }

  @Post('password')
  @HttpCode(200)
  @InteractiveOnly()
  @BeforePasswordChange()
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改自己的密码（其他设备上的登录随之结束）' })
  changePassword(
    @CurrentActor() actor: Actor,
    @CurrentCredential() credential: Credential,
    @Body() body: ChangePasswordDto,
    @ClientIp() ip: string | null,
    @UserAgent() userAgent: string | null,
  ) {
    return this.auth.changePassword(
      actor,
      credential,
      body.currentPassword,
      body.newPassword,
      ip,
      userAgent,
    );
  }

  @Get('tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: '我的 API 令牌（不含令牌本身）' })
  listTokens(@CurrentActor() actor: Actor) {
    return this.auth.listApiTokens(actor);
  }

  @Post('tokens')
  @InteractiveOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: '为系统对接创建 API 令牌（只显示一次）',
    description: `默认有效 ${API_TOKEN_DEFAULT_DAYS} 天、最长 ${API_TOKEN_MAX_DAYS} 天，默认只读；每人每小时最多 10 个。`,
  })
  createToken(@CurrentActor() actor: Actor, @Body() body: CreateTokenDto) {
    if (body.scopes && new Set(body.scopes).size !== body.scopes.length) {
      throw new InvalidInputException('scopes 不能重复', [
        { field: 'scopes', message: '不能重复' },
      ]);
    }
    return this.auth.createApiToken(actor, body);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @InteractiveOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: '吊销 API 令牌' })
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('API 令牌')) id: string,
  ): Promise<void> {
    await this.auth.revokeApiToken(actor, id);
  }
}
