import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Param,
  Patch,
  Post,
  Req,
  Res,
  StreamableFile,
  UseGuards,
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
import {
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentActor } from '../auth/auth.guard.js';
import { Authorizer } from '../auth/authorizer.service.js';
import type { Actor } from '../auth/permissions.js';
import { EntityIdPipe, IsCalendarDate } from '../common/validation.js';
import { RateLimit } from '../http/rate-limit.guard.js';
import {
  ALLOWED_EXTENSIONS_TEXT,
  contentDisposition,
  MAX_ATTACHMENTS,
} from '../submissions/attachment-rules.js';
import {
  ATTACHMENTS_FIELD,
  AttachmentUploadInterceptor,
  type ReceivedAttachment,
} from '../submissions/attachment-upload.js';
import { type CadenceView, CadencesService } from './cadences.service.js';
import { OUTCOME_LABELS } from './cycle-results.js';
import {
  BODY_MAX_LENGTH,
  CADENCE_KINDS,
  COMMENT_MAX_LENGTH,
  CYCLE_STATUSES,
  MAX_DUE_WORKDAYS,
  RATING_INPUTS,
  RATINGS,
  REPORT_STATUSES,
  TITLE_MAX_LENGTH,
} from './cycle-rules.js';
import { type CycleReportView, CyclesService, type CycleView } from './cycles.service.js';

class ScopeDto {
  @ApiProperty({
    enum: ['plan', 'sections', 'items'],
    description: 'plan = 全部要点；sections = 指定板块；items = 指定条目',
  })
  kind!: string;

  @ApiPropertyOptional({
    type: [String],
    description: '板块或条目 id（kind 为 sections/items 时）',
  })
  ids?: string[];
}

const REMINDERS_DESCRIPTION =
  '截止前提醒：ISO-8601 时长，按工作日计算、09:00 发送（如 -P2D 为截止前 2 个工作日，P0D 为截止当天）';

export class CreateCycleDto {
  @ApiPropertyOptional({ maxLength: TITLE_MAX_LENGTH, example: '2022年第一季度专项督导' })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(TITLE_MAX_LENGTH, { message: `不能超过 ${TITLE_MAX_LENGTH} 字` })
  title?: string;

  @ApiPropertyOptional({ type: ScopeDto, description: '督导范围，默认全部要点' })
  @IsOptional()
  @IsObject({ message: '须为对象 {"kind": …, "ids": […]}' })
  scope?: ScopeDto;

  @ApiPropertyOptional({ description: '开启日期 YYYY-MM-DD，默认今天；今天或更早则立即开启' })
  @IsOptional()
  @IsCalendarDate()
  opensOn?: string;

  @ApiProperty({ minimum: 0, maximum: MAX_DUE_WORKDAYS, description: '开启后几个工作日内报送' })
  @IsInt({ message: `须为 0–${MAX_DUE_WORKDAYS} 的整数` })
  dueWorkdays!: number;

  @ApiPropertyOptional({
    type: [String],
    description: REMINDERS_DESCRIPTION,
    example: ['-P2D', 'P0D'],
  })
  @IsOptional()
  @IsArray({ message: '须为数组' })
  @IsString({ each: true, message: '每一项须为 ISO-8601 时长文字' })
  reminders?: string[];
}

export class CreateCadenceDto extends CreateCycleDto {
  @ApiProperty({
    enum: CADENCE_KINDS,
    description: 'monthly = 每月；quarterly = 每季度；cron = 自定义',
  })
  @IsIn(CADENCE_KINDS, { message: `须为 ${CADENCE_KINDS.join('、')} 之一` })
  kind!: (typeof CADENCE_KINDS)[number];

  @ApiPropertyOptional({
    description: 'kind 为 cron 时：5 个字段（分 时 日 月 周），业务时区',
    example: '0 9 1 * *',
  })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(100, { message: '不能超过 100 字' })
  cron?: string;

  @ApiPropertyOptional({ description: '每月/每季度周期的开启时刻 HH:mm，默认 09:00' })
  @IsOptional()
  @IsString({ message: '须为文字' })
  openAt?: string;

  @ApiPropertyOptional({ description: '首个周期不早于此日期（YYYY-MM-DD），默认今天' })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;
}

