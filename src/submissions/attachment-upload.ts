import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import JSZip from 'jszip';
import multer from 'multer';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { InvalidInputException, PayloadTooLargeError } from '../common/errors.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import {
  ALLOWED_EXTENSIONS_TEXT,
  checkContent,
  cleanFileName,
  ContentProbe,
  isZip,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  needsPackageListing,
  typeOf,
} from './attachment-rules.js';

/** The form field that carries the files. */
export const ATTACHMENTS_FIELD = 'attachments';

/** A file received and checked, waiting under a temporary name for the submission to commit. */
export interface ReceivedAttachment {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  tempPath: string;
}

/** Where attachments live: `<DATA_DIR>/attachments/<random uuid>`. */
export function attachmentsDir(config: AppConfig): string {
  return join(config.dataDir, 'attachments');
}

/** Temporary names start with a dot, so they never look like a stored attachment's key. */
export const TEMP_PREFIX = '.incoming-';

interface MulterFile {
  fieldname: string;
  originalname: string;
  stream: NodeJS.ReadableStream;
  path?: string;
}

interface Stored {
  path: string;
  size: number;
  fileName: string;
  contentType: string;
  sha256: string;
}

/**
 * A multer storage engine that streams each file to a temporary name under the attachments
 * directory, hashing it and checking its content against its extension as it goes.
 */
