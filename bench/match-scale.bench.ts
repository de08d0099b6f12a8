import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { personNameKeys } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { hanName, mongolianName } from '../etl/generate/names';
import { daysIn, IdentityAllocator, ymd } from '../etl/generate/people';
import { Rng } from '../etl/generate/rng';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf } from './benchmark';
import { BenchDatabase, createBenchDatabase, runSql } from './support/bench-database';
import { importWithCli, ImportRun } from './support/cli-import';
import { positiveEnv } from './support/options';
import { Figure } from './support/results-file';

/**
 * Matching at scale: one batch of party members (an S1 export: the same people again, some with a
 * typo in the name, a masked or an Excel-damaged ID, and new people) imported into registries of
 * growing size, filled with SQL. The import (stage, match, merge) should cost in proportion to the
 * batch, not to the registry: the figures are the batch's time in a larger registry against the same
 * batch in the smallest one, in the same run.
 *
 * `BENCH_MATCH_REGISTRY` (default 100,000) is the smallest registry; the others are 3× and 10× it.
 * `BENCH_MATCH_BATCH` (default 20,000) is the batch. `match-batch-10x` imports a batch 10× as large
 * into the largest registry and compares its time per row with the batch's there.
 */
export const MATCH_SCALE_BENCHMARKS: BenchmarkGroup = {
  names: ['match-registry-3x', 'match-registry-10x', 'match-batch-10x'],
  async run(selected, context) {
    const base = positiveEnv('BENCH_MATCH_REGISTRY', 100_000);
    const batch = positiveEnv('BENCH_MATCH_BATCH', 20_000);
    const seed = `match-${context.options.seed}`;
    const dir = join(context.fixturesRoot, `match-${base}-${batch}-seed${context.options.seed}`);
    mkdirSync(dir, { recursive: true });
    const largest = selected.includes('match-registry-10x') || selected.includes('match-batch-10x') ? 10 * base : 3 * base;
    const sizes = [base, 3 * base, 10 * base].filter((size) => size <= largest);
    const runs = new Map<number, ImportRun>();
    let batchFile: string | null = null;
    let large: ImportRun | null = null;
    for (const size of sizes) {
      const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
      try {
        const names = await fillRegistry(database, seed, size, dir);
        // Every registry has the same committees in the same order, so one batch file serves them all.
        batchFile ??= writeBatch(join(dir, `党员信息导出_batch${batch}.csv`), seed, base, batch, 'batch', names);
        runs.set(size, await measuredImport(`batch of ${batch.toLocaleString('en-US')} into ${size.toLocaleString('en-US')}`, batchFile, database));
        if (size === 10 * base && selected.includes('match-batch-10x')) {
          const largeFile = writeBatch(join(dir, `党员信息导出_batch${10 * batch}.csv`), seed, size, 10 * batch, 'large-batch', names);
          large = await measuredImport(`batch of ${(10 * batch).toLocaleString('en-US')} into ${size.toLocaleString('en-US')}`, largeFile, database);
        }
      } finally {
        await database.drop();
      }
    }
    const figures: Figure[] = [];
    const baseline = runs.get(base)!;
    for (const [name, factor] of [['match-registry-3x', 3], ['match-registry-10x', 10]] as const) {
      if (selected.includes(name)) figures.push(registryFigure(context, name, batch, base, factor * base, baseline, runs.get(factor * base)!));
    }
    if (large) figures.push(batchFigure(context, batch, 10 * base, runs.get(10 * base)!, large));
    return figures;
  },
};

/**
 * Imports a batch and logs, beside its time, the person rows PostgreSQL read for it (index fetches
 * and sequential reads): a count the machine's load does not change, that should follow the batch.
 */
