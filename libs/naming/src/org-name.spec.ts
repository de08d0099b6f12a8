import { orgNameKey, parseOrgName } from './org-name';
import { createPlaceIndex } from './place';

const places = createPlaceIndex(['呼和浩特市', '赛罕区', '新城区', '回民区', '人民路街道', '东街街道', '通道街街道', '大青山街']);

describe('parseOrgName', () => {
  it('reads a formal community committee', () => {
    const p = parseOrgName('中共呼和浩特市赛罕区人民路街道兴康社区委员会');
    expect(p).toMatchObject({
      form: 'committee',
      core: '兴康社区',
      placePrefix: '呼和浩特市赛罕区人民路街道',
      community: '兴康社区',
      communityKey: '兴康',
      tags: ['community'],
    });
  });

  it('reads a formal grid branch, keeping the community in the core', () => {
    const p = parseOrgName('中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会');
    expect(p).toMatchObject({ form: 'branch', core: '兴康社区第一网格', communityKey: '兴康', grid: 1, tags: ['grid'] });
    expect(p.placePrefix).toBe('呼和浩特市赛罕区人民路街道');
  });

  it('strips places with a PlaceIndex, including names the generic rules do not know', () => {
    const p = parseOrgName('赛罕区人民路街道兴康社区第一网格支部委员会', places);
    expect(p).toMatchObject({ placePrefix: '赛罕区人民路街道', core: '兴康社区第一网格', grid: 1 });
    const q = parseOrgName('大青山街兴康社区党委', places);
    expect(q).toMatchObject({ placePrefix: '大青山街', core: '兴康社区', form: 'committee' });
    // Without the index 大青山街 is not recognisable as a street and stays in the core.
    expect(parseOrgName('大青山街兴康社区党委').placePrefix).toBe('');
  });

  it('does not mistake 团结小区社区 for a district', () => {
    const p = parseOrgName('迎新路街道团结小区社区党委');
    expect(p).toMatchObject({ placePrefix: '迎新路街道', core: '团结小区社区', communityKey: '团结小区' });
  });

  it('reads 党委 inside a community name (内蒙党委社区) as part of the place, not as a parent organisation', () => {
    expect(parseOrgName('中共呼和浩特市新城区东街街道内蒙党委社区委员会')).toMatchObject({ form: 'committee', core: '内蒙党委社区', communityKey: '内蒙党委' });
    expect(parseOrgName('中共呼和浩特市新城区东街街道内蒙党委社区第二网格支部委员会')).toMatchObject({ form: 'branch', communityKey: '内蒙党委', grid: 2 });
    expect(parseOrgName('内蒙党委社区党委').key).toBe(parseOrgName('中共呼和浩特市新城区东街街道内蒙党委社区委员会').key);
  });

  it('reads a residents\' committee named after a 生活区 as the community only when the division table knows it', () => {
    const withArea = createPlaceIndex(['呼和浩特市', '和林格尔县', '盛乐经济工业园区'], ['三农场生活区']);
    const committee = parseOrgName('中共呼和浩特市和林格尔县盛乐经济工业园区三农场生活区委员会', withArea);
    expect(committee).toMatchObject({ form: 'committee', communityKey: '三农场生活区' });
    expect(parseOrgName('中共呼和浩特市和林格尔县盛乐经济工业园区三农场生活区第一网格支部委员会', withArea)).toMatchObject({ form: 'branch', communityKey: '三农场生活区', grid: 1 });
    expect(parseOrgName('三农场生活区党委', withArea).key).toBe(committee.key);
    // Unknown to the division table, a 生活区 is a compound's name, not a community.
    expect(parseOrgName('机械厂生活区第一网格党支部', withArea).communityKey).toBeUndefined();
  });

  it('reads the company of a red-property branch', () => {
    const p = parseOrgName('中共呼和浩特市日富物业服务有限责任公司支部委员会');
    expect(p).toMatchObject({ form: 'branch', company: '日富物业', core: '日富物业', placePrefix: '呼和浩特市' });
    expect(p.tags).toEqual(['red-property']);
  });

  it('reads a nested building group: parent branch, compound and building', () => {
    const p = parseOrgName('中共呼和浩特市新城区东街街道河西社区第一网格支部委员会航苑小区8号楼党小组');
    expect(p).toMatchObject({
      form: 'group',
      parent: '河西社区第一网格',
      core: '河西社区航苑小区8号楼',
      communityKey: '河西',
      compound: '航苑',
      building: '8',
      tags: ['building'],
    });
  });

  it.each([
    ['兴康社区党委', 'committee'],
    ['中共兴康社区委员会', 'committee'],
    ['人民路街道党工委', 'committee'],
    ['河西社区党总支', 'general_branch'],
    ['中共河西社区总支部委员会', 'general_branch'],
    ['兴康社区第一网格党支部', 'branch'],
    ['中共兴康社区第一网格支部', 'branch'],
    ['中共兴康社区第一网格支部委员会', 'branch'],
    ['阳光小区5号楼党小组', 'group'],
    ['航苑小区四位一体联合党支部', 'joint_branch'],
    ['中共航苑小区联合支部委员会', 'joint_branch'],
    ['如意商圈联合党委', 'joint_committee'],
    ['兴康社区居民委员会', 'unknown'], // a residents' committee is not a party organisation
    ['党员中心户（杨丽君）', 'unknown'],
  ])('%s is a %s', (raw, form) => {
    expect(parseOrgName(raw).form).toBe(form);
  });

  it.each([
    ['兴康社区志愿服务党支部', 'functional'],
    ['三顺店社区同心党支部', 'functional'],
    ['如意商圈联合党委', 'new-domain'],
    ['金桥楼宇党支部', 'new-domain'],
    ['航苑小区四位一体联合党支部', 'joint'],
    ['日富物业党支部', 'red-property'],
    ['兴康社区第五网格党支部', 'grid'],
    ['友谊公寓8号楼党小组', 'building'],
  ])('%s is tagged %s', (raw, tag) => {
    expect(parseOrgName(raw).tags).toContain(tag);
  });

  it('is total on odd input', () => {
    for (const raw of [null, undefined, '', '   ', '党支部', '中共', '委员会', '（）', '#', '社区', 'x'.repeat(500)]) {
      const p = parseOrgName(raw);
      expect(typeof p.key).toBe('string');
      expect(p.tags).toBeInstanceOf(Array);
    }
    expect(parseOrgName('党支部')).toMatchObject({ form: 'branch', key: '' });
    expect(parseOrgName(null)).toMatchObject({ form: 'unknown', key: '' });
  });

  it('gives the same core key when its core is parsed again', () => {
    for (const raw of [
      '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会',
      '中共呼和浩特市新城区东街街道河西社区第一网格支部委员会航苑小区8号楼党小组',
      '中共呼和浩特市日富物业服务有限责任公司支部委员会',
      '兴康社区民族团结党支部',
    ]) {
      const p = parseOrgName(raw);
      expect(parseOrgName(`${p.core}党支部`).coreKey).toBe(p.coreKey);
    }
  });
});

