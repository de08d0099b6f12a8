import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `:id` of a registry entity: a UUID, or 400 before any query runs. */
export class IdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID(undefined, { message: 'id must be a UUID' }) id: string;
}
