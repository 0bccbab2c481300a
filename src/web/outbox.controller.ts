import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth.guard.js';
import { ForbiddenError } from '../auth/authorizer.service.js';
import type { Actor } from '../auth/permissions.js';
import { PageQueryDto } from '../common/paging.js';
import { OutboxService } from './outbox.service.js';

class OutboxEntryDto {
  @ApiProperty({ description: '文件名（.eml）' }) name!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) date!: string | null;
  @ApiProperty() sizeBytes!: number;
}

class OutboxPageDto {
  @ApiProperty({ type: [OutboxEntryDto] }) items!: OutboxEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

class OutboxAttachmentDto {
  @ApiProperty({ nullable: true, type: String }) fileName!: string | null;
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
}

class OutboxMessageDto extends OutboxEntryDto {
  @ApiProperty() from!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) text!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '邮件的 HTML 正文，原样返回：只可在沙箱中显示，不可插入页面',
  })
  html!: string | null;
  @ApiProperty({ type: [OutboxAttachmentDto] }) attachments!: OutboxAttachmentDto[];
}

/** Who may read every message the installation wrote: they see the whole bureau's mail. */
function requireMailReader(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'supervisor') {
    throw new ForbiddenError('只有系统管理员和督导室可以查看发件箱');
  }
}

@ApiTags('发件箱（内置模式）')
@ApiBearerAuth()
@Controller('outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({
    summary: '未配置 SMTP_URL 时写入 DATA_DIR/outbox 的邮件（最新在前；管理员、督导室）',
  })
  @ApiOkResponse({ type: OutboxPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto) {
    requireMailReader(actor);
    return this.outbox.list(q.page, Math.min(q.pageSize, 100));
  }

  @Get(':name')
  @ApiOperation({ summary: '一封发件箱邮件的内容（已解析）' })
  @ApiOkResponse({ type: OutboxMessageDto })
  get(@CurrentActor() actor: Actor, @Param('name') name: string) {
    requireMailReader(actor);
    return this.outbox.get(name);
  }
}
