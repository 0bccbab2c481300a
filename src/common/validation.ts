import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import { isValidDate } from '../calendar/business-time.js';
import { InvalidInputException, NotFoundError, type FieldProblem } from './errors.js';

function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Validates request DTOs; a 400 names every offending field. Unknown fields are rejected. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new InvalidInputException(
        `请求参数有误：${details.map((d) => `${d.field} ${d.message}`).join('；')}`,
        details,
      );
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route ids are UUIDs; anything else names nothing that exists. */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string, _metadata: ArgumentMetadata): string {
    if (!UUID.test(value)) throw new NotFoundError(`${this.what} ${value} 不存在`);
    return value;
  }
}

/** A real calendar date 'YYYY-MM-DD' (not 2027-02-31), named in the 400 like every field. */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidDate(value),
      defaultMessage: () => '须为有效日期 YYYY-MM-DD',
    },
  });
}
