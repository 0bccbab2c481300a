import {
  type ArgumentMetadata,
  HttpException,
  HttpStatus,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import { InvalidInputException } from './errors.js';

/** Deepest nesting of a JSON request body; no request of the API comes near it. */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser `verify` hook: refuses a JSON body nested deeper than MAX_JSON_DEPTH before it is
 * parsed, so no later step recurses through it. Scans the bytes once, skipping strings.
 */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new TooDeepError();
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

export class TooDeepError extends HttpException {
  constructor() {
    super(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: `请求体嵌套过深（超过 ${MAX_JSON_DEPTH} 层）`,
      },
      HttpStatus.BAD_REQUEST,
    );
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null. */
export function unstorableText(s: string): string | null {
  if (s.includes('\u0000')) return '不能包含空字符（\\u0000）';
  if (LONE_SURROGATE.test(s)) return '含有无效的 Unicode 字符（不成对的代理项）';
  return null;
}

/**
 * Refuses, with a 400 naming the field, any string in the body, query or route parameters that
 * PostgreSQL cannot store as text (a NUL byte, a lone UTF-16 surrogate) — before it reaches a
 * service, instead of a 500 from the database. Walks iteratively: depth cannot overflow the stack.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const stack: [unknown, string][] = [[value, metadata.data ?? '']];
    let visited = 0;
    while (stack.length > 0) {
      const [current, path] = stack.pop()!;
      if (++visited > 100_000) {
        throw new InvalidInputException('请求内容过多', [
          { field: path || 'body', message: '过多' },
        ]);
      }
      if (typeof current === 'string') {
        const problem = unstorableText(current);
        if (problem) {
          const field = path || metadata.type;
          throw new InvalidInputException(`${field} ${problem}`, [{ field, message: problem }]);
        }
      } else if (Array.isArray(current)) {
        current.forEach((v, i) => stack.push([v, `${path}[${i}]`]));
      } else if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
        for (const [k, v] of Object.entries(current)) {
          const problem = unstorableText(k);
          if (problem) {
            throw new InvalidInputException(`字段名${problem}`, [
              { field: path || 'body', message: problem },
            ]);
          }
          stack.push([v, path ? `${path}.${k}` : k]);
        }
      }
    }
    return value;
  }
}
