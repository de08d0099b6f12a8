import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../libs/pii/src';
import { migrateWithPersonalDataKey } from '../libs/registry/src';
import { databaseBefore, TestDatabase } from './support/test-database';

const MIGRATION = 'IdDigitsAtRest1795580000000';
const ID = '15010519850312123X';
const OLD_MASK = '150105********123X';

/** A registry written by the version before: visible ID digits in clear beside the birth date. */
async function writeOldRows(dataSource: DataSource, cipher: PiiCipher): Promise<{ valid: string; masked: string }> {
  const id = cipher.protect('id', ID);
  const [valid] = await dataSource.query(`INSERT INTO person (name, name_key, name_pinyin, gender, birth_date, birth_precision, id_number_cipher, id_number_hmac, id_number_masked, id_digits)
    VALUES ('张伟', '张伟', 'zhang wei', 'M', '1985-03-12', 'day', $1, $2, $3, '150105123X') RETURNING id::text`, [id.cipher, id.hmac, OLD_MASK]);
  const [masked] = await dataSource.query(`INSERT INTO person (name, name_key, name_pinyin, birth_date, birth_precision, id_evidence, id_digits)
    VALUES ('张伟', '张伟', 'zhang wei', '1985-03-12', 'day', '{"kind": "masked", "prefix": "150105", "suffix": "123X"}', '150105123X') RETURNING id::text`);
  const [batch] = await dataSource.query(`INSERT INTO import_batch (file_name, file_path, file_sha256, file_bytes, status, trigger)
    VALUES ('old.csv', 'old.csv', $1, 1, 'completed', 'test') RETURNING id::text`, ['0'.repeat(64)]);
  const facts = (extra: object) => ({ person: { name: '张伟', gender: 'M', birthDate: '1985-03-12', birthPrecision: 'day', phone: null, ...extra } });
  await dataSource.query(`INSERT INTO source_record (batch_id, record_ref, status, raw, payload, row_hash) VALUES
      ($1, 'r1', 'accepted', $2, $3, $4), ($1, 'r2', 'accepted', $5, $6, $7), ($1, 'r3', 'accepted', $8, $9, $10)`, [
    batch.id,
    { 身份证号: OLD_MASK, 出生日期: '1985-03-12' }, facts({ id: { cipher: id.cipher, hmac: id.hmac, masked: OLD_MASK }, idEvidence: null }), '1'.repeat(64),
    { 身份证号: OLD_MASK }, facts({ id: null, idEvidence: { kind: 'masked', prefix: '150105', suffix: '123X' } }), '2'.repeat(64),
    { 身份证号: '1.5010**********E+17' }, facts({ id: null, idEvidence: { kind: 'damaged', prefix: '150105198503121' } }), '3'.repeat(64),
  ]);
  await dataSource.query(`INSERT INTO change_log (entity_type, entity_id, action, changes, actor) VALUES ('person', $1, 'create', $2, 'test')`,
    [valid.id, { idNumber: [null, OLD_MASK], birthDate: [null, '1985-03-12'] }]);
  await dataSource.query(`INSERT INTO entity_merge (entity_type, survivor_id, merged_id, merged_by, undo) VALUES ('person', $1, $2, 'test', $3)`,
    [valid.id, masked.id, { merged: { idNumberMasked: null, idDigits: '150105123X', idEvidence: { kind: 'masked', prefix: '150105', suffix: '123X' } }, memberships: [], roles: [] }]);
  return { valid: valid.id, masked: masked.id };
}

describe('migration IdDigitsAtRest: a registry of an older version keeps no ID digits beside the birth date', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const cipher = new PiiCipher(randomBytes(32));

  beforeAll(async () => {
    ({ database, dataSource } = await databaseBefore(MIGRATION));
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('turns visible digits into keyed hashes the matcher meets again, and narrows every stored mask to the region', async () => {
    const { valid, masked } = await writeOldRows(dataSource, cipher);
    expect(await migrateWithPersonalDataKey(dataSource, cipher)).toContain(MIGRATION);

    const digits = cipher.idDigitsKey(ID, ID.slice(-4));
    const persons = await dataSource.query(`SELECT id::text, id_number_masked AS masked, id_digits AS digits, id_evidence AS evidence FROM person ORDER BY name, id_evidence NULLS FIRST`);
    expect(persons).toEqual([
      { id: valid, masked: '150105************', digits, evidence: null },
      { id: masked, masked: null, digits, evidence: { kind: 'masked', prefix: '150105', digits } },
    ]);
    const payloads = (await dataSource.query(`SELECT payload FROM source_record ORDER BY record_ref`)).map((r: { payload: { person: Record<string, unknown> } }) => r.payload.person);
    expect(payloads.map((p: Record<string, unknown>) => [p.id && { ...(p.id as object), cipher: 'c' }, p.idEvidence])).toEqual([
      [{ cipher: 'c', hmac: cipher.hmac('id', ID), masked: '150105************', digits }, null],
      [null, { kind: 'masked', prefix: '150105', digits }],
      [null, { kind: 'damaged', prefix: '15010519850312' }],
    ]);
    const [undo] = await dataSource.query(`SELECT undo FROM entity_merge`);
    expect(undo.undo.merged).toEqual({ idNumberMasked: null, idDigits: digits, idEvidence: { kind: 'masked', prefix: '150105', digits } });

    const everything = JSON.stringify(await dataSource.query(`SELECT (SELECT json_agg(r) FROM source_record r) AS records, (SELECT json_agg(c) FROM change_log c) AS feed`));
    expect(everything).toContain('150105************');
    expect(everything).not.toMatch(/123X|150105123|1501051985031212/);
  });
});
