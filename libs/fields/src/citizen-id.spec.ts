import { reasonText } from '@qc/reasons';
import { citizenIdCheckChar, citizenIdNearMisses, parseCitizenId } from './citizen-id';

const now = new Date('2024-03-01T00:00:00Z');
const parse = (cell: Parameters<typeof parseCitizenId>[0]) => parseCitizenId(cell, { now });

describe('citizenIdCheckChar', () => {
  it('computes the ISO 7064 MOD 11-2 character, including X', () => {
    expect(citizenIdCheckChar('11010519491231002')).toBe('X');
    expect(citizenIdCheckChar('44052418800101001')).toBe('4');
    expect(citizenIdCheckChar('15010519850312123')).toBe('1');
  });
});

describe('parseCitizenId', () => {
  describe('valid 18-digit IDs', () => {
    it('accepts the standard examples with birth date, gender and region', () => {
      expect(parse('11010519491231002X')).toEqual({
        ok: true,
        value: {
          kind: 'valid',
          id18: '11010519491231002X',
          birthDate: '1949-12-31',
          gender: 'F',
          regionCode: '110105',
        },
      });
      expect(parse('440524188001010014')).toEqual({
        ok: true,
        value: {
          kind: 'valid',
          id18: '440524188001010014',
          birthDate: '1880-01-01',
          gender: 'M',
          regionCode: '440524',
        },
      });
    });

    it('upper-cases a lowercase x check character', () => {
      const r = parse('11010519491231002x');
      expect(r.ok && r.value.kind === 'valid' && r.value.id18).toBe('11010519491231002X');
    });

    it('removes spaces, full-width digits and an Excel text apostrophe', () => {
      const expected = '150105198503121231';
      for (const cell of [
        ' 150105 19850312 1231 ',
        '１５０１０５１９８５０３１２１２３１',
        "'150105198503121231",
      ]) {
        const r = parse(cell);
        expect(r.ok && r.value.kind === 'valid' && r.value.id18).toBe(expected);
      }
    });

    it('reads gender from the sequence digit (odd = male)', () => {
      const female = parse('15010519850312124X');
      expect(female.ok && female.value.kind === 'valid' && female.value.gender).toBe('F');
    });

    it('flags a valid ID ending in 000, which a float could also have produced', () => {
      const r = parse('150105198503012000');
      expect(r.ok && r.value.kind).toBe('valid');
      expect(r.ok && r.flags).toEqual(['possibly-excel-damaged']);
    });
  });

  describe('legacy 15-digit IDs', () => {
    it('upgrades to 18 digits by inserting 19 and computing the check character', () => {
      expect(parse('441900890101221')).toEqual({
        ok: true,
        value: {
          kind: 'valid',
          id18: '441900198901012219',
          birthDate: '1989-01-01',
          gender: 'M',
          regionCode: '441900',
        },
        flags: ['legacy-15'],
      });
    });

    it('accepts a 15-digit ID stored as a number, which Excel keeps exactly', () => {
      const r = parse(441900890101221);
      expect(r.ok && r.value.kind === 'valid' && r.value.id18).toBe('441900198901012219');
    });

    it('rejects a 15-digit ID with an impossible birth date', () => {
      const r = parse('441900891301221');
      expect(r.ok).toBe(false);
      expect(!r.ok && reasonText(r.reason)).toMatch(/birth date/);
    });
  });

  describe('Excel-damaged IDs (partial evidence)', () => {
    it('keeps the 15 significant digits of an ID stored as a number', () => {
      expect(parse(150105198503121000)).toEqual({
        ok: true,
        value: { kind: 'damaged', prefix: '150105198503121', regionCode: '150105', birthDate: '1985-03-12' },
      });
    });

    it('treats an 18-digit string ending in 000 that fails the check as damaged', () => {
      expect(parse('150105198503121000')).toEqual({
        ok: true,
        value: { kind: 'damaged', prefix: '150105198503121', regionCode: '150105', birthDate: '1985-03-12' },
      });
    });

    it('keeps all 15 digits of a full-precision scientific string', () => {
      const r = parse('1.50105198503121E+17');
      expect(r.ok && r.value).toEqual({
        kind: 'damaged',
        prefix: '150105198503121',
        regionCode: '150105',
        birthDate: '1985-03-12',
      });
    });

    it('drops the last, rounded digit of a short display such as 1.50105E+17', () => {
      expect(parse('1.50105E+17')).toEqual({ ok: true, value: { kind: 'damaged', prefix: '15010' } });
      expect(parse('1.50106e17')).toEqual({ ok: true, value: { kind: 'damaged', prefix: '15010' } });
    });

    it('gives a region code once six reliable digits survive', () => {
      const r = parse('1.501052E+17');
      expect(r.ok && r.value).toEqual({ kind: 'damaged', prefix: '150105', regionCode: '150105' });
    });
  });

  describe('masked IDs (partial evidence)', () => {
    it('keeps visible prefix and suffix, region code and gender', () => {
      expect(parse('150105********123X')).toEqual({
        ok: true,
        value: { kind: 'masked', prefix: '150105', suffix: '123X', regionCode: '150105', gender: 'M' },
      });
    });

    it('reads the birth date when it is visible', () => {
      const r = parse('15010519850312****');
      expect(r.ok && r.value).toEqual({
        kind: 'masked',
        prefix: '15010519850312',
        suffix: '',
        regionCode: '150105',
        birthDate: '1985-03-12',
      });
    });

    it('accepts full-width asterisks and a lowercase x', () => {
      const r = parse('150105＊＊＊＊＊＊＊＊123x');
      expect(r.ok && r.value.kind === 'masked' && r.value.suffix).toBe('123X');
    });

    it('rejects a mask of the wrong length', () => {
      expect(parse('150105****123X').ok).toBe(false);
    });
  });

  describe('mistyped IDs (wrong check character)', () => {
    it('reads a wrong check character with a valid date as evidence with region and birth date, never as valid', () => {
      expect(parse('110105194912310021')).toEqual({
        ok: true, value: { kind: 'mistyped', typed: '110105194912310021', regionCode: '110105', birthDate: '1949-12-31' },
      });
    });

    it('leaves out a birth date the typing error made impossible', () => {
      // 1985-03-12 typed with month and day digits swapped: 1985-30-12.
      const r = parse('150105198530121231');
      expect(r).toEqual({ ok: true, value: { kind: 'mistyped', typed: '150105198530121231', regionCode: '150105' } });
    });

    it('does not quote the digits in any reason', () => {
      for (const cell of ['1501051985031212', '150105***123X', '15010519850312123Y']) {
        const r = parse(cell);
        expect(!r.ok && reasonText(r.reason)).not.toMatch(/\d{4}/);
      }
    });
  });

  describe('citizenIdNearMisses', () => {
    const real = '150105198503121231';
    const typedWith = (i: number, c: string) => real.slice(0, i) + c + real.slice(i + 1);

    it('finds the real ID behind one wrong digit', () => {
      const typo = typedWith(9, '7');
      expect(parse(typo)).toMatchObject({ ok: true, value: { kind: 'mistyped' } });
      expect(citizenIdNearMisses(typo, { now })).toContain(real);
    });

    it('finds the real ID behind two adjacent digits swapped', () => {
      const swapped = real.slice(0, 14) + real[15] + real[14] + real.slice(16);
      expect(parse(swapped)).toMatchObject({ ok: true, value: { kind: 'mistyped' } });
      expect(citizenIdNearMisses(swapped, { now })).toContain(real);
    });

    it('finds the real ID behind a mistyped check character', () => {
      expect(citizenIdNearMisses(typedWith(17, '5'), { now })).toContain(real);
    });

    it('finds the real ID behind a swap that broke the birth date', () => {
      expect(citizenIdNearMisses('150105198530121231', { now })).toContain(real);
    });

    it('offers only valid IDs one typing error away, never one two errors away', () => {
      const typo = typedWith(9, '7');
      const near = citizenIdNearMisses(typo, { now });
      expect(near.length).toBeGreaterThan(0);
      for (const id of near) {
        expect(parse(id)).toMatchObject({ ok: true, value: { kind: 'valid', id18: id } });
        const differing = [...id].flatMap((c, i) => (c !== typo[i] ? [i] : []));
        const adjacentSwap = differing.length === 2 && differing[1] === differing[0] + 1 && id[differing[0]] === typo[differing[1]] && id[differing[1]] === typo[differing[0]];
        expect(differing.length === 1 || adjacentSwap).toBe(true);
      }
      const twoErrorsAway = '150105198503129997';
      expect(parse(twoErrorsAway)).toMatchObject({ ok: true, value: { kind: 'valid' } });
      expect(near).not.toContain(twoErrorsAway);
    });
  });

  describe('invalid input', () => {

    it('rejects an unknown province code', () => {
      const first17 = '99010519850312123';
      const r = parse(first17 + citizenIdCheckChar(first17));
      expect(!r.ok && r.reason).toEqual({ code: 'id-region', params: { province: '99' } });
    });

    it('rejects a birth date that does not exist or lies in the future', () => {
      const feb30 = '15010519850230123';
      expect(parse(feb30 + citizenIdCheckChar(feb30)).ok).toBe(false);
      const future = '15010520300101123';
      const r = parse(future + citizenIdCheckChar(future));
      expect(!r.ok && reasonText(r.reason)).toMatch(/future/);
    });

    it('accepts a 29 February birth date in a leap year', () => {
      expect(parse('150105200002290029').ok).toBe(true);
    });

    it.each([['123'], ['15010519850312123'], ['15010519850312123Y'], [true], [new Date()], [12.5]])(
      'rejects %p with a reason',
      (cell) => {
        const r = parse(cell);
        expect(r.ok).toBe(false);
        expect(!r.ok && reasonText(r.reason).length).toBeGreaterThan(0);
      },
    );

    it('marks blank cells', () => {
      expect(parse('  ')).toMatchObject({ ok: false, blank: true });
      expect(parse(null)).toMatchObject({ ok: false, blank: true });
    });
  });
});
