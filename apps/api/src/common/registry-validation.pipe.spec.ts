import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { IsDefined, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { OrganizationTreeQueryDto } from '../organizations/organization.dto';
import { IdParamDto } from './id-param.dto';
import { RegistryValidationPipe } from './registry-validation.pipe';

const PARAM: ArgumentMetadata = { type: 'param', metatype: IdParamDto };

/** What a pipe answers: the value it passes on (and, for a query, its class), or the response of the exception it throws. */
async function outcome(pipe: ValidationPipe, value: unknown, metadata = PARAM): Promise<unknown> {
  try {
    const passed = await pipe.transform(value, metadata);
    return metadata.type === 'query' ? { passed: { ...passed }, as: (passed as object).constructor.name } : { passed: { ...passed } };
  } catch (err) {
    return { refused: (err as { getResponse(): unknown }).getResponse() };
  }
}

class RequiredQueryDto {
  @IsDefined() @Type(() => Number) @IsInt() page: number;
}

class DefaultsQueryDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(9) depth: number = 3;
  @IsOptional() @IsString({ each: true }) tags: string[] = ['a'];
}

describe('RegistryValidationPipe', () => {
  const fast = new RegistryValidationPipe();
  const plain = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

  it('answers an :id exactly as class-validator on IdParamDto does', async () => {
    const inputs = [
      { id: '06741a09-ae1d-49d1-8a1c-75b9640b3583' }, { id: '06741A09-AE1D-49D1-8A1C-75B9640B3583' }, { id: '00000000-0000-0000-0000-000000000000' },
      { id: '06741a09ae1d49d18a1c75b9640b3583' }, { id: "1' OR 1=1" }, { id: '' }, { id: 42 }, {}, { id: '06741a09-ae1d-49d1-8a1c-75b9640b3583', other: 'x' },
    ];
    for (const input of inputs) expect({ input, answer: await outcome(fast, input) }).toEqual({ input, answer: await outcome(plain, input) });
    expect(await outcome(fast, { id: 'nope' })).toEqual({ refused: expect.objectContaining({ message: ['id must be a UUID'], statusCode: 400 }) });
  });

  it('answers queries, empty or not, exactly as class-validator does, also once it remembers that an empty one passes', async () => {
    const cases: [ArgumentMetadata['metatype'], object[]][] = [
      [OrganizationTreeQueryDto, [{}, {}, { depth: '2' }, { depth: '9' }, { depth: 'x' }, { other: '1' }, {}, Object.create(null)]],
      [DefaultsQueryDto, [{}, {}, { depth: '4' }, { tags: 'b' }, {}]],
      [RequiredQueryDto, [{}, {}, { page: '2' }, {}]],
    ];
    for (const [metatype, inputs] of cases) {
      const metadata: ArgumentMetadata = { type: 'query', metatype };
      for (const input of inputs) {
        expect({ input, answer: await outcome(fast, input, metadata) }).toEqual({ input, answer: await outcome(plain, input, metadata) });
      }
    }
    expect(await outcome(fast, {}, { type: 'query', metatype: OrganizationTreeQueryDto })).toEqual({ passed: { depth: 3 }, as: 'OrganizationTreeQueryDto' });
    expect(await outcome(fast, { other: '1' }, { type: 'query', metatype: OrganizationTreeQueryDto })).toEqual({ refused: expect.objectContaining({ statusCode: 400, message: ['property other should not exist'] }) });
    expect(await outcome(fast, {}, { type: 'query', metatype: RequiredQueryDto })).toEqual({ refused: expect.objectContaining({ statusCode: 400 }) });
  });

  it('validates an empty query once per DTO, then gives each an instance of its own', async () => {
    const pipe = new RegistryValidationPipe();
    const validate = jest.spyOn(pipe as unknown as { validate(): unknown }, 'validate');
    const metadata: ArgumentMetadata = { type: 'query', metatype: DefaultsQueryDto };
    const answers = [await pipe.transform({}, metadata), await pipe.transform({}, metadata), await pipe.transform({}, metadata)] as DefaultsQueryDto[];
    expect(validate).toHaveBeenCalledTimes(1);
    expect(answers[1]).not.toBe(answers[2]);
    answers[1].tags.push('changed');
    expect(answers[2].tags).toEqual(['a']);
    await pipe.transform({ depth: '2' }, metadata);
    expect(validate).toHaveBeenCalledTimes(2);
  });
});