async function measuredImport(label: string, file: string, database: BenchDatabase): Promise<ImportRun> {
  const personRowsRead = async () =>
    Number((await runSql(database.url, `SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) AS n FROM pg_stat_user_tables WHERE relname = 'person'`))[0].n);
  const before = await personRowsRead();
  const run = await importWithCli(file, database.env, 'completed');
  const read = (await personRowsRead()) - before;
  const s = run.summary as (ImportRun['summary'] & { created?: number; matched?: number; reviewPending?: number }) | null;
  log(`match: ${label}: ${run.error ?? `${run.seconds.toFixed(2)} s, created ${s?.created ?? '?'}, matched ${s?.matched ?? '?'}, review ${s?.reviewPending ?? '?'}, person rows read ${read.toLocaleString('en-US')}`}, peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB`);
  return run;
}

function registryFigure(context: BenchContext, name: string, batch: number, base: number, size: number, small: ImportRun, big: ImportRun): Figure {
  const value = big.error ? null : big.seconds;
  const baselineValue = small.error ? null : small.seconds;
  const ratio = ratioOf(value, baselineValue);
  return figure(context, {
    name,
    value,
    unit: 's',
    baseline: { name: `the same batch into a registry of ${base.toLocaleString('en-US')} persons`, value: baselineValue },
    ratio,
    rows: batch,
    peakRssMb: value === null ? null : big.peakRssMb,
    goal: `ratio = time of a ${batch.toLocaleString('en-US')}-member batch into ${size.toLocaleString('en-US')} persons ÷ into ${base.toLocaleString('en-US')} ≤ 1.5 (the cost follows the batch, not the registry)`,
    goalMet: ratio === null ? null : ratio <= 1.5,
    error: big.error ?? (small.error ? `baseline: ${small.error}` : null),
  });
}

function batchFigure(context: BenchContext, batch: number, size: number, small: ImportRun, large: ImportRun): Figure {
  const perRow = large.error ? null : large.seconds / (10 * batch);
  const baselinePerRow = small.error ? null : small.seconds / batch;
  const ratio = ratioOf(perRow, baselinePerRow);
  return figure(context, {
    name: 'match-batch-10x',
    value: perRow === null ? null : perRow * 1000,
    unit: 'ms/row',
    baseline: { name: `a ${batch.toLocaleString('en-US')}-member batch into the same ${size.toLocaleString('en-US')} persons, per row`, value: baselinePerRow === null ? null : baselinePerRow * 1000 },
    ratio,
    rows: 10 * batch,
    peakRssMb: perRow === null ? null : large.peakRssMb,
    goal: 'ratio = time per row of a 10× batch ÷ time per row of the batch ≤ 1.5 (the cost grows linearly with the batch)',
    goalMet: ratio === null ? null : ratio <= 1.5,
    error: large.error ?? (small.error ? `baseline: ${small.error}` : null),
  });
}

interface BenchPerson {
  name: string;
  male: boolean;
  birth: string;
  id18: string;
  phone: string;
  joined: string;
}

// Registry persons are born in these districts; new persons of a batch in another, so their IDs never meet.
const REGISTRY_REGIONS = ['150102', '150103', '150104', '150105', '150121', '150122', '150123', '150124', '150125'];
const NEW_REGION = '150172';
const COMMUNITIES = 200;

/** Person i of a deterministic stream: the generator's names (Han and Mongolian, with their collisions), valid IDs, unique phones. */
function* persons(seed: string, stream: string, regions: readonly string[]): Generator<BenchPerson> {
  const rng = Rng.derive(seed, stream);
  const ids = new IdentityAllocator(`${seed}/${stream}`);
  for (;;) {
    const male = rng.chance(0.55);
    const name = (rng.chance(0.12) ? mongolianName(rng, male) : hanName(rng, male)).name;
    const [by, bm] = [rng.int(1935, 2003), rng.int(1, 12)];
    const bd = rng.int(1, daysIn(by, bm));
    const jy = Math.min(2023, by + 18 + rng.int(0, 30));
    const jm = rng.int(1, 12);
    yield {
      name, male, birth: ymd(by, bm, bd), id18: ids.id18(rng.pick(regions), by, bm, bd, male), phone: ids.phone(rng),
      joined: ymd(jy, jm, rng.int(1, daysIn(jy, jm))),
    };
  }
}