class CheckedDiskStorage implements multer.StorageEngine {
  constructor(private readonly dir: string) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    this.store(file as unknown as MulterFile).then(
      (stored) => callback(null, stored as unknown as Partial<Express.Multer.File>),
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void) {
    const path = (file as unknown as MulterFile).path;
    if (!path) return callback(null);
    rm(path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  private async store(file: MulterFile): Promise<Stored> {
    // The filter has vetted the name; the stored name is ours, never the client's.
    const fileName = cleanFileName(file.originalname) ?? '';
    const type = typeOf(fileName);
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${TEMP_PREFIX}${randomUUID()}`);
    const probe = new ContentProbe();
    const hash = createHash('sha256');
    try {
      await pipeline(
        file.stream,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            probe.push(chunk);
            hash.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(path, { flags: 'wx' }),
      );
      const content = probe.finish();
      if (!type) throw disallowed(fileName);
      let entries: string[] | null = null;
      if (needsPackageListing(type) && isZip(content.head)) entries = await zipEntries(path);
      const verdict = checkContent(fileName, type, content, entries);
      if (!verdict.ok) {
        throw new InvalidInputException(verdict.reason, [
          { field: ATTACHMENTS_FIELD, message: verdict.reason },
        ]);
      }
      return {
        path,
        size: content.size,
        fileName,
        contentType: verdict.contentType,
        sha256: hash.digest('hex'),
      };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }
}

async function zipEntries(path: string): Promise<string[] | null> {
  try {
    const zip = await JSZip.loadAsync(await readFile(path));
    return Object.keys(zip.files);
  } catch {
    return null;
  }
}

function disallowed(fileName: string): InvalidInputException {
  const message = `附件“${fileName}”的类型不允许，仅支持 ${ALLOWED_EXTENSIONS_TEXT}`;
  return new InvalidInputException(message, [{ field: ATTACHMENTS_FIELD, message }]);
}

const MB = Math.round(MAX_ATTACHMENT_BYTES / 1024 / 1024);

const FIELD_NAME_ERRORS = new Set([
  'LIMIT_FIELD_KEY',
  'LIMIT_FIELD_NESTING',
  'LIMIT_FIELD_ARRAY_INDEX',
  'INVALID_FIELD_NAME',
  'MISSING_FIELD_NAME',
]);

/** multer's and busboy's errors in the API's words. */
function translate(error: unknown): Error {
  if (error instanceof HttpException) return error;
  const e = (error ?? {}) as { code?: string; field?: string; filename?: string; message?: string };
  const bad = (message: string, field = ATTACHMENTS_FIELD) =>
    new InvalidInputException(message, [{ field, message }]);
  const code = e.code ?? '';
  const message = e.message ?? '';
  if (code === 'LIMIT_FILE_SIZE') {
    return new PayloadTooLargeError(
      `附件“${cleanFileName(e.filename ?? '') ?? ''}”超过 ${MB} MB，请压缩或拆分后上传`,
    );
  }
  if (code === 'LIMIT_FILE_COUNT') return bad(`一次最多上传 ${MAX_ATTACHMENTS} 个附件`);
  if (code === 'LIMIT_FIELD_VALUE')
    return new PayloadTooLargeError(`表单字段 ${e.field ?? ''} 过长`);
  if (code === 'LIMIT_PART_COUNT' || code === 'LIMIT_FIELD_COUNT')
    return bad('表单字段过多', 'body');
  if (FIELD_NAME_ERRORS.has(code))
    return bad(`表单字段名无效：${e.field ?? ''}`, e.field ?? 'body');
  if (/^(Multipart|Malformed|Unexpected end)/i.test(message)) {
    return bad('multipart/form-data 请求格式有误', 'body');
  }
  if (/^Request (aborted|closed)/.test(message)) return bad('上传未完成：连接已中断');
  return error instanceof Error ? error : new Error(String(error));
}

interface UploadRequest extends Request {
  attachments?: ReceivedAttachment[];
}

/**
 * Receives the files of a multipart/form-data request (field `attachments`) and puts them, checked,
 * on `req.attachments`; a JSON request passes through untouched. Whatever the handler does not
 * claim (by renaming it) is removed when the request ends, successful or not.
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AttachmentUploadInterceptor.name);
  private readonly upload: ReturnType<ReturnType<typeof multer>['any']>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.upload = multer({
      storage: new CheckedDiskStorage(attachmentsDir(config)),
      defParamCharset: 'utf8',
      limits: {
        fileSize: MAX_ATTACHMENT_BYTES,
        files: MAX_ATTACHMENTS,
        fields: 10,
        parts: MAX_ATTACHMENTS + 10,
        fieldNameSize: 100,
        fieldSize: 1024 * 1024,
      },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== ATTACHMENTS_FIELD) {
          const message = `未知的文件字段“${file.fieldname}”，附件请放在 ${ATTACHMENTS_FIELD} 字段`;
          return accept(new InvalidInputException(message, [{ field: file.fieldname, message }]));
        }
        const name = cleanFileName(file.originalname);
        if (name === null) {
          const message = `附件文件名“${file.originalname}”无效`;
          return accept(
            new InvalidInputException(message, [{ field: ATTACHMENTS_FIELD, message }]),
          );
        }
        if (!typeOf(name)) return accept(disallowed(name));
        accept(null, true);
      },
    }).any();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<UploadRequest>();
    if (!req.is('multipart/form-data')) return next.handle();
    const res = context.switchToHttp().getResponse<unknown>();
    return defer(() => this.handle(req, res, next));
  }

  private async handle(req: UploadRequest, res: unknown, next: CallHandler): Promise<unknown> {
    const received = await this.receive(req, res);
    req.attachments = received;
    try {
      return await lastValueFrom(next.handle(), { defaultValue: undefined });
    } finally {
      // Before the response goes out: a refused request leaves nothing behind.
      await this.discard(received);
    }
  }

  private async receive(req: UploadRequest, res: unknown): Promise<ReceivedAttachment[]> {
    await new Promise<void>((resolve, reject) =>
      this.upload(req, res as never, (error?: unknown) =>
        error ? reject(translate(error)) : resolve(),
      ),
    );
    const files = (Array.isArray(req.files) ? req.files : []) as unknown as Stored[];
    return files.map((f) => ({
      fileName: f.fileName,
      contentType: f.contentType,
      sizeBytes: f.size,
      sha256: f.sha256,
      tempPath: f.path,
    }));
  }

  private async discard(files: readonly ReceivedAttachment[]): Promise<void> {
    for (const f of files) {
      await rm(f.tempPath, { force: true }).catch((error: Error) =>
        this.logger.warn({
          message: 'temporary upload not removed',
          path: f.tempPath,
          error: error.message,
        }),
      );
    }
  }
}
