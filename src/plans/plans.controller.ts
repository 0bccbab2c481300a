import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Put,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import type { Response } from 'express';
import { InvalidInputException } from '../common/errors.js';
import { EntityIdPipe } from '../common/validation.js';
import { PageQueryDto } from '../common/paging.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';
import { RequirePermission } from '../http/permission.guard.js';
import { RateLimit } from '../http/rate-limit.guard.js';
import { PLAN_DOCUMENT_LIMITS } from '../plan-document/index.js';
import { type ImportPreview, PlansService, type ImportResult } from './plans.service.js';
import {
  PlanRevisionsService,
  type ImportPreviewWithRevision,
  type RevisionResult,
} from './plan-revisions.service.js';

export const MAX_PLAN_FILE_BYTES = PLAN_DOCUMENT_LIMITS.maxFileBytes;

export class ReminderPolicyDto {
  @ApiProperty({
    type: [String],
    description:
      'ISO-8601 时长：只含天/周的按工作日计（-P7D = 截止前 7 个工作日，于 sendAt 发送）；只含时分秒的为距截止时间的精确偏移（-PT5S）',
    example: ['-P7D', '-P1D', 'P0D'],
  })
  offsets!: string[];

  @ApiProperty({
    required: false,
    example: '09:00',
    description: '按工作日计的提醒在业务时区的发送时刻',
  })
  sendAt?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({
    description:
      'true = 只解析并返回导入后将创建的内容（板块、条目、责任单位、截止日期、警告），不做任何更改',
  })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean({ message: '须为 true 或 false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    description:
      'true = 文号已存在而内容不同时，作为该计划的修订稿导入（先用 dryRun=true 查看差异）；文号不存在时照常导入',
  })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean({ message: '须为 true 或 false' })
  revise?: boolean;

  @ApiPropertyOptional({ description: '修订将删除超过一半（或全部）要点时，须为 true 才会执行' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean({ message: '须为 true 或 false' })
  confirmRemoval?: boolean;
}

@ApiTags('工作要点')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly authorizer: Authorizer,
    private readonly revisions: PlanRevisionsService,
  ) {}

  @Post('import')
  @RequirePermission('plan.import')
  @RateLimit({ name: 'plan.import', max: 60, windowSeconds: 3600 })
  @ApiOperation({
    summary: '导入工作要点文档（.txt 或 .docx）；同一文档重复导入不做任何更改',
    description:
      '无法读取或不是工作要点的文档返回 400；超过大小、压缩包文件数、解压后大小、解析时间或内存上限的文档返回 413，message 说明超出的上限',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_PLAN_FILE_BYTES, files: 1 } }))
  async import(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined,
    @Res({ passthrough: true }) res: Response,
    @Query() query: ImportQueryDto,
  ): Promise<ImportResult | ImportPreview | ImportPreviewWithRevision | RevisionResult> {
    if (!file) {
      throw new InvalidInputException('请以 multipart/form-data 上传字段名为 file 的文档', [
        { field: 'file', message: '缺少文件' },
      ]);
    }
    // multer decodes the file name as latin1; browsers send UTF-8.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    if (query.dryRun) {
      res.status(200);
      // A different document under an existing 文号 also shows the revision it would make.
      return this.revisions.previewImport(name, file.buffer);
    }
    if (query.revise) {
      const revised = await this.revisions.importOrRevise(name, file.buffer, actor, {
        confirmRemoval: query.confirmRemoval,
      });
      res.status(('applied' in revised ? revised.applied : revised.created) ? 201 : 200);
      return revised;
    }
    const result = await this.plans.importDocument(name, file.buffer, actor);
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Get()
  @ApiOperation({ summary: '已导入的工作要点' })
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto) {
    this.authorizer.require(actor, 'plan.read');
    return this.plans.list(q.page, q.pageSize);
  }

  @Get(':id')
  @ApiOperation({ summary: '工作要点及其板块、条目' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
  ): Promise<unknown> {
    this.authorizer.require(actor, 'plan.read');
    return this.plans.get(id);
  }

  @Put(':id/policy')
  @ApiOperation({ summary: '设置计划的提醒策略，并重排其未完成任务的提醒' })
  @ApiBody({ type: ReminderPolicyDto })
  async setPolicy(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @Body() body: unknown,
  ): Promise<ReminderPolicy> {
    this.authorizer.require(actor, 'plan.policy');
    return this.plans.setPolicy(id, body, actor);
  }
}
