import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export const ID_PARAM_MESSAGE = 'id must be a UUID';

/** `:id` of a registry entity: a UUID, or 400 before any query runs (RegistryValidationPipe checks it directly). */
export class IdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID(undefined, { message: ID_PARAM_MESSAGE }) id: string;
}
