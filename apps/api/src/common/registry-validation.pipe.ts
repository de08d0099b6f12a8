import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { IdParamDto, ID_PARAM_MESSAGE } from './id-param.dto';

/**
 * The API's validation: every DTO through class-validator, except the `:id` of a single resource,
 * the commonest parameter of the busiest routes, which is checked as IdParamDto would check it
 * (the same rule, the same 400) without building and validating a class instance per request.
 */
export class RegistryValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'param' || metadata.metatype !== IdParamDto || !isIdOnly(value)) return super.transform(value, metadata);
    if (!isUUID(value.id)) throw new BadRequestException([ID_PARAM_MESSAGE]);
    return value;
  }
}

function isIdOnly(value: unknown): value is { id: unknown } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && 'id' in value;
}