export class UpdateCycleDto {
  @ApiPropertyOptional({ maxLength: TITLE_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @Matches(/\S/, { message: '不能为空' })
  @MaxLength(TITLE_MAX_LENGTH, { message: `不能超过 ${TITLE_MAX_LENGTH} 字` })
  title?: string;

  @ApiPropertyOptional({ type: [String], description: REMINDERS_DESCRIPTION })
  @IsOptional()
  @IsArray({ message: '须为数组' })
  @IsString({ each: true, message: '每一项须为 ISO-8601 时长文字' })
  reminders?: string[];
}

export class CycleReportDto {
  @ApiProperty({ description: '报送的任务 id（本单位、在本轮督导范围内）' })
  @IsUUID('all', { message: '须为任务 id' })
  taskId!: string;

  @ApiProperty({ minLength: 1, maxLength: BODY_MAX_LENGTH })
  @IsString({ message: '须为文字' })
  @Matches(/\S/, { message: '不能为空' })
  @Length(1, BODY_MAX_LENGTH, { message: `须为 1–${BODY_MAX_LENGTH} 字` })
  body!: string;
}

export class RateDto {
  @ApiProperty({ enum: RATING_INPUTS, description: '好/较好/一般/差（或 good/fair/average/poor）' })
  @IsIn(RATING_INPUTS, { message: '须为 好、较好、一般、差 之一（或 good、fair、average、poor）' })
  rating!: string;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '须为文字' })
  @MaxLength(COMMENT_MAX_LENGTH, { message: `不能超过 ${COMMENT_MAX_LENGTH} 字` })
  comment?: string;
}

export class ReturnCycleReportDto {
  @ApiProperty({ maxLength: COMMENT_MAX_LENGTH, description: '退回理由与修改要求' })
  @IsString({ message: '退回时必填，须为文字' })
  @Matches(/\S/, { message: '退回时必填' })
  @MaxLength(COMMENT_MAX_LENGTH, { message: `不能超过 ${COMMENT_MAX_LENGTH} 字` })
  comment!: string;
}

class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class CycleViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty({ nullable: true, type: String }) cadenceId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '周期标识，如 2022-Q2' })
  periodKey!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ enum: CYCLE_STATUSES }) status!: string;
  @ApiProperty() opensOn!: string;
  @ApiProperty() dueWorkdays!: number;
  @ApiProperty() dueOn!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ type: [String] }) reminders!: string[];
  @ApiProperty({ nullable: true, type: String }) openedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty() requestedTasks!: number;
  @ApiProperty() requestedUnits!: number;
}

class CurrentPeriodDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() opensOn!: string;
}

export class CadenceViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty({ enum: CADENCE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) cron!: string | null;
  @ApiProperty() openAt!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty() dueWorkdays!: number;
  @ApiProperty({ type: [String] }) reminders!: string[];
  @ApiProperty() startsOn!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: CurrentPeriodDto, nullable: true }) currentPeriod!: CurrentPeriodDto | null;
}

class AttachmentDto {
  @ApiProperty({ description: '下载：GET /api/v1/cycle-reports/{reportId}/attachments/{id}' })
  id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() sha256!: string;
}

class ItemRefDto {
  @ApiProperty() number!: number;
  @ApiProperty() title!: string;
}

export class CycleReportViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() cycleId!: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ type: ItemRefDto }) item!: ItemRefDto;
  @ApiProperty({ type: PersonRefDto }) unit!: PersonRefDto;
  @ApiProperty({ description: '第几次报送（退回后重报为新的一次）' }) number!: number;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: string;
  @ApiProperty({ enum: RATINGS, nullable: true, type: String }) rating!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '好/较好/一般/差' })
  ratingLabel!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ type: PersonRefDto }) submittedBy!: PersonRefDto;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ description: '是否在截止时间前报送' }) onTime!: boolean;
  @ApiProperty({ type: PersonRefDto, nullable: true }) decidedBy!: PersonRefDto | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [AttachmentDto] }) attachments!: AttachmentDto[];
}

class RatingCountsDto {
  @ApiProperty({ description: '好' }) good!: number;
  @ApiProperty({ description: '较好' }) fair!: number;
  @ApiProperty({ description: '一般' }) average!: number;
  @ApiProperty({ description: '差' }) poor!: number;
}

class TallyDto {
  @ApiProperty() requested!: number;
  @ApiProperty() onTime!: number;
  @ApiProperty() late!: number;
  @ApiProperty() missing!: number;
  @ApiProperty({ description: '未到截止、尚未报送' }) pending!: number;
  @ApiProperty({ type: RatingCountsDto }) ratings!: RatingCountsDto;
  @ApiProperty({ description: '已报送、尚未评价' }) unrated!: number;
}

class UnitResultDto extends TallyDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
}

