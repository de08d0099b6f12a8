import { parsePartyCategory } from './party-category';

describe('parsePartyCategory', () => {
  it.each(['正式党员', '正式', '中共党员', '中国共产党党员', ' 正式 党员 '])(
    '%s is a full member',
    (cell) => {
      expect(parsePartyCategory(cell)).toEqual({ ok: true, value: 'full' });
    },
  );

  it.each(['预备党员', '预备', '中共预备党员', '預備黨員'])('%s is probationary', (cell) => {
    expect(parsePartyCategory(cell)).toEqual({ ok: true, value: 'probationary' });
  });

  it('rejects other political statuses', () => {
    expect(parsePartyCategory('共青团员')).toMatchObject({ ok: false });
    expect(parsePartyCategory('群众')).toMatchObject({ ok: false });
  });
});
