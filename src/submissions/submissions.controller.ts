import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe } from '../common/validation.js';
import { RequirePermission } from '../http/permission.guard.js';
import { RateLimit } from '../http/rate-limit.guard.js';
import { TASK_STATUSES } from '../tasks/task-state.js';
import type { Page } from '../common/paging.js';
import { PageQueryDto } from '../common/paging.js';
import {
  ALLOWED_EXTENSIONS_TEXT,
  contentDisposition,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
} from './attachment-rules.js';
import {
  ATTACHMENTS_FIELD,
  AttachmentUploadInterceptor,
  type ReceivedAttachment,
} from './attachment-upload.js';
import { BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, SUBMISSION_STATUSES } from './submission-rules.js';
import {
  SubmissionsService,
  type SubmissionOutcome,
  type SubmissionView,
} from './submissions.service.js';

export class SubmitReportDto {
  @ApiProperty({ description: '进展报告正文', minLength: 1, maxLength: BODY_MAX_LENGTH })
  @IsString({ message: '须为文字' })
  @Matches(/\S/, { message: '不能为空' })
  @Length(1, BODY_MAX_LENGTH, { message: `须为 1–${BODY_MAX_LENGTH} 字` })
  body!: string;

  @ApiPropertyOptional({ description: '乐观锁：调用方看到的任务版本号；不一致时返回 409' })
  @IsOptional()
  // Form fields arrive as text.
  @Type(() => Number)
  @IsInt({ message: '须为整数' })
  version?: number;
}

export class ApproveDto {
  @ApiPropertyOptional({ description: '审核意见（可选）', maxLength: COMMENT_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(COMMENT_MAX_LENGTH, { message: `不能超过 ${COMMENT_MAX_LENGTH} 字` })
  comment?: string;

  @ApiPropertyOptional({ description: '乐观锁：调用方看到的报告版本号；不一致时返回 409' })
  @IsOptional()
  @IsInt({ message: '须为整数' })
  version?: number;
}

export class ReturnDto {
  @ApiProperty({ description: '审核意见：退回的理由和修改要求', maxLength: COMMENT_MAX_LENGTH })
  @IsString({ message: '退回时必填，须为文字' })
  @Matches(/\S/, { message: '退回时必填' })
  @MaxLength(COMMENT_MAX_LENGTH, { message: `不能超过 ${COMMENT_MAX_LENGTH} 字` })
  comment!: string;

  @ApiPropertyOptional({ description: '乐观锁：调用方看到的报告版本号；不一致时返回 409' })
  @IsOptional()
  @IsInt({ message: '须为整数' })
  version?: number;
}

class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class AttachmentViewDto {
  @ApiProperty({ description: '下载：GET /api/v1/attachments/{id}' }) id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: '内容的 SHA-256（十六进制）' }) sha256!: string;
}

export class SubmissionViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ description: '第几次报送（退回后重报为新的一次，旧记录保留）' }) number!: number;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: SUBMISSION_STATUSES }) status!: string;
  @ApiProperty({ type: PersonRefDto }) submittedBy!: PersonRefDto;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: PersonRefDto, nullable: true }) decidedBy!: PersonRefDto | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment!: string | null;
  @ApiProperty({ description: '报告版本号（审核时用于乐观锁）' }) version!: number;
  @ApiProperty({ type: [AttachmentViewDto] }) attachments!: AttachmentViewDto[];
}

class TaskRefDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() version!: number;
}

export class SubmissionOutcomeDto extends SubmissionViewDto {
  @ApiProperty({ type: TaskRefDto, description: '变更后的任务状态' }) task!: TaskRefDto;
}

export class SubmissionPageDto {
  @ApiProperty({ type: [SubmissionViewDto] }) items!: SubmissionViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

const MB = Math.round(MAX_ATTACHMENT_BYTES / 1024 / 1024);

export class SubmissionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES, description: 'submitted = 待审核（审核队列）' })
  @IsOptional()
  @IsIn(SUBMISSION_STATUSES, { message: `须为 ${SUBMISSION_STATUSES.join('、')} 之一` })
  status?: (typeof SUBMISSION_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: '须为工作要点 id' })
  planId?: string;

  @ApiPropertyOptional({ description: '责任单位 id' })
  @IsOptional()
  @IsUUID('all', { message: '须为责任单位 id' })
  unitId?: string;

  @ApiPropertyOptional({ enum: ['oldest', 'newest'], default: 'oldest' })
  @IsOptional()
  @IsIn(['oldest', 'newest'], { message: '须为 oldest 或 newest' })
  order?: 'oldest' | 'newest';
}

class TaskSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() item!: { number: number; title: string };
  @ApiProperty() unit!: { id: string; name: string };
  @ApiProperty({ enum: ['lead', 'co'] }) role!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() dueAt!: string;
}

export class QueuedSubmissionDto extends SubmissionViewDto {
  @ApiProperty({ type: TaskSummaryDto }) task!: TaskSummaryDto;
}

export class QueuedSubmissionPageDto {
  @ApiProperty({ type: [QueuedSubmissionDto] }) items!: QueuedSubmissionDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

@ApiTags('进展报告')
@ApiBearerAuth()
@ApiExtraModels(SubmitReportDto)
@Controller()
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post('tasks/:id/submissions')
  @HttpCode(201)
  @RequirePermission('task.submit', { taskParam: 'id' })
  @RateLimit({ name: 'report.submit', max: 120, windowSeconds: 3600 })
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({
    summary: `报送进展（本单位）：multipart/form-data（字段 body，附件字段 ${ATTACHMENTS_FIELD} 最多 ${MAX_ATTACHMENTS} 个，每个不超过 ${MB} MB，类型 ${ALLOWED_EXTENSIONS_TEXT}），或 JSON {"body": "…"}`,
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          properties: {
            body: { type: 'string', minLength: 1, maxLength: BODY_MAX_LENGTH },
            version: { type: 'integer' },
            [ATTACHMENTS_FIELD]: {
              type: 'array',
              maxItems: MAX_ATTACHMENTS,
              items: { type: 'string', format: 'binary' },
            },
          },
          required: ['body'],
        },
        { $ref: getSchemaPath(SubmitReportDto) },
      ],
    },
  })
  @ApiCreatedResponse({ type: SubmissionOutcomeDto })
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) taskId: string,
    @Body() body: SubmitReportDto,
    @Req() req: Request & { attachments?: ReceivedAttachment[] },
  ): Promise<SubmissionOutcome> {
    return this.submissions.submit(actor, taskId, body, req.attachments ?? []);
  }

  @Get('submissions')
  @ApiOperation({
    summary:
      '进展报告列表（跨任务）：status=submitted 即督导室的审核队列，默认最早报送的在前；科室用户只看到本单位的',
  })
  @ApiOkResponse({ type: QueuedSubmissionPageDto })
  listAll(@CurrentActor() actor: Actor, @Query() q: SubmissionQueryDto) {
    return this.submissions.listAll(actor, q);
  }

  @Get('tasks/:id/submissions')
  @ApiOperation({ summary: '任务的全部进展报告（每次报送一条，最新在前，分页），含附件与审核结果' })
  @ApiOkResponse({ type: SubmissionPageDto })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('任务')) taskId: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<SubmissionView>> {
    return this.submissions.listForTask(actor, taskId, q.page, q.pageSize);
  }

  @Post('submissions/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过（督导室）：任务办结，并通知责任单位' })
  @ApiOkResponse({ type: SubmissionOutcomeDto })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('进展报告')) id: string,
    @Body() body: ApproveDto | undefined,
  ): Promise<SubmissionOutcome> {
    return this.submissions.decide(actor, id, 'approve', body ?? {});
  }

  @Post('submissions/:id/reject')
  @HttpCode(200)
  @ApiOperation({
    summary: '退回（督导室，须填写意见）：任务回到“已退办”，单位须重新报送，并通知责任单位',
  })
  @ApiOkResponse({ type: SubmissionOutcomeDto })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('进展报告')) id: string,
    @Body() body: ReturnDto,
  ): Promise<SubmissionOutcome> {
    return this.submissions.decide(actor, id, 'return', body);
  }

  @Post('submissions/:id/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退回（同 reject）' })
  @ApiOkResponse({ type: SubmissionOutcomeDto })
  return(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('进展报告')) id: string,
    @Body() body: ReturnDto,
  ): Promise<SubmissionOutcome> {
    return this.submissions.decide(actor, id, 'return', body);
  }

  @Get('attachments/:id')
  @ApiOperation({ summary: '下载附件（可查看该任务进展报告的用户）' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('附件')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.submissions.openAttachment(actor, id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: contentDisposition(file.fileName),
      length: file.sizeBytes,
    });
  }
}
