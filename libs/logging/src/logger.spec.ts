import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, scrubPersonalData } from './logger';

describe('scrubPersonalData', () => {
  it('masks citizen IDs and mobile numbers inside free text', () => {
    expect(scrubPersonalData('row 5: 150105198503121234 and 15114978064')).toBe(
      'row 5: 150105************ and 151****8064',
    );
    expect(scrubPersonalData('id 11010519491231002X')).toBe('id 110105************');
  });

  it('leaves codes that are not personal data alone', () => {
    expect(scrubPersonalData('division 150105001019, batch 42')).toBe('division 150105001019, batch 42');
  });
});

describe('createLogger', () => {
  const ID = '150105198503121234';
  const PHONE = '15114978064';

  /** Logs through a logger appending to a temporary file (opened asynchronously), and returns the `lines` lines it wrote. */
  async function logged(lines: number, write: (logger: ReturnType<typeof createLogger>) => void): Promise<string> {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-log-')), 'test.log');
    const logger = createLogger('trace', file);
    write(logger);
    const written = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    for (let i = 0; i < 200 && written().split('\n').length <= lines; i++) {
      logger.flush();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return written();
  }

  it('scrubs personal data inside objects, arrays, errors and child bindings, not only in message strings', async () => {
    const nested = new Error(`bad row ${ID}`);
    Object.assign(nested, { row: { phone: PHONE } });
    const text = await logged(5, (logger) => {
      logger.info({ person: { idNumber: ID, phones: [PHONE, Number(PHONE)] }, [ID]: 'as a key' }, 'object');
      logger.warn({ err: new Error(`no person ${ID}`, { cause: nested }) }, 'error in an object');
      logger.error(new Error(`lookup of ${PHONE} failed`));
      logger.child({ file: `roster-${ID}.csv` }).info('child');
      logger.info('format %s and %o', ID, { phone: PHONE });
    });
    expect(text.trim().split('\n')).toHaveLength(5);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(PHONE);
    const [object, errorInObject, error, child] = text.trim().split('\n').map((line) => JSON.parse(line));
    expect(object.person.idNumber).toMatch(/^150105\**/);
    expect(errorInObject.err).toMatchObject({ type: 'Error', message: expect.stringMatching(/^no person .*: bad row /) });
    expect(error).toMatchObject({ err: { type: 'Error' }, msg: expect.stringMatching(/^lookup of .* failed$/) });
    expect(child.file).toMatch(/^roster-.*\.csv$/);
  });

  it('logs circular and deep objects without throwing', async () => {
    const circular: Record<string, unknown> = { phone: PHONE };
    circular.self = circular;
    let deep: Record<string, unknown> = { idNumber: ID };
    for (let i = 0; i < 50; i++) deep = { deeper: deep };
    const text = await logged(1, (logger) => logger.info({ circular, deep }, 'shapes'));
    expect(text).toContain('[Circular]');
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(ID);
  });
});