/** The committees of the first COMMUNITIES reference communities, by the formal names S1 uses. */
async function committees(client: Client): Promise<{ code: string; formalName: string }[]> {
  const { rows } = await client.query(`
    SELECT c.code, '中共呼和浩特市' || d.name || s.name || c.short_name || '委员会' AS "formalName"
      FROM division c JOIN division s ON s.code = c.parent_code JOIN division d ON d.code = s.parent_code
     WHERE c.level = 'community' AND c.short_name LIKE '%社区' ORDER BY c.code LIMIT $1`, [COMMUNITIES]);
  return rows;
}

/**
 * Fills the registry with `size` persons and their current memberships in community committees,
 * straight through SQL (keyed hashes and ciphers with the bench database's own key, as an import
 * would write them). The committees are created by importing one member each through the CLI, so
 * the batch's organization names find them.
 */
async function fillRegistry(database: BenchDatabase, seed: string, size: number, dir: string): Promise<string[]> {
  const started = Date.now();
  const cipher = new PiiCipher(Buffer.from(database.env.QC_PII_KEY!, 'base64'));
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const orgs = await committees(client);
    const seedFile = join(dir, `${database.name}-committees.csv`);
    const secretaries = persons(seed, 'secretaries', [NEW_REGION]);
    writeS1(seedFile, orgs.map((o, k) => s1Line(k + 1, { ...(secretaries.next().value as BenchPerson), id18: '', phone: '' }, o.formalName, {})));
    const seeded = await importWithCli(seedFile, database.env, 'completed');
    rmSync(seedFile);
    if (seeded.error) throw new Error(`the committees could not be imported: ${seeded.error}`);
    // In reference order; a row the import rejected (its secretary's dates, say) leaves its committee out.
    const { rows: created } = await client.query(`SELECT id::text, formal_name AS "formalName" FROM party_organization WHERE formal_name = ANY($1)`, [orgs.map((o) => o.formalName)]);
    const committeesCreated = orgs.flatMap((o) => created.filter((r: { formalName: string }) => r.formalName === o.formalName)) as { id: string; formalName: string }[];
    if (committeesCreated.length < orgs.length / 2) throw new Error(`only ${committeesCreated.length} of ${orgs.length} committees were created`);
    const orgIds = committeesCreated.map((o) => o.id);

    const keys = new Map<string, { exact: string; phonetic: string }>();
    const stream = persons(seed, 'registry', REGISTRY_REGIONS);
    const CHUNK = 10_000;
    for (let start = 0; start < size; start += CHUNK) {
      const cols: Record<string, unknown[]> = { id: [], name: [], nameKey: [], pinyin: [], gender: [], birth: [], idCipher: [], idHmac: [], idMasked: [], idDigits: [], phoneCipher: [], phoneHmac: [], phoneMasked: [], org: [], joined: [] };
      for (let i = start; i < Math.min(size, start + CHUNK); i++) {
        const p = stream.next().value as BenchPerson;
        let key = keys.get(p.name);
        if (!key) keys.set(p.name, (key = personNameKeys(p.name)));
        const id = cipher.protect('id', p.id18);
        const phone = cipher.protect('phone', p.phone);
        const push = (column: string, value: unknown) => cols[column].push(value);
        push('id', randomUUID()); push('name', p.name); push('nameKey', key.exact); push('pinyin', key.phonetic); push('gender', p.male ? 'M' : 'F'); push('birth', p.birth);
        push('idCipher', id.cipher); push('idHmac', id.hmac); push('idMasked', id.masked); push('idDigits', cipher.idDigitsKey(p.id18, p.id18.slice(-4)));
        push('phoneCipher', phone.cipher); push('phoneHmac', phone.hmac); push('phoneMasked', phone.masked); push('org', orgIds[i % orgIds.length]); push('joined', p.joined);
      }
      await client.query(`
        WITH p AS (
          INSERT INTO person (id, name, name_key, name_pinyin, gender, birth_date, birth_precision, id_number_cipher, id_number_hmac, id_number_masked, id_digits, phone_cipher, phone_hmac, phone_masked)
          SELECT id, name, name_key, pinyin, gender, birth, 'day', id_cipher, id_hmac, id_masked, id_digits, phone_cipher, phone_hmac, phone_masked
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::char[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
                 AS t(id, name, name_key, pinyin, gender, birth, id_cipher, id_hmac, id_masked, id_digits, phone_cipher, phone_hmac, phone_masked)
          RETURNING 1)
        INSERT INTO membership (person_id, organization_id, category, status, joined_on, joined_precision)
        SELECT person_id, organization_id, 'full', 'current', joined, 'day' FROM unnest($1::uuid[], $14::uuid[], $15::date[]) AS m(person_id, organization_id, joined)`,
      [cols.id, cols.name, cols.nameKey, cols.pinyin, cols.gender, cols.birth, cols.idCipher, cols.idHmac, cols.idMasked, cols.idDigits, cols.phoneCipher, cols.phoneHmac, cols.phoneMasked, cols.org, cols.joined]);
    }
    await client.query('ANALYZE');
    log(`match: registry of ${size.toLocaleString('en-US')} persons filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return committeesCreated.map((o) => o.formalName);
  } finally {
    await client.end();
  }
}

/**
 * A batch of `rows` S1 rows: 70% persons among the first `pool` of the registry (so every registry
 * that large holds them) as other exports describe them, 30% new persons. Of the known: half exactly
 * (valid ID), the rest with a typo in the name and no ID (found by phone), with a masked ID and the
 * joining day, or with an Excel-damaged ID and nothing else that identifies them (a review task).
 * Registry person i is a member of committee i % committees.length.
 */
function writeBatch(path: string, seed: string, pool: number, rows: number, stream: string, committees: string[]): string {
  const known = Math.round(rows * 0.7);
  if (known > pool) throw new Error(`a batch of ${rows} needs ${known} known persons; the registry holds ${pool}`);
  const stride = Math.floor(pool / known);
  const registry = persons(seed, 'registry', REGISTRY_REGIONS);
  const fresh = persons(seed, `new-${stream}`, [NEW_REGION]);
  const rng = Rng.derive(seed, stream);
  const lines: string[] = [];
  for (let i = 0; i < pool && lines.length < known; i++) {
    const p = registry.next().value as BenchPerson;
    if (i % stride !== 0) continue;
    const org = committees[i % committees.length];
    const n = lines.length + 1;
    const variant = n % 10;
    if (variant < 5) lines.push(s1Line(n, p, org, {}));
    else if (variant < 7) lines.push(s1Line(n, { ...p, name: typo(p.name, rng), id18: '' }, org, {}));
    else if (variant < 9) lines.push(s1Line(n, { ...p, phone: '', birth: '' }, org, { id: `${p.id18.slice(0, 6)}********${p.id18.slice(-4)}` }));
    else lines.push(s1Line(n, { ...p, phone: '', joined: '' }, org, { id: `${p.id18.slice(0, 15)}000` }));
  }
  while (lines.length < rows) {
    const p = fresh.next().value as BenchPerson;
    lines.push(s1Line(lines.length + 1, p, committees[rng.int(0, committees.length - 1)], {}));
  }
  writeS1(path, lines);
  return path;
}

function typo(name: string, rng: Rng): string {
  // A homophone or a near character for the last one, as typed from hearing.
  const swaps: Record<string, string> = { 伟: '玮', 芳: '方', 军: '君', 丽: '莉', 静: '靜', 华: '桦', 明: '铭', 平: '萍', 英: '瑛', 红: '宏' };
  const last = name.slice(-1);
  return name.slice(0, -1) + (swaps[last] ?? rng.pick(['文', '志', '国']));
}

const S1_HEADER = '序号,姓名,性别,民族,出生日期,公民身份号码,学历,人员类别,入党日期,转正日期,所在党组织,联系电话,工作单位,现居住地';

function s1Line(n: number, p: BenchPerson, org: string, override: { id?: string }): string {
  return [n, p.name, p.male ? '男' : '女', '汉族', p.birth, override.id ?? p.id18, '高中', '正式党员', p.joined, '', org, p.phone, '', ''].join(',');
}

function writeS1(path: string, lines: string[]): void {
  writeFileSync(path, `\uFEFF${[S1_HEADER, ...lines].join('\r\n')}\r\n`);
}
