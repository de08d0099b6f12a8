import { PiiCipher } from '@qc/pii';
import { because, reasonText } from '@qc/reasons';
import { PersonCells, readPerson, unidentifiedReason } from './person-facts';

const cipher = new PiiCipher(Buffer.alloc(32, 7));
const HEADERS: Record<keyof PersonCells, string> = {
  name: '姓名', idNumber: '身份证号', gender: '性别', ethnicity: '民族', birthDate: '出生日期', education: '学历', phone: '联系电话', workplace: '工作单位', residence: '住址',
};
const read = (cells: Partial<PersonCells>) => readPerson({ name: '骆思远', ...cells }, cipher, (field) => HEADERS[field]);
// Check character computed for these 17 digits: 1.
const REAL_ID = '150105198503121231';

describe('readPerson', () => {
  it('rejects a row without a name', () => {
    expect(read({ name: '  ', idNumber: REAL_ID })).toEqual({ ok: false, problems: [{ column: '姓名', reason: because('name-missing') }] });
  });

  it('keeps a person with a bad phone, flags the phone and leaves it out', () => {
    const person = read({ idNumber: REAL_ID, phone: '1391234567' });
    expect(person.ok).toBe(true);
    if (!person.ok) return;
    expect(person.facts.id).toEqual(expect.objectContaining({ hmac: cipher.hmac('id', REAL_ID) }));
    expect(person.facts.phone).toBeNull();
    expect(person.warnings).toEqual([{ column: '联系电话', reason: expect.objectContaining({ code: expect.stringMatching(/^phone-/) }) }]);
    expect(reasonText(person.warnings[0].reason)).not.toContain('1391234567');
    expect(JSON.stringify(person.warnings[0].reason.params)).not.toContain('1391234567');
  });

  it('keeps a mistyped ID as evidence: the hashes of its near misses and its birth date, never as the identity', () => {
    const swapped = REAL_ID.slice(0, 14) + REAL_ID[15] + REAL_ID[14] + REAL_ID.slice(16);
    const person = read({ idNumber: swapped });
    expect(person.ok).toBe(true);
    if (!person.ok) return;
    expect(person.facts.id).toBeNull();
    expect(person.facts.idEvidence).toMatchObject({ kind: 'mistyped', prefix: '150105' });
    expect(person.facts.idEvidence?.near).toContain(cipher.hmac('id', REAL_ID));
    expect(person.facts.idEvidence?.near).not.toContain(cipher.hmac('id', swapped));
    expect(person.facts).toMatchObject({ birthDate: '1985-03-12', birthPrecision: 'day' });
    expect(person.warnings).toEqual([{ column: '身份证号', reason: because('id-check-character') }]);
    // Neither the typed digits nor the ID they were meant to be leave the parse in clear.
    expect(JSON.stringify(person)).not.toContain(swapped);
    expect(JSON.stringify(person)).not.toContain(REAL_ID);
  });

  it('flags an unreadable ID, birth date and gender, one warning each', () => {
    const person = read({ idNumber: '15010519850312', birthDate: '去年', gender: '未知的' });
    expect(person.ok && person.warnings.map((w) => w.column)).toEqual(['身份证号', '出生日期', '性别']);
  });
});

describe('unidentifiedReason', () => {
  const facts = (cells: Partial<PersonCells>) => {
    const person = read(cells);
    if (!person.ok) throw new Error('unreadable');
    return person.facts;
  };

  it('says a name alone identifies no one', () => {
    expect(unidentifiedReason(facts({}), null)).toEqual(because('person-unidentified'));
  });

  it('says a name with nothing readable besides identifies no one', () => {
    expect(unidentifiedReason(facts({ idNumber: '1501051985', phone: '无' }), null)).toEqual(because('person-unidentified'));
  });

  it.each<[string, Partial<PersonCells>, string | null]>([
    ['a mistyped ID', { idNumber: '150105198503121232' }, null],
    ['a birth date', { birthDate: '1985-03-12' }, null],
    ['a phone', { phone: '13912345678' }, null],
    ['an address', { residence: '兴康小区3号楼2单元101' }, null],
    ['an organization', {}, '中共某某社区委员会'],
  ])('accepts a name with %s', (_, cells, organization) => {
    expect(unidentifiedReason(facts(cells), organization)).toBeNull();
  });
});
