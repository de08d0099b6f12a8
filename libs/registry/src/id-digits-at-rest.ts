import { migrate } from '@qc/database';
import { PiiCipher } from '@qc/pii';
import { DataSource } from 'typeorm';
import { PersonFacts, personFactsIn } from './person-golden';

/** The migration that leaves visible ID digits for this step to turn into keyed hashes. */
const ID_DIGITS_AT_REST = 'IdDigitsAtRest1795580000000';
const CHUNK = 1000;

/** A stored person (row or merge undo snapshot) as it was before: id_digits "1501051234", evidence with its suffix in clear. */
interface OldIdColumns { idDigits?: string | null; idEvidence?: (PersonFacts['idEvidence'] & { suffix?: string }) | null }

/**
 * Applies pending migrations, then the one data step a migration cannot do without the
 * personal-data key (see migration IdDigitsAtRest): run by `qingcheng db migrate` and the demo.
 */
export async function migrateWithPersonalDataKey(dataSource: DataSource, cipher: PiiCipher): Promise<string[]> {
  const applied = await migrate(dataSource);
  if (applied.includes(ID_DIGITS_AT_REST)) await convertIdDigitsAtRest(dataSource, cipher);
  return applied;
}

/** Replaces the clear visible ID digits left by older versions with their keyed hash, in persons, merge undo records and staged payloads. */
export async function convertIdDigitsAtRest(dataSource: DataSource, cipher: PiiCipher): Promise<void> {
  const convert = (p: OldIdColumns) => {
    if (p.idDigits && p.idDigits.length <= 10) p.idDigits = cipher.hmac('id-digits', p.idDigits);
    if (p.idEvidence?.suffix !== undefined) {
      const { suffix, ...evidence } = p.idEvidence;
      p.idEvidence = { ...evidence, digits: cipher.idDigitsKey(evidence.prefix, suffix) };
    }
  };
  await rewriteJson(dataSource, `SELECT id::text, jsonb_build_object('idDigits', id_digits, 'idEvidence', id_evidence) AS value FROM person
                                  WHERE (length(id_digits) <= 10 OR id_evidence ? 'suffix') AND id > $1::uuid ORDER BY id LIMIT ${CHUNK}`,
    '00000000-0000-0000-0000-000000000000', (value: OldIdColumns) => convert(value),
    (id, value: OldIdColumns) => ['UPDATE person SET id_digits = $2, id_evidence = $3 WHERE id = $1::uuid', [id, value.idDigits, value.idEvidence]]);
  await rewriteJson(dataSource, `SELECT id::text, undo AS value FROM entity_merge WHERE entity_type = 'person' AND id > $1::uuid ORDER BY id LIMIT ${CHUNK}`,
    '00000000-0000-0000-0000-000000000000', (undo: { merged?: OldIdColumns }) => undo.merged && convert(undo.merged),
    (id, undo) => ['UPDATE entity_merge SET undo = $2 WHERE id = $1::uuid', [id, undo]]);
  await rewriteJson(dataSource, `SELECT id::text, payload AS value FROM source_record WHERE payload IS NOT NULL AND id > $1::bigint ORDER BY id LIMIT ${CHUNK}`,
    '0', (payload: Record<string, unknown>) => {
      const facts = personFactsIn(payload) as (Omit<PersonFacts, 'idEvidence'> & { idEvidence: OldIdColumns['idEvidence'] }) | null;
      if (!facts) return;
      if (facts.id && !facts.id.digits) {
        const id18 = cipher.decrypt(facts.id.cipher);
        facts.id.digits = cipher.idDigitsKey(id18, id18.slice(-4));
      }
      const evidence: OldIdColumns = { idEvidence: facts.idEvidence };
      convert(evidence);
      facts.idEvidence = evidence.idEvidence ?? null;
    },
    (id, payload) => ['UPDATE source_record SET payload = $2 WHERE id = $1::bigint', [id, payload]]);
}

/** Reads rows in id order, lets `change` edit each JSON value, and writes back those it changed. */
async function rewriteJson<T>(
  dataSource: DataSource, select: string, start: string, change: (value: T) => void, update: (id: string, value: T) => [string, unknown[]],
): Promise<void> {
  for (let after = start; ;) {
    const rows: { id: string; value: T }[] = await dataSource.query(select, [after]);
    if (rows.length === 0) return;
    for (const row of rows) {
      const before = JSON.stringify(row.value);
      change(row.value);
      if (JSON.stringify(row.value) !== before) await dataSource.query(...update(row.id, row.value));
    }
    after = rows[rows.length - 1].id;
  }
}
