import { Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@qc/query';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

/** `after` and `limit`, shared by every keyset-paged list of the registry. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'the nextCursor of the previous page, unchanged' })
  @IsOptional()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'after must be a cursor returned as nextCursor' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

/** A named page class per item type, so the OpenAPI document describes each list exactly. */
export function PageOf<T>(item: ClassType<T>): ClassType<{ items: T[]; nextCursor: string | null }> {
  class PageDto {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ nullable: true, type: String, description: 'pass as `after` for the next page; null on the last page' })
    nextCursor: string | null;
  }
  Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
  return PageDto;
}
