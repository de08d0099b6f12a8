import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { IdParamDto } from './id-param.dto';
import { RegistryValidationPipe } from './registry-validation.pipe';

const PARAM: ArgumentMetadata = { type: 'param', metatype: IdParamDto };

/** What a pipe answers: the value it passes on, or the response of the exception it throws. */
async function outcome(pipe: ValidationPipe, value: unknown): Promise<unknown> {
  try {
    return { passed: { ...(await pipe.transform(value, PARAM)) } };
  } catch (err) {
    return { refused: (err as { getResponse(): unknown }).getResponse() };
  }
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
});
