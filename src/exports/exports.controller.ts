import {
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Public } from '../auth/auth.guard.js';
import type { Actor } from '../auth/permissions.js';
import { NotFoundError } from '../common/errors.js';
import { EntityIdPipe } from '../common/validation.js';
import { type CalendarFeedAddress, ExportsService } from './exports.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment` with an ASCII fallback name and the real (Chinese) one per RFC 5987. */
function attachment(fileName: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export class CalendarFeedDto {
  @ApiProperty() unitId!: string;
  @ApiProperty({
    description: '订阅地址（含密钥，仅此一次显示；再次生成后旧地址立即失效）',
    example: 'https://duban.example.org/ics/units/…​.ics',
  })
  url!: string;
  @ApiProperty() createdAt!: string;
}

@ApiTags('导出')
@ApiBearerAuth()
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('plans/:id/ledger.xlsx')
  @ApiOperation({
    summary: '导出督办台账（.xlsx）',
    description:
      '每个任务一行：板块、条目、责任单位、牵头/配合、截止时间、状态、最近报送、督办等级、督导评价。科室人员只导出本单位的任务。',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'Excel 工作簿', schema: { type: 'string', format: 'binary' } })
  async ledger(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('工作要点')) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.exports.ledger(actor, id);
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', attachment(file.fileName, 'ledger.xlsx'));
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(file.content);
  }

  @Post('units/:id/calendar-feed')
  @HttpCode(201)
  @ApiOperation({
    summary: '生成（或更换）单位截止日期的日历订阅地址',
    description:
      '系统管理员或本单位负责人可用。地址含密钥，无需登录即可订阅（ICS）；只保存密钥的摘要，地址仅此一次显示；再次生成后旧地址立即失效。',
  })
  @ApiOkResponse({ type: CalendarFeedDto })
  rotate(
    @CurrentActor() actor: Actor,
    @Param('id', new EntityIdPipe('责任单位')) id: string,
  ): Promise<CalendarFeedAddress> {
    return this.exports.rotateFeed(actor, id);
  }
}

/** The calendar feeds, outside the API prefix: calendar clients subscribe without signing in. */
@ApiTags('导出')
@Controller('ics')
export class CalendarFeedController {
  constructor(private readonly exports: ExportsService) {}

  @Public()
  @Get('units/:file')
  @Header('Cache-Control', 'private, max-age=300')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('X-Robots-Tag', 'noindex')
  @ApiOperation({ summary: '单位截止日期日历（ICS，凭密钥地址访问，无需登录）' })
  @ApiProduces('text/calendar')
  async feed(
    @Param('file') file: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const body = await this.exports.feed(file);
    if (body === null) throw new NotFoundError('日历订阅地址无效或已更换');
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'inline; filename="duban.ics"');
    return body;
  }
}