class SectionResultDto extends TallyDto {
  @ApiProperty() sectionOrdinal!: number;
  @ApiProperty({ nullable: true, type: String }) sectionTitle!: string | null;
}

class RequestResultDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() sectionOrdinal!: number;
  @ApiProperty({ nullable: true, type: String }) sectionTitle!: string | null;
  @ApiProperty() itemNumber!: number;
  @ApiProperty() itemTitle!: string;
  @ApiProperty({ enum: ['lead', 'co'] }) role!: string;
  @ApiProperty({
    enum: Object.keys(OUTCOME_LABELS),
    description: Object.values(OUTCOME_LABELS).join('/'),
  })
  outcome!: string;
  @ApiProperty({ description: '报告被退回且尚未重报' }) returned!: boolean;
  @ApiProperty({ enum: RATINGS, nullable: true, type: String }) rating!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
}

export class CycleResultsDto {
  @ApiProperty({ type: CycleViewDto }) cycle!: CycleViewDto;
  @ApiProperty({ type: TallyDto }) totals!: TallyDto;
  @ApiProperty({ type: [UnitResultDto] }) units!: UnitResultDto[];
  @ApiProperty({ type: [SectionResultDto] }) sections!: SectionResultDto[];
  @ApiProperty({ type: [RequestResultDto] }) requests!: RequestResultDto[];
}

/**
 * Before a byte of the upload is read: only a unit's own people report to cycles. Which task they
 * may report on is checked by the service.
 */
@Injectable()
export class CycleReporterGuard implements CanActivate {
  constructor(private readonly authorizer: Authorizer) {}

  canActivate(context: ExecutionContext): boolean {
    const actor = context.switchToHttp().getRequest<Request & { actor?: Actor }>().actor!;
    this.authorizer.require(actor, 'cycle.report', { unitId: actor.unitId });
    return true;
  }
}

@ApiTags('督导周期')
@ApiBearerAuth()
@ApiExtraModels(CycleReportDto)
@Controller()
export class CyclesController {
  constructor(
    private readonly cycles: CyclesService,
    private readonly cadences: CadencesService,
  ) {}

