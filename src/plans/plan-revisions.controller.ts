import {
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
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
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import type { Response } from 'express';
import { Authorizer } from '../auth/authorizer.service.js';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException } from '../common/errors.js';
import { EntityIdPipe } from '../common/validation.js';
import { RequirePermission } from '../http/permission.guard.js';
import { RateLimit } from '../http/rate-limit.guard.js';
import { PLAN_DOCUMENT_LIMITS } from '../plan-document/index.js';
import {
  PlanRevisionsService,
  type RevisionPreview,
  type RevisionResult,
  type VersionView,
} from './plan-revisions.service.js';
import type { StoredVersion } from './plan-revisions.repository.js';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class RevisionQueryDto {
  @ApiPropertyOptional({ description: 'true = 只返回修订将带来的变化（差异），不做任何更改' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '须为 true 或 false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    description: '修订将删除超过一半（或全部）要点时，须为 true 才会执行',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '须为 true 或 false' })
  confirmRemoval?: boolean;

  @ApiPropertyOptional({
    description: '预览所基于的版本号；计划已被他人修订为更新的版本时返回 409',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: '须为正整数' })
  @Min(1, { message: '须为正整数' })
  baseVersion?: number;
}

/** Multer decodes the file name as latin1; browsers send UTF-8. */
export function uploadedName(file: { originalname: string }): string {
  return Buffer.from(file.originalname, 'latin1').toString('utf8');
}

export function requireFile<T>(file: T | undefined): T {
  if (!file) {
    throw new InvalidInputException('请以 multipart/form-data 上传字段名为 file 的文档', [
      { field: 'file', message: '缺少文件' },
    ]);
  }
  return file;
}

@ApiTags('工作要点')
@ApiBearerAuth()
@Controller('plans')
export class PlanRevisionsController {
  constructor(
    private readonly revisions: PlanRevisionsService,
    private readonly authorizer: Authorizer,
  ) {}

  @Post(':id/revisions')
  @RequirePermission('plan.import')
  @RateLimit({ name: 'plan.import', max: 60, windowSeconds: 3600 })
  @ApiOperation({
    summary: '以修订稿（调整稿）修订工作要点；dryRun=true 只返回差异',
    description:
      '条目先按完全相同的文字、再按板块+编号、再按文字相似度与当前版本对应；新增条目建任务，删除条目或责任单位的任务撤销（进展报告保留），截止日期调整的任务重排提醒，每项变化记入审计，受影响的责任单位各收到一条通知。删除超过一半（或全部）要点须 confirmRemoval=true，否则 400',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: PLAN_DOCUMENT_LIMITS.maxFileBytes, files: 1 } }),
  )
  async revise(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @UploadedFile() upload: { originalname: string; buffer: Buffer } | undefined,
    @Res({ passthrough: true }) res: Response,
    @Query() query: RevisionQueryDto,
  ): Promise<RevisionPreview | RevisionResult> {
    const file = requireFile(upload);
    const name = uploadedName(file);
    if (query.dryRun) {
      res.status(200);
      return this.revisions.preview(id, name, file.buffer);
    }
    const result = await this.revisions.revise(id, name, file.buffer, actor, {
      confirmRemoval: query.confirmRemoval,
      baseVersion: query.baseVersion,
    });
    res.status(result.applied ? 201 : 200);
    return result;
  }

  @Get(':id/versions')
  @ApiOperation({ summary: '工作要点的各版本（最新在前）：来源文件、哈希、修订人、时间、变化摘要' })
  async versions(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
  ): Promise<VersionView[]> {
    this.authorizer.require(actor, 'plan.read');
    return this.revisions.versions(id);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: '工作要点某一版本的内容及其相对上一版的差异' })
  async version(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @Param(
      'version',
      new ParseIntPipe({
        exceptionFactory: () => new InvalidInputException('版本号须为正整数'),
      }),
    )
    version: number,
  ): Promise<StoredVersion> {
    this.authorizer.require(actor, 'plan.read');
    return this.revisions.version(id, version);
  }
}
