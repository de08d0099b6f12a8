import * as iconv from 'iconv-lite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportRecovery, ImportsService } from '../libs/ingestion/src';
import { StageHandler } from '../libs/ingestion/src/stage.handler';
import { InProcessJobQueue, JobName } from '../libs/jobs/src';
import { RegistryUnderTest } from './support/registry-under-test';
import { validCitizenId, XINGKANG_COMMITTEE } from './support/member-roster';

const HEADER = '序号,姓名,性别,民族,出生日期,公民身份号码,学历,人员类别,入党日期,转正日期,所在党组织,联系电话,工作单位,现居住地';
const SECOND_BRANCH = '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会';

/**
 * An S1 export as the municipal system writes it (GB18030, CRLF) with what stresses a cut into
 * ranges: quoted cells holding line breaks, commas and quotes, rows rejected and skipped all
 * along the file, and rows repeated far apart (the second copy in another range than the first).
 */
function s1Export(): string {
  const lines = [HEADER];
  for (let i = 1; i <= 360; i++) {
    const birth = `19${60 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const id = validCitizenId('150105', birth, String(100 + i).slice(-3));
    const date = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
    const org = i % 3 === 0 ? SECOND_BRANCH : XINGKANG_COMMITTEE;
    const workplace = i % 5 === 0 ? `"兴康""红色""物业, 第${i}班组\r\n（外派）"` : `单位${i}`;
    const residence = i % 7 === 0 ? `"航苑小区${i % 9}号楼,\r\n${i % 4}单元"` : '';
    if (i % 41 === 0) lines.push(`${i},,男,汉族,${date},,大学,正式党员,2001-07-01,2002-07-01,${org},,${workplace},`); // no name: rejected
    else if (i % 53 === 0) lines.push(`${i},无证人${i},,,,,,,,,,,,`); // a name and nothing else: rejected
    else if (i % 67 === 0) lines.push('合计,,,,,,,,,,,,,');
    else lines.push(`${i},成员${i},${i % 2 ? '男' : '女'},汉族,${date},${id},大学,正式党员,2001-07-01,2002-07-01,${org},139${String(10000000 + i)},${workplace},${residence}`);
  }
  // The same members again, a few hundred rows later: a member who moved appears once per organization.
  for (const copied of [2, 10, 35]) lines.push(lines[copied]);
  return `${lines.join('\r\n')}\r\n`;
}

function writeExport(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-range-')), name);
  writeFileSync(path, iconv.encode(text, 'gb18030'));
  return path;
}

/** Everything a stage and a merge made of one file, without ids and timestamps. */
async function outcome(db: DataSource, batchId: string) {
  const [batch] = await db.query(
    `SELECT status, error, source_kind, format, rows_read, accepted, rejected, skipped, warnings, created, matched, updated, review_pending, layout, columns, sheets
       FROM import_batch WHERE id = $1`, [batchId]);
  // Encrypted values differ on every encryption (a fresh nonce each): compared by their keyed hash beside them.
  const records = (await db.query(
    `SELECT record_ref, status, skip_reason, entity_type, raw, payload, row_hash, header_no FROM source_record WHERE batch_id = $1 ORDER BY id`, [batchId],
  )).map((r: { payload: unknown }) => ({ ...r, payload: JSON.parse(JSON.stringify(r.payload), (key, value) => (key === 'cipher' ? undefined : value)) }));
  const rejections = await db.query(
    `SELECT record_ref, column_name, reason, source_record_id IS NOT NULL AS "ofRow" FROM rejection WHERE batch_id = $1 ORDER BY record_ref::int NULLS FIRST, column_name, reason`, [batchId]);
  const warnings = await db.query(`SELECT record_ref, column_name, reason FROM record_warning WHERE batch_id = $1 ORDER BY record_ref::int, column_name, reason`, [batchId]);
  const headers = await db.query('SELECT no, headers FROM source_header WHERE batch_id = $1 ORDER BY no', [batchId]);
  // The registry: each person by name and birth date with the rows linked to it and its memberships' organizations.
  const persons = await db.query(
    `SELECT p.name, p.birth_date::text AS birth,
            array(SELECT s.record_ref FROM record_link_entry l JOIN source_record s ON s.id = l.source_record_id
                   WHERE l.entity_type = 'person' AND l.entity_id = p.id::text ORDER BY s.record_ref::int) AS rows,
            array(SELECT o.name_key FROM membership m JOIN party_organization o ON o.id = m.organization_id WHERE m.person_id = p.id ORDER BY o.name_key) AS organizations
       FROM person p ORDER BY p.name, p.birth_date`);
  const [registry] = await db.query(`SELECT (SELECT count(*)::int FROM person) AS persons, (SELECT count(*)::int FROM membership) AS memberships,
      (SELECT count(*)::int FROM party_organization) AS organizations, (SELECT count(*)::int FROM review_task) AS reviews`);
  return { batch, records, rejections, warnings, headers, persons, registry };
}

/** Imports the file into a fresh registry under these settings; `submit` replaces the plain submit-and-wait. */
async function importWith(env: Record<string, string>, path: string, submit = (registry: RegistryUnderTest) => registry.importFile(path)) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await RegistryUnderTest.using(async (registry) => {
      const summary = await submit(registry);
      const ranges = await registry.db.query(
        'SELECT no, first_line, counts IS NOT NULL AS staged, bytes_read::float8 = (byte_end - byte_start)::float8 AS "readWhole", attempts FROM stage_range WHERE batch_id = $1 ORDER BY no', [summary.batchId]);
      const order = await registry.db.query('SELECT record_ref::int AS line FROM source_record WHERE batch_id = $1 ORDER BY id', [summary.batchId]);
      return { summary, ranges, lines: order.map((r: { line: number }) => r.line), result: await outcome(registry.db, summary.batchId) };
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const RANGED = { QC_STAGE_RANGE_BYTES: '4096', QC_IMPORT_CONCURRENCY: '2', QC_JOB_BACKOFF_MS: '0' };

type CompleteRange = (batch: unknown, no: number, ...rest: unknown[]) => Promise<void>;

/** Makes the end of range `no` fail `times` times (as a lost connection would, after its rows are committed) while `work` runs. */
async function failingRange<T>(no: number, times: number, work: () => Promise<T>): Promise<T> {
  const prototype = StageHandler.prototype as unknown as { completeRange: CompleteRange };
  const original = prototype.completeRange;
  let failures = 0;
  const spy = jest.spyOn(prototype, 'completeRange').mockImplementation(async function (this: unknown, batch, rangeNo, ...rest) {
    if (rangeNo === no && failures < times) {
      failures++;
      throw new Error('the connection to the database was lost');
    }
    return original.call(this, batch, rangeNo, ...rest);
  });
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

describe('a large CSV staged in byte ranges (real PostgreSQL)', () => {
  const path = writeExport('党员信息导出_20240301.csv', s1Export());
  let whole: Awaited<ReturnType<typeof importWith>>;

  beforeAll(async () => {
    whole = await importWith({}, path);
  });

  it('stages, rejects and merges every row as a single reading of the file does, with the same line numbers', async () => {
    const ranged = await importWith(RANGED, path);

    // The file was read whole once and in many ranges once, each range staged exactly once and read to its end.
    expect(whole.ranges).toEqual([]);
    expect(ranged.ranges.length).toBeGreaterThan(5);
    expect(ranged.ranges.every((r: { staged: boolean; readWhole: boolean; attempts: number }) => r.staged && r.readWhole && r.attempts === 1)).toBe(true);
    // Quoted line breaks put rows off their ordinal: the first line of a later range is not its row count.
    expect(ranged.ranges[ranged.ranges.length - 1].first_line).toBeGreaterThan(300);

    // Something to compare: rows rejected (with their line) and skipped, members repeated, a completed merge.
    expect(whole.result.batch).toMatchObject({ status: 'completed', source_kind: 'S1', format: 'csv' });
    expect(whole.result.batch.rejected).toBeGreaterThan(5);
    expect(whole.result.batch.skipped).toBeGreaterThan(3);
    // Row 41 (no name) is rejected under its physical line, which quoted line breaks above it put past 42.
    const row41 = whole.result.records.find((r: { raw: string[] }) => r.raw[0] === '41');
    expect(Number(row41.record_ref)).toBeGreaterThan(42);
    expect(whole.result.rejections.map((r: { record_ref: string }) => r.record_ref)).toContain(row41.record_ref);
    expect(whole.result.batch.rows_read).toBe(whole.result.batch.accepted + whole.result.batch.rejected + whole.result.batch.skipped);

    expect(ranged.result).toEqual(whole.result);
    // The merge reads a batch by id: the ranged stage gave the ids in the file's order, as a single reading does.
    expect(ranged.lines).toEqual([...ranged.lines].sort((a, b) => a - b));
    expect(ranged.lines).toEqual(whole.lines);
  });

  it('stages a range again from clean when its job fails after committing its rows, and counts it once', async () => {
    const ranged = await failingRange(2, 1, () => importWith(RANGED, path));
    expect(ranged.ranges[2]).toMatchObject({ staged: true, attempts: 2 });
    expect(ranged.ranges.filter((r: { attempts: number }) => r.attempts !== 1)).toHaveLength(1);
    expect(ranged.result).toEqual(whole.result);
  });

  it('queues again, through the recovery sweep, a range whose job was lost, and stages it once', async () => {
    const ranged = await importWith(RANGED, path, async (registry) => {
      const queue = registry.importer.get(InProcessJobQueue);
      const enqueue = queue.enqueue.bind(queue);
      let lost = false;
      // Redis restarted without persistence right after range 1 was queued: its job is gone.
      const spy = jest.spyOn(queue, 'enqueue').mockImplementation(async (name, data) => {
        if (name === JobName.ImportStageRange && (data as { range: number }).range === 1 && !lost) {
          lost = true;
          return;
        }
        return enqueue(name, data);
      });
      try {
        const imports = registry.importer.get(ImportsService);
        const { id } = await imports.submit(path, 'test');
        // Every other range staged, then the batch waits for the lost one.
        for (let left: number | null = null; left !== 1; ) {
          await queue.idle();
          [{ left }] = await registry.db.query('SELECT stage_ranges_left AS "left" FROM import_batch WHERE id = $1', [id]);
        }
        expect(await registry.importer.get(ImportRecovery).requeueLost()).toEqual([id]);
        return await imports.waitFor(id, undefined, 50);
      } finally {
        spy.mockRestore();
      }
    });
    expect(ranged.ranges.every((r: { staged: boolean; attempts: number }) => r.staged && r.attempts === 1)).toBe(true);
    expect(ranged.result).toEqual(whole.result);
  });

  it('fails the batch, merging nothing, when a range fails at every attempt', async () => {
    const ranged = await failingRange(2, Number.POSITIVE_INFINITY, () => importWith(RANGED, path));
    expect(ranged.result.batch).toMatchObject({ status: 'failed', error: 'import failed: the connection to the database was lost' });
    expect(ranged.ranges[2]).toMatchObject({ staged: false, attempts: 3 });
    expect(ranged.result.registry).toMatchObject({ persons: 0, memberships: 0 });
  });

  it('fails the batch as a poison file once a range has started as many jobs as a batch may (QC_IMPORT_MAX_ATTEMPTS)', async () => {
    const ranged = await failingRange(2, Number.POSITIVE_INFINITY, () => importWith({ ...RANGED, QC_IMPORT_MAX_ATTEMPTS: '2', QC_JOB_ATTEMPTS: '3' }, path));
    expect(ranged.result.batch).toMatchObject({
      status: 'failed', error: '党员信息导出_20240301.csv: the worker stopped 2 times while reading this file: it may need more memory than the worker has',
    });
    // The third job of the range was counted, and gave up before reading anything.
    expect(ranged.ranges[2]).toMatchObject({ staged: false, attempts: 3 });
    expect(ranged.result.registry).toMatchObject({ persons: 0, memberships: 0 });
  });

  it('refuses the whole file, keeping none of its rows, when one range holds what the reader refuses', async () => {
    const overlong = writeExport('党员信息导出_overlong.csv', s1Export().replace('成员300,', `成员300${'长'.repeat(40_000)},`));
    const read = await importWith({}, overlong);
    const ranged = await importWith(RANGED, overlong);
    expect(ranged.ranges.length).toBeGreaterThan(5);
    expect(read.result.batch).toMatchObject({ status: 'refused', rows_read: 0 });
    expect(read.result.batch.error).toMatch(/line \d+ column 2 has \d+ characters/);
    expect(ranged.result.records).toEqual([]);
    expect(ranged.result).toEqual(read.result);
  });
});
