import { Rng } from '../rng';
import { isValidCitizenId } from '../checks';
import { buildingSpelling, compoundSpellings, cosmeticHeader, idTypo, nameVariant, oneTypoAway } from './variants';

describe('drift variants', () => {
  const r = new Rng('variants-spec');

  it('types an ID wrong by one digit or one adjacent swap, and the check character always catches it', () => {
    const id = '150105198503121234'.slice(0, 17);
    const real = id + '0';
    for (let k = 0; k < 200; k++) {
      const typo = idTypo(r, real);
      expect(isValidCitizenId(typo)).toBe(false);
      expect(oneTypoAway(real.slice(0, 17))).toContain(typo.slice(0, 17));
    }
  });

  it('lists the neighbours of a digit string: 9 substitutions per digit and the swaps of unequal neighbours', () => {
    expect(oneTypoAway('12').sort()).toEqual(['02', '10', '11', '13', '14', '15', '16', '17', '18', '19', '21', '22', '32', '42', '52', '62', '72', '82', '92'].sort());
    expect(oneTypoAway('11')).not.toContain('11');
  });

  it('offers a compound without its suffix only when no neighbour shares the short name', () => {
    expect(compoundSpellings('航苑小区', ['航苑小区', '阳光花园'])).toEqual(['航苑小区', '航苑']);
    expect(compoundSpellings('阳光花园', ['阳光花园', '阳光小区'])).toEqual(['阳光花园', '阳光花园小区']);
  });

  it('spells building 10 in many ways that all still say 10', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 300; k++) seen.add(buildingSpelling(r, 0, 10));
    expect(seen).toEqual(new Set(['第10栋', '10-号楼', '１０号楼', '十号楼', '10幢', '10#', '10#楼', '10号', '10号楼', '第十栋']));
  });

  it('keeps the word inside its cosmetics, and varies a name without losing its characters', () => {
    for (let k = 0; k < 100; k++) expect(cosmeticHeader(r, '身份号码').replace(/[\s\u3000*]/g, '')).toMatch(/^身份号码/);
    expect(nameVariant(r, '巴图·塔娜').replace(/[•・.．·]/, '')).toBe('巴图塔娜');
    expect(nameVariant(r, '张伟').replace(/[\s\u3000]/g, '')).toBe('张伟');
    const mongolian = new Set(Array.from({ length: 50 }, () => nameVariant(r, '云额尔敦')));
    expect(mongolian.has('云额尔顿')).toBe(true);
    expect([...mongolian].filter((v) => v !== '云额尔顿' && v.replace(/[\s\u3000]/g, '') !== '云额尔敦')).toEqual([]);
  });
});
