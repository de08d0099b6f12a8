import { because } from '@qc/reasons';
import { parseBuilding } from './building';

// The spellings themselves are @qc/naming's rule (building.spec.ts there); this is the cell wrapper.
describe('parseBuilding', () => {
  it.each(['10号楼', '第10栋', 10, ' １０＃ '])('%p is building 10', (cell) => {
    expect(parseBuilding(cell)).toEqual({ ok: true, value: { key: '10', label: '10号楼' } });
  });

  it.each(['楼', 'abc楼', '0号楼', '小区', '3单元'])('rejects %s, naming the value', (cell) => {
    expect(parseBuilding(cell)).toEqual({ ok: false, reason: because('building-unrecognised', { value: cell }) });
  });

  it('says an empty cell is empty', () => {
    expect(parseBuilding('')).toEqual(expect.objectContaining({ ok: false }));
  });
});
