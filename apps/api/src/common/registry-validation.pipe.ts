import { ArgumentMetadata, BadRequestException, Type, ValidationPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { isDeepStrictEqual } from 'node:util';
import { IdParamDto, ID_PARAM_MESSAGE } from './id-param.dto';

/**
 * The API's validation: every DTO through class-validator, with two shortcuts on the busiest routes
 * that answer exactly as class-validator would:
 * - the `:id` of a single resource is checked as IdParamDto would check it (the same rule, the
 *   same 400) without building and validating a class instance per request;
 * - an empty query string (`GET /v1/organizations/{id}/tree`) is validated once per query DTO: when
 *   class-validator accepted `{}` and its instance equals a freshly constructed one (defaults only),
 *   later empty queries get a fresh instance without transforming and validating again.
 */
export class RegistryValidationPipe extends ValidationPipe {
  /** Query DTO → whether an empty query passes as `new Dto()`; absent until the first empty query. */
  private readonly emptyQueryPasses = new Map<Type<unknown>, boolean>();

  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.data === undefined && isEmptyObject(value) && metadata.metatype && this.toValidate(metadata)) {
      return this.emptyQuery(value, metadata, metadata.metatype as Type<unknown>);
    }
    if (metadata.type !== 'param' || metadata.metatype !== IdParamDto || !isIdOnly(value)) return super.transform(value, metadata);
    if (!isUUID(value.id)) throw new BadRequestException([ID_PARAM_MESSAGE]);
    return value;
  }

  private async emptyQuery(value: object, metadata: ArgumentMetadata, dto: Type<unknown>): Promise<unknown> {
    if (this.emptyQueryPasses.get(dto)) return new dto();
    const validated = await super.transform(value, metadata);
    // Only reached when class-validator accepted it: a DTO that refuses `{}` throws above every time.
    if (!this.emptyQueryPasses.has(dto)) this.emptyQueryPasses.set(dto, validated instanceof dto && isDeepStrictEqual(validated, new dto()));
    return validated;
  }
}

function isIdOnly(value: unknown): value is { id: unknown } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && 'id' in value;
}

function isEmptyObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
