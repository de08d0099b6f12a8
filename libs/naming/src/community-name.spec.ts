import { communityNameKey } from './community-name';
import { createPlaceIndex } from './place';

describe('communityNameKey', () => {
  it.each(['兴康社区居委会', '兴康社区居民委员会', '兴康社区', '兴康', '兴康居委会', ' 兴康社区 ', '赛罕区人民路街道兴康社区'])(
    '%s → 兴康',
    (raw) => expect(communityNameKey(raw)).toBe('兴康'),
  );

  it('keeps 小区 that is part of a community name', () => {
    expect(communityNameKey('团结小区社区居委会')).toBe('团结小区');
    expect(communityNameKey('团结小区')).toBe('团结小区');
  });

  it('folds village committees to the village', () => {
    expect(communityNameKey('白塔村委会')).toBe('白塔村');
    expect(communityNameKey('白塔村村民委员会')).toBe('白塔村');
    expect(communityNameKey('白塔村民委员会')).toBe('白塔村');
    expect(communityNameKey('白塔村')).toBe('白塔村');
    expect(communityNameKey('新村村委会')).toBe('新村');
    expect(communityNameKey('新村村民委员会')).toBe('新村');
    expect(communityNameKey('新村村')).toBe('新村');
    expect(communityNameKey('巴彦嘎查村民委员会')).toBe('巴彦嘎查');
    expect(communityNameKey('巴彦嘎查委员会')).toBe('巴彦嘎查');
  });

  it('keeps different communities apart', () => {
    expect(communityNameKey('兴康社区')).not.toBe(communityNameKey('兴安社区'));
    expect(communityNameKey('河西社区居委会')).not.toBe(communityNameKey('河东社区居委会'));
  });

  it('does not reduce a bare suffix to nothing', () => {
    expect(communityNameKey('社区')).toBe('社区');
    expect(communityNameKey('居委会')).toBe('居委会');
    expect(communityNameKey('')).toBe('');
  });

  it('uses a PlaceIndex for streets without a generic suffix', () => {
    const places = createPlaceIndex(['大青山街']);
    expect(communityNameKey('大青山街兴康社区', places)).toBe('兴康');
  });

  it('is idempotent', () => {
    for (const raw of ['兴康社区居委会', '团结小区社区', '白塔村委会', '社区', '开发区虚拟社区']) {
      const k = communityNameKey(raw);
      expect(communityNameKey(k)).toBe(k);
    }
  });
});
