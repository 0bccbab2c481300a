import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** 400 naming what is wrong; `details` lists each offending field. */
export class InvalidInputException extends HttpException {
  constructor(message: string, details?: readonly FieldProblem[]) {
    super(
      { statusCode: 400, error: 'Bad Request', message, ...(details ? { details } : {}) },
      HttpStatus.BAD_REQUEST,
    );
  }
}

/** 413: the upload, or what it unpacks to, is over a size or processing limit the message names. */
export class PayloadTooLargeError extends HttpException {
  constructor(message: string, details?: Record<string, unknown>) {
    super(
      { statusCode: 413, error: 'Payload Too Large', message, ...(details ? { details } : {}) },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
}

export class NotFoundError extends HttpException {
  constructor(message: string) {
    super({ statusCode: 404, error: 'Not Found', message }, HttpStatus.NOT_FOUND);
  }
}

export class ConflictError extends HttpException {
  constructor(message: string, details?: Record<string, unknown>) {
    super(
      { statusCode: 409, error: 'Conflict', message, ...(details ? { details } : {}) },
      HttpStatus.CONFLICT,
    );
  }
}

/** 429 with how long to wait; the exception filter sends it as Retry-After too. */
export class TooManyRequestsError extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message, details: { retryAfterSeconds } },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