  @Get('plans/:id/cycles')
  @ApiOperation({ summary: '工作要点的督导周期（最新在前）' })
  @ApiOkResponse({ type: [CycleViewDto] })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) planId: string,
  ): Promise<CycleView[]> {
    return this.cycles.list(actor, planId);
  }

  @Post('plans/:id/cycles')
  @HttpCode(201)
  @ApiOperation({
    summary:
      '创建一次督导（督导室）：范围、开启日期、截止（开启后工作日数）与截止前提醒；开启日期为今天或更早则立即开启，向范围内每个任务的责任单位发送报送通知',
  })
  @ApiCreatedResponse({ type: CycleViewDto })
  create(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) planId: string,
    @Body() body: CreateCycleDto,
  ): Promise<CycleView> {
    return this.cycles.create(actor, planId, body);
  }

  @Get('plans/:id/cycle-cadences')
  @ApiOperation({ summary: '工作要点的定期督导计划（每月、每季度或 cron）' })
  @ApiOkResponse({ type: [CadenceViewDto] })
  listCadences(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) planId: string,
  ): Promise<CadenceView[]> {
    return this.cadences.list(actor, planId);
  }

  @Post('plans/:id/cycle-cadences')
  @HttpCode(201)
  @ApiOperation({
    summary:
      '设置定期督导（督导室）：每月、每季度（首个工作日开启）或 cron；每个周期只开启一次，停机期间错过的周期在恢复后开启一次',
  })
  @ApiCreatedResponse({ type: CadenceViewDto })
  createCadence(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) planId: string,
    @Body() body: CreateCadenceDto,
  ): Promise<CadenceView> {
    return this.cadences.create(actor, planId, body);
  }

  @Post('cycle-cadences/:id/stop')
  @HttpCode(200)
  @ApiOperation({ summary: '停止定期督导（督导室）：不再开启新的周期，已开启的不受影响' })
  @ApiOkResponse({ type: CadenceViewDto })
  stopCadence(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期计划')) id: string,
  ): Promise<CadenceView> {
    return this.cadences.stop(actor, id);
  }

  @Get('cycles/:id')
  @ApiOperation({ summary: '督导周期详情' })
  @ApiOkResponse({ type: CycleViewDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
  ): Promise<CycleView> {
    return this.cycles.get(actor, id);
  }

  @Patch('cycles/:id')
  @ApiOperation({ summary: '修改督导周期的标题或提醒（督导室；已结束的周期不能修改，409）' })
  @ApiOkResponse({ type: CycleViewDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
    @Body() body: UpdateCycleDto,
  ): Promise<CycleView> {
    return this.cycles.update(actor, id, body);
  }

  @Post('cycles/:id/open')
  @HttpCode(200)
  @ApiOperation({ summary: '立即开启督导周期（督导室）：向范围内每个任务的责任单位发送报送通知' })
  @ApiOkResponse({ type: CycleViewDto })
  open(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
  ): Promise<CycleView> {
    return this.cycles.open(actor, id);
  }

  @Post('cycles/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '结束督导周期（督导室）：锁定，此后不能再报送、评价、退回或修改' })
  @ApiOkResponse({ type: CycleViewDto })
  close(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
  ): Promise<CycleView> {
    return this.cycles.close(actor, id);
  }

  @Get('cycles/:id/results')
  @ApiOperation({ summary: '督导结果：按单位、按板块统计按时、逾期、未报送与评价' })
  @ApiOkResponse({ type: CycleResultsDto })
  results(@CurrentActor() actor: Actor, @Param('id', new EntityIdPipe('督导周期')) id: string) {
    return this.cycles.results(actor, id);
  }

  @Get('cycles/:id/bulletin.docx')
  @ApiOperation({ summary: '督导通报草稿（Word .docx），供督导室编辑后印发' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async bulletinDocx(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.cycles.bulletin(actor, id, 'docx');
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.content as Buffer, {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      disposition: contentDisposition(file.fileName),
    });
  }

  @Get('cycles/:id/bulletin.html')
  @ApiOperation({ summary: '督导通报草稿（HTML 页面）' })
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' } })
  async bulletinHtml(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const file = await this.cycles.bulletin(actor, id, 'html');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return file.content as string;
  }

  @Get('cycles/:id/reports')
  @ApiOperation({ summary: '督导周期的报告（科室用户只看到本单位的）' })
  @ApiOkResponse({ type: [CycleReportViewDto] })
  reports(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
  ): Promise<CycleReportView[]> {
    return this.cycles.reports(actor, id);
  }

  @Post('cycles/:id/reports')
  @HttpCode(201)
  @UseGuards(CycleReporterGuard)
  @RateLimit({ name: 'cycle.report', max: 240, windowSeconds: 3600 })
  @UseInterceptors(AttachmentUploadInterceptor)
  @ApiOperation({
    summary: `向督导周期报送（本单位）：JSON {"taskId", "body"}，或 multipart/form-data（附件字段 ${ATTACHMENTS_FIELD} 最多 ${MAX_ATTACHMENTS} 个，类型 ${ALLOWED_EXTENSIONS_TEXT}）；周期结束后 409`,
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CycleReportDto) },
        {
          type: 'object',
          properties: {
            taskId: { type: 'string', format: 'uuid' },
            body: { type: 'string', minLength: 1, maxLength: BODY_MAX_LENGTH },
            [ATTACHMENTS_FIELD]: {
              type: 'array',
              maxItems: MAX_ATTACHMENTS,
              items: { type: 'string', format: 'binary' },
            },
          },
          required: ['taskId', 'body'],
        },
      ],
    },
  })
  @ApiCreatedResponse({ type: CycleReportViewDto })
  report(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导周期')) id: string,
    @Body() body: CycleReportDto,
    @Req() req: Request & { attachments?: ReceivedAttachment[] },
  ): Promise<CycleReportView> {
    return this.cycles.submitReport(actor, id, body, req.attachments ?? []);
  }

  @Post('cycle-reports/:id/rate')
  @HttpCode(200)
  @ApiOperation({ summary: '评价督导报告（督导室）：好/较好/一般/差，可附意见' })
  @ApiOkResponse({ type: CycleReportViewDto })
  rate(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导报告')) id: string,
    @Body() body: RateDto,
  ): Promise<CycleReportView> {
    return this.cycles.decide(actor, id, 'rate', body);
  }

  @Post('cycle-reports/:id/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退回督导报告（督导室，须填写意见）：单位重新报送，并通知责任单位' })
  @ApiOkResponse({ type: CycleReportViewDto })
  return(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导报告')) id: string,
    @Body() body: ReturnCycleReportDto,
  ): Promise<CycleReportView> {
    return this.cycles.decide(actor, id, 'return', body);
  }

  @Get('cycle-reports/:id/attachments/:attachmentId')
  @ApiOperation({ summary: '下载督导报告的附件' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('督导报告')) id: string,
    @Param('attachmentId', new EntityIdPipe('附件')) attachmentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.cycles.openAttachment(actor, id, attachmentId);
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
