import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { TooManyRequestsError } from './errors.js';

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
  if (isUnavailable(exception)) {
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: '服务暂时不可用（数据库无法连接或繁忙），请稍后重试',
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

// PostgreSQL SQLSTATEs and socket errors that mean "the database is not there right now".
const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '57014', // query_canceled (statement_timeout)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

function isUnavailable(exception: unknown): boolean {
  for (let e = exception, depth = 0; e && depth < 4; depth++) {
    const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof err.code === 'string' && UNAVAILABLE_CODES.has(err.code)) return true;
    if (
      typeof err.message === 'string' &&
      /timeout exceeded when trying to connect|Connection terminated|connection is closed/i.test(
        err.message,
      )
    ) {
      return true;
    }
    e = err.driverError ?? err.cause;
  }
  return false;
}

export interface ExceptionFilterHooks {
  /** Runs before the error response is sent, e.g. to record a refusal on the audit trail. */
  beforeRespond?: (exception: unknown, request: Request) => Promise<void> | void;
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly hooks: ExceptionFilterHooks = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error({
        message: 'request failed',
        error: exception instanceof Error ? exception.stack : String(exception),
      });
    }
    if (body.statusCode === 503) res.setHeader('Retry-After', '5');
    if (exception instanceof TooManyRequestsError) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    const respond = () => {
      if (!res.headersSent) res.status(body.statusCode).json(body);
    };
    const hook = this.hooks.beforeRespond;
    if (!hook) return respond();
    Promise.resolve()
      .then(() => hook(exception, http.getRequest<Request>()))
      .catch((error: unknown) =>
        this.logger.error({ message: 'error hook failed', error: String(error) }),
      )
      .finally(respond);
  }
}