describe('orgNameKey', () => {
  const same = (names: string[], ctx?: { community?: string }) => {
    const keys = names.map((n) => orgNameKey(n, undefined, ctx));
    expect(keys[0]).not.toBe('');
    expect(new Set(keys).size).toBe(1);
  };

  it('equates the formal and short names of a community committee', () =>
    same(['中共呼和浩特市赛罕区人民路街道兴康社区委员会', '兴康社区党委', '赛罕区人民路街道兴康社区党委', '兴康社区党委（2023）']));

  it('equates the ways of writing a grid branch', () =>
    same([
      '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会',
      '兴康社区第一网格党支部',
      '兴康社区一网格党支部',
      '兴康社区1网格党支部',
      '兴康社区第1网格党支部',
      '中共兴康社区第一网格支部',
      '兴康社区居委会第一网格党支部',
    ]));

  it('equates a general branch in both forms', () =>
    same(['中共呼和浩特市新城区东街街道河西社区总支部委员会', '河西社区党总支', '河西社区党总支部']));

  it('equates red-property branches across company name variants', () =>
    same([
      '中共呼和浩特市日富物业服务有限责任公司支部委员会',
      '日富物业党支部',
      '呼和浩特市日富物业服务有限责任公司党支部',
      '日富物业公司党支部',
      '内蒙古日富物业管理有限公司党支部',
    ]));

  it('equates the three ways the sources name a building group', () => {
    same(['中共呼和浩特市新城区东街街道河西社区第一网格支部委员会航苑小区8号楼党小组', '河西社区航苑小区8号楼党小组', '河西社区航苑8#楼党小组']);
    // The ledger's org chart omits the community: the caller supplies it from the file.
    expect(orgNameKey('航苑小区8号楼党小组', undefined, { community: '河西社区' })).toBe(
      orgNameKey('河西社区航苑小区8号楼党小组'),
    );
  });

  it('uses the caller’s community for grid branches listed without one', () => {
    expect(orgNameKey('第一网格党支部', undefined, { community: '兴康' })).toBe(orgNameKey('兴康社区第一网格党支部'));
    // A name that carries its own community ignores the context.
    expect(orgNameKey('兴安社区第一网格党支部', undefined, { community: '兴康' })).toBe(orgNameKey('兴安社区一网格党支部'));
  });

  it('equates joint organisations with and without their slogan', () =>
    same(['中共呼和浩特市新城区东街街道航苑小区联合支部委员会', '航苑小区四位一体联合党支部', '航苑联合党支部'], { community: '河西社区' }));

  it('equates the older names of functional branches used by the retired app', () => {
    same(['兴康社区志愿服务党支部', '兴康社区志愿者党支部', '中共呼和浩特市赛罕区人民路街道兴康社区志愿服务支部委员会']);
    same(['兴康社区文体曲艺党支部', '兴康社区文体党支部']);
    same(['三顺店社区同心党支部', '三顺店社区民族团结党支部']);
    same(['双树社区流动党员党支部', '双树社区流动党支部']);
    same(['双树社区老年党支部', '双树社区老年协会党支部']);
  });

  it.each([
    ['兴康社区党委', '兴安社区党委'],
    ['兴康社区第一网格党支部', '兴康社区第二网格党支部'],
    ['中共兴康社区第一网格支部委员会', '中共兴康社区第二网格支部委员会'],
    ['兴康社区党委', '兴康社区第一网格党支部'],
    ['兴康社区党委', '兴康社区党总支'], // form is part of the key
    ['日富物业党支部', '日盛物业党支部'],
    ['兴康社区第一网格党支部', '河西社区第一网格党支部'],
    ['河西社区航苑小区8号楼党小组', '河西社区航苑小区6号楼党小组'],
    ['水文社区工大小区2号楼党小组', '水文社区工大新村2号楼党小组'],
    ['兴康社区志愿服务党支部', '兴康社区同心党支部'],
    ['航苑小区四位一体联合党支部', '航苑小区党支部'],
  ])('%s ≠ %s', (a, b) => {
    expect(orgNameKey(a)).not.toBe(orgNameKey(b));
  });

  it('keeps the form-free core key equal across a rename from 党总支 to 党委', () => {
    expect(parseOrgName('兴康社区党总支').coreKey).toBe(parseOrgName('兴康社区党委').coreKey);
  });
});

describe('short names that open with the bare community name', () => {
  it('reads 贝尔路三网格支部 in 贝尔路社区 as that community\'s third grid branch', () => {
    const context = { community: '贝尔路社区' };
    expect(orgNameKey('贝尔路三网格支部', undefined, context)).toBe(orgNameKey('中共呼和浩特市回民区中山西路街道贝尔路社区第三网格支部委员会'));
    expect(orgNameKey('贝尔路社区三网格党支部', undefined, context)).toBe(orgNameKey('第三网格党支部', undefined, context));
  });
});
