import { parseAddress } from './address';

describe('parseAddress', () => {
  it('strips city and district and splits building, unit and room', () => {
    expect(parseAddress('呼和浩特市新城区航苑小区5号楼3单元1601')).toEqual({
      ok: true,
      value: { compound: '航苑小区', building: { key: '5', label: '5号楼' }, unit: 3, room: '1601' },
    });
  });

  it('reads the 5#3-1601 shorthand', () => {
    expect(parseAddress('航苑小区5#3-1601')).toEqual({
      ok: true,
      value: { compound: '航苑小区', building: { key: '5', label: '5号楼' }, unit: 3, room: '1601' },
    });
  });

  it('reads building-unit-room written with dashes', () => {
    expect(parseAddress('航苑小区5-3-1601')).toEqual({
      ok: true,
      value: { compound: '航苑小区', building: { key: '5', label: '5号楼' }, unit: 3, room: '1601' },
    });
  });

  it('keeps a street address as the compound when there is nothing else', () => {
    expect(parseAddress('老缸房街12号')).toEqual({ ok: true, value: { compound: '老缸房街12号' } });
  });

  it('separates a street address from the compound that follows it', () => {
    expect(parseAddress('新城区东街街道老缸房街12号航苑小区5号楼3单元1601')).toEqual({
      ok: true,
      value: {
        compound: '航苑小区',
        street: '老缸房街12号',
        building: { key: '5', label: '5号楼' },
        unit: 3,
        room: '1601',
      },
    });
  });

  it('handles spaces, 栋 and 室', () => {
    expect(parseAddress('兴康小区 10栋 2单元 302室')).toEqual({
      ok: true,
      value: { compound: '兴康小区', building: { key: '10', label: '10号楼' }, unit: 2, room: '302' },
    });
  });

  it('strips district and street prefixes by suffix and reads Chinese numerals', () => {
    expect(parseAddress('赛罕区人民路街道某小区十号楼1单元101')).toEqual({
      ok: true,
      value: { compound: '某小区', building: { key: '10', label: '10号楼' }, unit: 1, room: '101' },
    });
    expect(parseAddress('内蒙古自治区呼和浩特市赛罕区人民路街道兴康社区兴康小区十号楼一单元302室')).toEqual({
      ok: true,
      value: { compound: '兴康小区', building: { key: '10', label: '10号楼' }, unit: 1, room: '302' },
    });
  });

  it('does not mistake a compound name ending in 旗/乡 + 小区 for a division', () => {
    const r = parseAddress('五星红旗小区3号楼');
    expect(r.ok && r.value.compound).toBe('五星红旗小区');
  });

  it('keeps a courtyard address (号院) as the compound', () => {
    const r = parseAddress('人民路3号院2号楼1单元101');
    expect(r.ok && r.value).toEqual({
      compound: '人民路3号院',
      building: { key: '2', label: '2号楼' },
      unit: 1,
      room: '101',
    });
  });

  it('reads a lettered block and keeps unparsed text as rest', () => {
    expect(parseAddress('航苑小区A座1203（车库）')).toEqual({
      ok: true,
      value: { compound: '航苑小区', building: { key: 'A', label: 'A座' }, room: '1203', rest: '(车库)' },
    });
  });

  it('does not take a room written with 号 after the unit for a building', () => {
    expect(parseAddress('兴康小区2单元302号')).toEqual({
      ok: true,
      value: { compound: '兴康小区', unit: 2, room: '302' },
    });
  });

  it('flags an address without a compound', () => {
    expect(parseAddress('5号楼3单元101')).toEqual({
      ok: true,
      value: { compound: '', building: { key: '5', label: '5号楼' }, unit: 3, room: '101' },
      flags: ['no-compound'],
    });
  });

  it.each(['航苑小区10-号楼2单元501', '航苑小区１０号楼２单元５０１', '航苑小区第10栋2单元501', '航苑小区十号楼2单元501'])(
    'reads building 10 of %s the way a 楼栋号 cell is read',
    (raw) => {
      expect(parseAddress(raw)).toEqual({ ok: true, value: { compound: '航苑小区', building: { key: '10', label: '10号楼' }, unit: 2, room: '501' } });
    },
  );

  it('reads traditional characters', () => {
    const r = parseAddress('航苑小區5號樓3單元1601');
    expect(r.ok && r.value.compound).toBe('航苑小区');
    expect(r.ok && r.value.unit).toBe(3);
  });

  it('marks blank cells', () => {
    expect(parseAddress('   ')).toMatchObject({ ok: false, blank: true });
  });
});
