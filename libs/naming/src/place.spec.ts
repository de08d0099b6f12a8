import { createPlaceIndex, splitPlacePrefix } from './place';

describe('splitPlacePrefix', () => {
  it('strips city, district and street by generic rules', () => {
    expect(splitPlacePrefix('呼和浩特市赛罕区人民路街道兴康社区第一网格')).toEqual({
      prefix: '呼和浩特市赛罕区人民路街道',
      rest: '兴康社区第一网格',
    });
    expect(splitPlacePrefix('回民区通道街街道三顺店社区').rest).toBe('三顺店社区');
    expect(splitPlacePrefix('土默特左旗察素齐镇XX村').rest).toBe('XX村');
    expect(splitPlacePrefix('包头市昆都仑区XX社区').rest).toBe('XX社区');
  });

  it('does not take names for places', () => {
    expect(splitPlacePrefix('团结小区社区').rest).toBe('团结小区社区');
    expect(splitPlacePrefix('红旗街社区').rest).toBe('红旗街社区');
    expect(splitPlacePrefix('华联超市').rest).toBe('华联超市');
    expect(splitPlacePrefix('日富物业').rest).toBe('日富物业');
  });

  it('never strips everything', () => {
    expect(splitPlacePrefix('赛罕区人民路街道')).toEqual({ prefix: '赛罕区', rest: '人民路街道' });
    expect(splitPlacePrefix('呼和浩特市')).toEqual({ prefix: '', rest: '呼和浩特市' });
  });

  it('uses a PlaceIndex, longest name first', () => {
    const places = createPlaceIndex(['人民路', '人民路街道', '如意工业园区']);
    expect(splitPlacePrefix('人民路街道兴康社区', places).prefix).toBe('人民路街道');
    expect(splitPlacePrefix('如意工业园区XX物业', places)).toEqual({ prefix: '如意工业园区', rest: 'XX物业' });
  });
});
