import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EntityIdPipe } from '../common/validation.js';
import { ClientIp, CurrentActor, Public } from './auth.guard.js';
import { AuthService } from './auth.service.js';
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
}

@ApiTags('登录')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，返回 JWT；连续失败会被限制' })
  login(@Body() body: LoginDto, @ClientIp() ip: string | null) {
    return this.auth.login(body.email, body.password, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录用户' })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Post('tokens')
  @ApiBearerAuth()
  @ApiOperation({ summary: '为系统对接创建 API 令牌（只显示一次）' })
  createToken(@CurrentActor() actor: Actor, @Body() body: CreateTokenDto) {
    return this.auth.createApiToken(actor, body.name);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '吊销 API 令牌' })
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('API 令牌')) id: string,
  ): Promise<void> {
    await this.auth.revokeApiToken(actor, id);
  }
}
