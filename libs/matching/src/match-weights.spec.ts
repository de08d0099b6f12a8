import { comparePersons, PersonEvidence } from './person-comparison';
import { loadMatchWeights, scorePair } from './match-weights';

const weights = loadMatchWeights();

function person(overrides: Partial<PersonEvidence>): PersonEvidence {
  return {
    name: '张伟', nameKey: '张伟', phonetic: 'zhang wei', gender: 'M', birthDate: '1985-03-12', idHmac: null,
      idPrefix: null, idDigits: null, idNear: [], phoneHmac: null, residenceKey: null, organizationIds: [], communityCodes: [], joinDates: [], ...overrides,
  };
}

describe('person matching (Fellegi–Sunter with rules)', () => {
  it('merges a name and phone that agree (a grid-platform person and a member)', () => {
    const scored = scorePair(comparePersons(person({ birthDate: null, phoneHmac: 'p1' }), person({ phoneHmac: 'p1' })), weights);
    expect(scored.decision).toBe('merge');
  });

  it('merges a masked ID whose visible digits agree with a valid one under the same name', () => {
    const masked = person({ idPrefix: '150105', idDigits: 'k-150105123X', birthDate: null });
    const valid = person({ idHmac: 'h1', idPrefix: '150105', idDigits: 'k-150105123X' });
    expect(scorePair(comparePersons(masked, valid), weights).decision).toBe('merge');
  });

  it('never merges on a masked ID alone: under another name it asks a reviewer, whatever else agrees', () => {
    const masked = person({ name: '李强', nameKey: '李强', phonetic: 'li qiang', idPrefix: '150105', idDigits: 'k-150105123X', organizationIds: ['o1'] });
    const valid = person({ idHmac: 'h1', idPrefix: '15010519850312', idDigits: 'k-150105123X', organizationIds: ['o1'] });
    const scored = scorePair(comparePersons(masked, valid), weights);
    expect(scored.score).toBeGreaterThan(weights.mergeAbove);
    expect(scored.decision).toBe('review');
  });

  it('never merges on an Excel-damaged ID alone: its prefix only weighs', () => {
    const damaged = person({ idPrefix: '15010519850312', organizationIds: ['o1'] });
    const valid = person({ idHmac: 'h1', idPrefix: '15010519850312', idDigits: 'k-150105123X', organizationIds: ['o1'] });
    const scored = scorePair(comparePersons(damaged, valid), weights);
    expect(scored.evidence.find((e) => e.field === 'idEvidence')?.level).toBe('prefix');
    expect(scored.decision).toBe('review');
  });

  describe('a mistyped ID (wrong check character) against a valid one', () => {
    const valid = person({ idHmac: 'h-real', organizationIds: ['o1'], communityCodes: ['c1'] });
    const typo = (overrides: Partial<Parameters<typeof person>[0]>) => person({ idNear: ['h-other', 'h-real'], ...overrides });

    it('merges when the valid ID is one typing error away and name and organization agree', () => {
      const scored = scorePair(comparePersons(typo({ organizationIds: ['o1'], communityCodes: ['c1'] }), valid), weights);
      expect(scored.evidence.find((e) => e.field === 'idEvidence')?.level).toBe('near');
      expect(scored.decision).toBe('merge');
      // The same either way round: a valid record arriving after the mistyped one.
      expect(scorePair(comparePersons(valid, typo({ organizationIds: ['o1'], communityCodes: ['c1'] })), weights).decision).toBe('merge');
    });

    it('merges on a phone that agrees, in another organization', () => {
      const scored = scorePair(comparePersons(typo({ organizationIds: ['o2'], communityCodes: ['c2'], phoneHmac: 'p' }), person({ idHmac: 'h-real', organizationIds: ['o1'], communityCodes: ['c1'], phoneHmac: 'p' })), weights);
      expect(scored.decision).toBe('merge');
    });

    it('asks a reviewer when only the name agrees besides the near ID', () => {
      const scored = scorePair(comparePersons(typo({ organizationIds: ['o2'], communityCodes: ['c2'] }), valid), weights);
      expect(scored.decision).toBe('review');
    });

    it('never merges under an unrelated name', () => {
      const other = typo({ name: '骆思远', nameKey: '骆思远', phonetic: 'luo si yuan', organizationIds: ['o1'], communityCodes: ['c1'] });
      expect(scorePair(comparePersons(other, valid), weights).decision).not.toBe('merge');
    });

    it('takes two mistyped forms of one ID as near: some valid ID is one typing error from both', () => {
      const again = person({ idNear: ['h-real', 'h-third'], organizationIds: ['o1'], communityCodes: ['c1'] });
      const comparison = comparePersons(typo({ organizationIds: ['o1'], communityCodes: ['c1'] }), again);
      expect(comparison.fields.find((f) => f.field === 'idEvidence')?.level).toBe('near');
      expect(comparePersons(person({ idNear: ['h-fourth'] }), again).fields.find((f) => f.field === 'idEvidence')?.level).toBe('far');
    });

    it('weighs against a valid ID further than one typing error', () => {
      const far = comparePersons(person({ idNear: ['h-other'], organizationIds: ['o1'], communityCodes: ['c1'] }), valid);
      expect(far.fields.find((f) => f.field === 'idEvidence')?.level).toBe('far');
      expect(scorePair(far, weights).decision).not.toBe('merge');
    });
  });

  it('never merges namesakes with the same birth date and organization without ID or phone evidence', () => {
    const a = person({ organizationIds: ['o1'], communityCodes: ['c1'] });
    const b = person({ organizationIds: ['o1'], communityCodes: ['c1'] });
    const scored = scorePair(comparePersons(a, b), weights);
    expect(scored.score).toBeGreaterThan(weights.mergeAbove);
    expect(scored.decision).toBe('review');
  });

  it('keeps apart two valid IDs that differ, whatever else agrees', () => {
    const scored = scorePair(comparePersons(person({ idHmac: 'a', phoneHmac: 'p' }), person({ idHmac: 'b', phoneHmac: 'p' })), weights);
    expect(scored.veto).toMatch(/valid ID/);
    expect(scored.decision).toBe('apart');
  });

  it('keeps apart masked IDs whose visible digits disagree', () => {
    const scored = scorePair(comparePersons(person({ idPrefix: '150105', idDigits: 'k-1501051234', phoneHmac: 'p' }), person({ idPrefix: '150105', idDigits: 'k-1501059999', phoneHmac: 'p' })), weights);
    expect(scored.decision).toBe('apart');
  });

  it('compares a month-precision birth date at its own precision', () => {
    const comparison = comparePersons(person({ birthDate: '1985-03' }), person({ birthDate: '1985-03-12' }));
    expect(comparison.fields.find((f) => f.field === 'birthDate')?.level).toBe('month');
  });

  it('grades transliteration variants as phonetic agreement, different names as disagreement', () => {
    const a = person({ name: '额尔敦', nameKey: '额尔敦', phonetic: 'e er dun' });
    const b = person({ name: '额尔顿', nameKey: '额尔顿', phonetic: 'e er dun' });
    expect(comparePersons(a, b).fields[0].level).toBe('phonetic');
    expect(comparePersons(a, person({ name: '李娜', nameKey: '李娜', phonetic: 'li na' })).fields[0].level).toBe('differ');
  });

  it('lists the evidence with the weight each field added', () => {
    const scored = scorePair(comparePersons(person({ phoneHmac: 'p' }), person({ phoneHmac: 'p' })), weights);
    const phone = scored.evidence.find((e) => e.field === 'phone');
    expect(phone).toEqual({ field: 'phone', level: 'agree', weight: expect.any(Number) });
    expect(phone!.weight).toBeGreaterThan(15);
  });
});
