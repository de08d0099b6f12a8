import fc from 'fast-check';
import { reasonText } from '@qc/reasons';
import {
  Cell, citizenIdCheckChar, creditCodeCheckChar, parseAddress, parseBuilding, parseCitizenId, parseCount, parseCreditCode,
  parseDate, parseEthnicGroup, parseGender, parsePartyCategory, parsePhone, parseShare, ParseResult,
} from './index';

/** Bounded so that the whole fuzz suite stays well under 30 s on a shared 2-core machine. */
const RUNS = { numRuns: 400 };
const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** What a reader can hand a parser: any text (ID-like and date-like among it), numbers, dates, booleans, blanks. */
const anyCell: fc.Arbitrary<Cell> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789xX*-./、,;年月日号楼栋# ０１２'), maxLength: 24 }),
  digits(1, 20),
  fc.double(),
  fc.integer(),
  fc.date({ noInvalidDate: false }),
  fc.boolean(),
  fc.constantFrom(null, undefined, '', '   '),
);

const PARSERS: Record<string, (cell: Cell) => ParseResult<unknown>> = {
  parseCitizenId: (c) => parseCitizenId(c), parseDate: (c) => parseDate(c), parseEthnicGroup, parseBuilding,
  parseCreditCode, parsePhone, parseGender, parsePartyCategory, parseCount, parseShare, parseAddress,
};

/** A checked 18-digit ID: a real region, a birth date, a sequence, its MOD 11-2 check character. */
const validId = fc.record({
  region: fc.constantFrom('150105', '150102', '150103', '150104', '150121', '110101'),
  birth: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2008-12-31T00:00:00Z'), noInvalidDate: true }),
  sequence: digits(3, 3),
}).map(({ region, birth, sequence }) => {
  const first17 = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${sequence}`;
  return { id: first17 + citizenIdCheckChar(first17), birthDate: birth.toISOString().slice(0, 10), sequence };
});

describe('field parsers under random input (fast-check)', () => {
  it('never throw: every cell gives a value or a failure with a reason', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.keys(PARSERS)), anyCell, (name, cell) => {
      const result = PARSERS[name](cell);
      if (result.ok) return 'value' in result;
      return reasonText(result.reason).length > 0;
    }), { numRuns: 3000 });
  });

  it('round-trips a valid ID through its check digit, in every way it is written', () => {
    fc.assert(fc.property(validId, fc.constantFrom('plain', 'lower', 'full-width', 'spaced'), ({ id, birthDate, sequence }, style) => {
      const written = style === 'lower' ? id.toLowerCase() : style === 'full-width' ? id.replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)])
        : style === 'spaced' ? `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}` : id;
      const parsed = parseCitizenId(written, { now: new Date('2026-01-01') });
      expect(parsed).toMatchObject({ ok: true, value: { kind: 'valid', id18: id, birthDate, gender: Number(sequence[2]) % 2 === 1 ? 'M' : 'F' } });
    }), RUNS);
  });

  it('never takes an ID with a wrong check character as an identity', () => {
    fc.assert(fc.property(validId, fc.constantFrom(...'0123456789X'), ({ id }, check) => {
      fc.pre(check !== id[17]);
      const parsed = parseCitizenId(id.slice(0, 17) + check, { now: new Date('2026-01-01') });
      return !(parsed.ok && parsed.value.kind === 'valid');
    }), RUNS);
  });

  it('never takes a masked ID as an identity, however many digits are hidden', () => {
    fc.assert(fc.property(validId, fc.uniqueArray(fc.integer({ min: 0, max: 17 }), { minLength: 1, maxLength: 18 }), fc.constantFrom('*', '＊'), ({ id }, hidden, star) => {
      const masked = [...id].map((c, i) => (hidden.includes(i) ? star : c)).join('');
      const parsed = parseCitizenId(masked, { now: new Date('2026-01-01') });
      return !(parsed.ok && parsed.value.kind === 'valid');
    }), RUNS);
  });

  it('normalises idempotently: a parsed value parses again to itself', () => {
    fc.assert(fc.property(anyCell, (cell) => {
      const phone = parsePhone(cell);
      if (phone.ok) expect(parsePhone(phone.value.number)).toMatchObject({ ok: true, value: phone.value });
      const building = parseBuilding(cell);
      if (building.ok) expect(parseBuilding(building.value.label)).toMatchObject({ ok: true, value: building.value });
      const ethnic = parseEthnicGroup(cell);
      if (ethnic.ok) expect(parseEthnicGroup(ethnic.value.name)).toMatchObject({ ok: true, value: ethnic.value });
      const date = parseDate(cell, { now: new Date('2026-01-01') });
      if (date.ok) expect(parseDate(date.value.iso, { now: new Date('2026-01-01') })).toMatchObject({ ok: true, value: { iso: date.value.iso, precision: date.value.precision } });
      const id = parseCitizenId(cell, { now: new Date('2026-01-01') });
      if (id.ok && id.value.kind === 'valid') expect(parseCitizenId(id.value.id18, { now: new Date('2026-01-01') })).toMatchObject({ ok: true, value: id.value });
    }), { numRuns: 1500 });
  });

  it('accepts every credit code with its GB 32100 check character, and flags any other check character', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...alphabet), minLength: 17, maxLength: 17 }), fc.constantFrom(...alphabet), (first17, other) => {
      const code = first17 + creditCodeCheckChar(first17);
      expect(parseCreditCode(code.toLowerCase())).toEqual({ ok: true, value: code });
      fc.pre(other !== code[17]);
      expect(parseCreditCode(first17 + other)).toMatchObject({ ok: true, flags: ['check-failed'] });
    }), RUNS);
  });

  it('reads every mobile number however it is written, to its 11 digits', () => {
    fc.assert(fc.property(fc.constantFrom(...'3456789'), digits(9, 9), fc.constantFrom('', '+86', '0086', '86 '), fc.boolean(), (second, rest, prefix, spaced) => {
      const number = `1${second}${rest}`;
      const written = `${prefix}${spaced ? `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}` : number}`;
      expect(parsePhone(written)).toEqual({ ok: true, value: { kind: 'mobile', number } });
    }), RUNS);
  });
});
