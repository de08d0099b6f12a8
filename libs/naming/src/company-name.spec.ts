import { companyNameKey } from './company-name';

describe('companyNameKey', () => {
  it.each([
    '日富物业',
    '呼和浩特市日富物业服务有限责任公司',
    '日富物业公司',
    '日富物业管理有限公司',
    '内蒙古日富物业服务有限公司',
    '日富物业服务有限公司（呼和浩特）',
    '呼市日富物业',
    ' 日富物业 有限公司 ',
    '日富物业服务有限公司呼和浩特分公司',
    '呼和浩特市日富物業服務有限責任公司',
  ])('%s → 日富物业', (raw) => expect(companyNameKey(raw)).toBe('日富物业'));

  it.each([
    ['云杉物业服务中心', '云杉物业'],
    ['云杉物业管理处', '云杉物业'],
    ['云杉物管', '云杉物业'],
    ['呼和浩特市云杉物管有限公司', '云杉物业'],
    ['内蒙古云杉物业服务有限责任公司赛罕区分公司', '云杉物业'],
    ['云杉物业管理有限公司第三分公司', '云杉物业'],
    ['云杉物业分公司', '云杉物业'],
  ])('reads an office, a short trade word or a branch as its company: %s → %s', (raw, key) => expect(companyNameKey(raw)).toBe(key));

  it('keeps a branch named after its company apart from another company', () => {
    expect(companyNameKey('云杉物业服务有限公司松涛分公司')).not.toBe(companyNameKey('松涛物业服务有限公司'));
  });

  it('removes group and joint-stock suffixes', () => {
    expect(companyNameKey('内蒙古伊利实业集团股份有限公司')).toBe('伊利实业');
    expect(companyNameKey('青城物业集团')).toBe('青城物业');
  });

  it('keeps trade names apart', () => {
    expect(companyNameKey('日富物业')).not.toBe(companyNameKey('日盛物业'));
    expect(companyNameKey('呼和浩特市华宇物业管理有限责任公司')).not.toBe(companyNameKey('呼和浩特市润宇物业服务有限责任公司'));
  });

  it('keeps 青城 (Hohhot’s nickname) because it is a trade name here', () => {
    expect(companyNameKey('呼和浩特市青城物业服务有限责任公司')).toBe('青城物业');
  });

  it('never strips a name down to nothing', () => {
    expect(companyNameKey('服务公司')).toBe('服务');
    expect(companyNameKey('有限公司')).toBe('有限公司');
    expect(companyNameKey('')).toBe('');
    expect(companyNameKey(null)).toBe('');
  });

  it('is idempotent', () => {
    for (const raw of ['呼和浩特市日富物业服务有限责任公司', '服务公司', '内蒙古伊利实业集团股份有限公司', '（筹）', '云杉物管', '物管', '服务中心']) {
      const k = companyNameKey(raw);
      expect(companyNameKey(k)).toBe(k);
    }
  });
});

describe('company names damaged by mis-encoding', () => {
  it('still reaches the trade name when 限 was lost to a replacement character', () => {
    expect(companyNameKey('内蒙古佳美物业服务有\uFFFD\uFFFD\uFFFD公司')).toBe(companyNameKey('佳美物业'));
  });
});
