import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** One page of a list, with the total over all pages. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The deepest page anyone pages to; beyond it a list is searched, not paged. */
export const MAX_PAGE = 100_000;

/** `?page=&pageSize=` of every list (1-based; 100 per page unless asked, at most 500). */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `须为 1–${MAX_PAGE} 的整数` })
  @Min(1, { message: `须为 1–${MAX_PAGE} 的整数` })
  @Max(MAX_PAGE, { message: `须为 1–${MAX_PAGE} 的整数` })
  page: number = 1;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '须为 1–500 的整数' })
  @Min(1, { message: '须为 1–500 的整数' })
  @Max(500, { message: '须为 1–500 的整数' })
  pageSize: number = 100;
}

/** LIMIT/OFFSET of a page. */
export function pageWindow(q: { page: number; pageSize: number }): {
  limit: number;
  offset: number;
} {
  return { limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
}

/** A page read by `find` from a window (a TypeORM `findAndCount` given `skip` and `take`). */
export async function findPage<T>(
  q: { page: number; pageSize: number },
  find: (window: { skip: number; take: number }) => Promise<[T[], number]>,
): Promise<Page<T>> {
  const { limit, offset } = pageWindow(q);
  const [items, total] = await find({ skip: offset, take: limit });
  return pageOf(items, total, q);
}

export function pageOf<T>(
  items: T[],
  total: number,
  q: { page: number; pageSize: number },
): Page<T> {
  return { items, total, page: q.page, pageSize: q.pageSize };
}
