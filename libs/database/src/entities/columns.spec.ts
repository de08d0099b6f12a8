import { getMetadataArgsStorage } from 'typeorm';
import { LINEAGE_FIELDS, LineageCodec, lineageSlotRecord, LineageTable } from './columns';
import './index';

describe('LineageCodec', () => {
  const person = new LineageCodec('person');

  it('stores one slot per field in the fixed order, record id << 3 | source code, and reads back the same lineage', () => {
    const lineage = { phoneHmac: { sourceRecordId: '9007199254', source: 'S5' }, name: { sourceRecordId: '17', source: 'S1' } };
    const slots = person.to(lineage)!;
    expect(slots).toEqual(['137', null, null, null, null, null, null, null, null, null, String(9007199254 * 8 + 5)]);
    expect(person.from(slots)).toEqual(lineage);
    expect(lineageSlotRecord(slots[10]!)).toBe('9007199254');
  });

  it('keeps a field no source kind answers for (a division row) without a source', () => {
    const division = new LineageCodec('division');
    const slots = division.to({ households: { sourceRecordId: '5' } })!;
    expect(slots).toEqual([null, '40']);
    expect(division.from(slots)).toEqual({ households: { sourceRecordId: '5' } });
  });

  it('refuses a field without a slot or an unknown source rather than drop it', () => {
    expect(() => person.to({ nickname: { sourceRecordId: '1', source: 'S1' } })).toThrow(/no lineage slot for field nickname/);
    expect(() => person.to({ name: { sourceRecordId: '1', source: 'S9' } })).toThrow(/unknown source S9/);
  });

  it('reads an empty or missing column as no lineage', () => {
    expect(person.from([])).toEqual({});
    expect(person.from(null)).toEqual({});
  });

  it('names only fields that are columns of their table', () => {
    const columns = getMetadataArgsStorage().columns;
    const tables = getMetadataArgsStorage().tables;
    for (const [table, fields] of Object.entries(LINEAGE_FIELDS) as [LineageTable, readonly string[]][]) {
      const target = tables.find((t) => t.name === table)!.target;
      const properties = new Set(columns.filter((c) => c.target === target).map((c) => c.propertyName));
      expect(fields.filter((f) => !properties.has(f))).toEqual([]);
    }
  });
});
