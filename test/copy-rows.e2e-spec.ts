import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { copyRows, dataSourceOptions, insertRows } from '../libs/database/src';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** A table with a column of every type the registry's entities use. */
@Entity('copy_probe')
class CopyProbe {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text', nullable: true }) text: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) label: string | null;
  @Column({ type: 'char', length: 4, nullable: true }) code: string | null;
  @Column({ type: 'smallint', nullable: true }) small: number | null;
  @Column({ type: 'integer', nullable: true }) whole: number | null;
  @Column({ type: 'bigint', nullable: true }) big: string | null;
  @Column({ type: 'numeric', nullable: true }) exact: string | null;
  @Column({ type: 'double precision', nullable: true }) real: number | null;
  @Column({ type: 'boolean', nullable: true }) flag: boolean | null;
  @Column({ type: 'date', nullable: true }) day: string | null;
  @Column({ type: 'timestamptz', nullable: true }) at: Date | null;
  @Column({ type: 'uuid', nullable: true }) ref: string | null;
  @Column({ type: 'jsonb', nullable: true }) doc: unknown;
  @Column({ type: 'text', array: true, nullable: true }) cells: (string | null)[] | null;
  @Column({ type: 'bytea', nullable: true }) bytes: Buffer | null;
  @Column({ type: 'text', default: 'by default' }) fallback: string;
}

const HOSTILE = ['tab\there', 'line\nbreak', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\.', '', '张伟 青城', 'emoji 😀👨‍👩‍👧', '"quoted", {braced}', 'NULL', ' padded '];

describe('copyRows: COPY into real PostgreSQL stores what INSERT stores', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let n = 0;
  const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({ ...dataSourceOptions(database.url), entities: [CopyProbe], migrations: [] });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE copy_probe (id uuid PRIMARY KEY, text text, label varchar(40), code char(4), small smallint, whole integer, big bigint,
      exact numeric, real double precision, flag boolean, day date, at timestamptz, ref uuid, doc jsonb, cells text[], bytes bytea, fallback text NOT NULL DEFAULT 'by default')`);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const read = (ids: string[]) => dataSource.query(`SELECT * FROM copy_probe WHERE id = ANY($1) ORDER BY array_position($1, id)`, [ids]);

  it('round-trips every column type, hostile text included, exactly as the INSERT path writes it', async () => {
    const rows: Partial<CopyProbe>[] = HOSTILE.map((text, i) => ({
      text, label: text.slice(0, 40), code: 'ab', small: -i, whole: 2_147_483_647 - i, big: '9007199254740993', exact: '12345678901234567890.000001', real: i + 0.25,
      flag: i % 2 === 0, day: '2024-02-29', at: new Date(Date.UTC(2024, 1, 29, 16, 30, 0, 123)), ref: '0190a6c0-0000-7000-8000-000000000001',
      doc: { text, nested: [text, null, 1.5, true], '键 with\ttab': text }, cells: [text, null, '', '{"a"}', 'a,b'], bytes: Buffer.from([0, 9, 10, 13, 92, 255]),
    }));
    const copied = rows.map((row) => ({ ...row, id: id() }));
    const inserted = rows.map((row) => ({ ...row, id: id() }));
    await dataSource.transaction(async (tx) => {
      await copyRows(tx, CopyProbe, copied);
      for (const row of inserted) await insertRows(tx, CopyProbe, [row]);
    });
    const byCopy = await read(copied.map((r) => r.id));
    const byInsert = await read(inserted.map((r) => r.id));
    expect(byCopy.map(({ id: _id, ...rest }: CopyProbe) => rest)).toEqual(byInsert.map(({ id: _id, ...rest }: CopyProbe) => rest));
    expect(byCopy.map((r: CopyProbe) => r.text)).toEqual(HOSTILE);
    expect(byCopy.map((r: CopyProbe) => r.cells)).toEqual(HOSTILE.map((text) => [text, null, '', '{"a"}', 'a,b']));
    expect(byCopy.map((r: CopyProbe) => (r.doc as { text: string }).text)).toEqual(HOSTILE);
    expect(byCopy[0]).toMatchObject({ big: '9007199254740993', exact: '12345678901234567890.000001', fallback: 'by default' });
    expect(await dataSource.query(`SELECT day::text FROM copy_probe WHERE id = $1`, [copied[0].id])).toEqual([{ day: '2024-02-29' }]);
    expect((byCopy[0].at as Date).toISOString()).toBe('2024-02-29T16:30:00.123Z');
    expect((byCopy[0].bytes as Buffer).equals(Buffer.from([0, 9, 10, 13, 92, 255]))).toBe(true);
  });

  it('tells null from the empty string, and a row leaving a column undefined takes its default', async () => {
    const rows = [{ id: id(), text: null, cells: null }, { id: id(), text: '', cells: [] }, { id: id(), text: 'own', fallback: 'own value' }];
    await copyRows(dataSource.manager, CopyProbe, rows);
    expect((await read(rows.map((r) => r.id))).map((r: CopyProbe) => [r.text, r.cells, r.fallback])).toEqual([
      [null, null, 'by default'], ['', [], 'by default'], ['own', null, 'own value'],
    ]);
  });

  it("writes on the transaction's own connection: rolled back with it, and a failed COPY fails the transaction", async () => {
    const kept = { id: id(), text: 'rolled back' };
    await expect(dataSource.transaction(async (tx) => {
      await copyRows(tx, CopyProbe, [kept]);
      expect(await tx.query(`SELECT count(*)::int AS n FROM copy_probe WHERE id = $1`, [kept.id])).toEqual([{ n: 1 }]);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await read([kept.id])).toEqual([]);

    const duplicate = { id: id(), text: 'twice' };
    await expect(dataSource.transaction((tx) => copyRows(tx, CopyProbe, [duplicate, duplicate]))).rejects.toThrow(/duplicate key/);
    expect(await read([duplicate.id])).toEqual([]);
    // The connection is usable afterwards.
    await copyRows(dataSource.manager, CopyProbe, [duplicate]);
    expect(await read([duplicate.id])).toHaveLength(1);
  });

  it('insertRows sends many rows that carry their keys by COPY and returns their keys in order', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: id(), text: `row ${i}\twith tab` }));
    const { identifiers } = await insertRows(dataSource.manager, CopyProbe, rows);
    expect(identifiers).toEqual(rows.map((r) => ({ id: r.id })));
    expect((await read(rows.map((r) => r.id))).map((r: CopyProbe) => r.text)).toEqual(rows.map((r) => r.text));
  });
});
