import { parseGridName } from './grid-name';

describe('parseGridName', () => {
  it.each(['第一网格', '一网格', '1网格', '第1网格', '网格一', '01', '1', '第01网格', '1号网格', '第一网格党支部', '第１网格'])(
    '%s → grid 1',
    (raw) => expect(parseGridName(raw).number).toBe(1),
  );

  it('reads larger ordinals', () => {
    expect(parseGridName('第十二网格').number).toBe(12);
    expect(parseGridName('二十网格').number).toBe(20);
    expect(parseGridName(8).number).toBe(8);
  });

  it('splits a grid code into community code and grid number', () => {
    expect(parseGridName('150105001019003')).toEqual({ communityCode: '150105001019', number: 3 });
  });

  it('reads the community in front of the grid', () => {
    expect(parseGridName('兴康社区第一网格')).toEqual({ number: 1, community: '兴康' });
    expect(parseGridName('三顺店社区五网格')).toEqual({ number: 5, community: '三顺店' });
  });

  it('keeps first and second grid apart', () => {
    expect(parseGridName('第一网格').number).not.toBe(parseGridName('第二网格').number);
  });

  it('returns number null for anything else', () => {
    for (const raw of [null, undefined, '', '网格', '网格员', '第零网格', '000', 'abc']) {
      expect(parseGridName(raw).number).toBeNull();
    }
  });
});

describe('parseGridName on ordinals no list holds', () => {
  it.each([7, 23, 46])('reads grid %i in every spelling', (n) => {
    const digits = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const cn = n < 10 ? digits[n] : `${n >= 20 ? digits[Math.floor(n / 10)] : ''}十${digits[n % 10]}`;
    const wide = String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    for (const raw of [`第${n}网格`, `0${n}网格`, `${cn}网格`, `${n}网格`, `第${cn}网格`, `第${wide}网格`, `网格${n}`, `${n}号网格`, `第${n}网格（东片）`]) {
      expect({ raw, number: parseGridName(raw).number }).toEqual({ raw, number: n });
    }
  });
});
