import { loadSurvivorship, survive } from './survivorship';

const rules = loadSurvivorship();
const s1 = { sourceRecordId: '1', batchId: 'b1', source: 'S1' };
const s5 = { sourceRecordId: '2', batchId: 'b2', source: 'S5' };
const s2 = { sourceRecordId: '3', batchId: 'b3', source: 'S2' };

describe('survivorship', () => {
  it('fills an empty field from any source and records where it came from', () => {
    const r = survive<{ name: string | null }>(rules, 'person', { name: null }, {}, { name: '王芳' }, s5);
    expect(r.values).toEqual({ name: '王芳' });
    expect(r.lineage.name).toEqual({ sourceRecordId: '2', source: 'S5' });
  });

  it('lets a better-ranked source replace a value, never a worse one', () => {
    const fromS5 = { name: { sourceRecordId: '2', batchId: 'b2', source: 'S5' } };
    expect(survive(rules, 'person', { name: '王方' }, fromS5, { name: '王芳' }, s1).changes).toEqual({ name: ['王方', '王芳'] });
    const fromS1 = { name: { sourceRecordId: '1', batchId: 'b1', source: 'S1' } };
    const worse = survive(rules, 'person', { name: '王芳' }, fromS1, { name: '王方' }, s5);
    expect(worse.dirty).toBe(false);
  });

  it('does not let an empty offer erase a value', () => {
    const r = survive<{ residence: string | null }>(rules, 'person', { residence: '航苑小区' }, {}, { residence: null }, s1);
    expect(r.dirty).toBe(false);
  });

  it('moves lineage to a better source that confirms the same value, so a worse one cannot override it later', () => {
    const fromS5 = { phoneHmac: { sourceRecordId: '2', batchId: 'b2', source: 'S5' } };
    const confirmed = survive(rules, 'person', { phoneHmac: 'x' }, fromS5, { phoneHmac: 'x' }, s1);
    expect(confirmed.changes).toEqual({});
    expect(confirmed.lineage.phoneHmac.source).toBe('S1');
    expect(survive(rules, 'person', { phoneHmac: 'x' }, confirmed.lineage, { phoneHmac: 'y' }, s2).dirty).toBe(false);
  });
});
