import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

/** Turns every error into the one error shape of the API. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const error = STATUS_NAMES[status] ?? HttpStatus[status] ?? 'Error';
    if (typeof response === 'string') return { statusCode: status, error, message: response };
    const body = response as { message?: unknown; details?: unknown; error?: unknown };
    const message = Array.isArray(body.message)
      ? body.message.join('；')
      : typeof body.message === 'string'
        ? body.message
        : exception.message;
    return {
      statusCode: status,
      error: typeof body.error === 'string' ? body.error : error,
      message,
      ...(body.details !== undefined ? { details: body.details } : {}),
    };
  }
  // body-parser and multer errors carry a status but are not HttpExceptions.
  const status = (exception as { status?: unknown; statusCode?: unknown })?.status;
  if (status === 413 || (exception as { code?: string })?.code === 'LIMIT_FILE_SIZE') {
    return { statusCode: 413, error: 'Payload Too Large', message: '请求内容过大' };
  }
  if (status === 400 && (exception as { type?: string })?.type === 'entity.parse.failed') {
    return { statusCode: 400, error: 'Bad Request', message: '请求体不是合法的 JSON' };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: '服务器内部错误' };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({
        message: 'request failed',
        error: exception instanceof Error ? exception.stack : String(exception),
      });
    }
    res.status(body.statusCode).json(body);
  }
}
