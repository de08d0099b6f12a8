import { toSimplified } from './simplified';

describe('toSimplified', () => {
  it('converts traditional organisation names', () => {
    expect(toSimplified('中共呼和浩特市賽罕區人民路街道興康社區第一網格支部委員會')).toBe(
      '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会',
    );
  });

  it('converts Hong Kong / Taiwan variant glyphs and names', () => {
    expect(toSimplified('衞生')).toBe('卫生');
    expect(toSimplified('裏面')).toBe('里面');
    expect(toSimplified('張偉')).toBe('张伟');
  });

  it('leaves simplified text and non-Chinese text unchanged', () => {
    expect(toSimplified('航苑小区5号楼3单元1601')).toBe('航苑小区5号楼3单元1601');
    expect(toSimplified('ABC-123')).toBe('ABC-123');
    expect(toSimplified('')).toBe('');
  });

  it('stays fast for repeated calls once the converter is built', () => {
    toSimplified('預熱');
    const start = process.hrtime.bigint();
    for (let i = 0; i < 10_000; i++) toSimplified('賽罕區興康社區');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(1000);
  });
});
