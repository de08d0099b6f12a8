import { FieldLineage, Person } from '@qc/database';
import { personNameKeys } from '@qc/naming';
import { maskIdNumber } from '@qc/pii';
import { lineageEntry, Origin } from './origin';
import { SourceRanking, survive } from './survivorship';

/** Personal data as the stage job stored it: encrypted, keyed hash, masked; never the clear value. */
export interface ProtectedField { cipher: string; hmac: string; masked: string }

/** What one record says about a person. */
export interface PersonFacts {
  name: string;
  gender: 'M' | 'F' | null;
  /** First day of the period when only the month or year is known (see birthPrecision). */
  birthDate: string | null;
  birthPrecision: 'day' | 'month' | 'year' | null;
  ethnicityCode: string | null;
  education: string | null;
  workplace: string | null;
  residence: string | null;
  /** A valid 18-digit ID: an identity; digits is the keyed hash of its region and last 4 (PiiCipher.idDigitsKey). */
  id: (ProtectedField & { digits: string }) | null;
  /**
   * A damaged, masked or mistyped ID: evidence only. prefix: its leading digits up to the birth date
   * (14 at most, nothing the person's birth date does not already say); digits: the keyed hash of
   * region and last 4 when they show (150105********123X), never the digits themselves. A mistyped
   * one (wrong check character) keeps its region and, in `near`, the keyed hashes of the valid IDs
   * one typing error away, one of which is probably the person's.
   */
  idEvidence: { kind: 'damaged' | 'masked' | 'mistyped'; prefix: string; digits?: string; near?: string[] } | null;
  phone: ProtectedField | null;
}

/** The person columns a golden record is made of (everything but the id and timestamps). */
export const PERSON_GOLDEN_COLUMNS = [
  'name', 'nameKey', 'namePinyin', 'gender', 'birthDate', 'birthPrecision', 'ethnicityCode', 'education',
  'idNumberCipher', 'idNumberHmac', 'idNumberMasked', 'idDigits', 'idEvidence', 'phoneCipher', 'phoneHmac', 'phoneMasked',
  'workplace', 'residence', 'lineage',
] as const;
export type PersonGolden = Pick<Person, (typeof PERSON_GOLDEN_COLUMNS)[number]>;

const PRECISION_RANK = { year: 1, month: 2, day: 3 } as const;

/** The golden record of a person only one record describes. */
export function firstPersonGolden(f: PersonFacts, origin: Origin): PersonGolden {
  const keys = personNameKeys(f.name);
  const lineage: FieldLineage = {};
  for (const [field, value] of Object.entries(goldenOffer(f))) if (value !== null) lineage[field] = lineageEntry(origin);
  return {
    name: f.name, nameKey: keys.exact, namePinyin: keys.phonetic, gender: f.gender,
    birthDate: f.birthDate, birthPrecision: f.birthPrecision, ethnicityCode: f.ethnicityCode, education: f.education,
    idNumberCipher: f.id?.cipher ?? null, idNumberHmac: f.id?.hmac ?? null, idNumberMasked: f.id?.masked ?? null,
    idEvidence: f.id ? null : f.idEvidence, idDigits: idDigitsOf(f), phoneCipher: f.phone?.cipher ?? null, phoneHmac: f.phone?.hmac ?? null,
    phoneMasked: f.phone?.masked ?? null, workplace: f.workplace, residence: f.residence, lineage,
  };
}

export interface PersonSurvival {
  /** Columns to write (with their derived columns and the new lineage); empty when nothing changes. */
  values: Partial<PersonGolden>;
  /** { field: [before, after] } with personal data masked, for the change feed. */
  changes: Record<string, [unknown, unknown]>;
}

/**
 * Survivorship for one more record about a known person: the source ranking of
 * config/survivorship.json, plus two rules of completeness: a vaguer birth date never replaces a
 * more precise one, and ID evidence is kept only while no valid ID is known.
 */
export function survivePerson(rules: SourceRanking, current: PersonGolden, f: PersonFacts, origin: Origin): PersonSurvival {
  const offered = goldenOffer(f);
  if (offered.birthDate && current.birthDate && PRECISION_RANK[f.birthPrecision ?? 'day'] < PRECISION_RANK[current.birthPrecision ?? 'day']) {
    delete offered.birthDate;
    delete offered.birthPrecision;
  }
  if (current.idNumberHmac) delete offered.idEvidence;
  const result = survive<PersonGolden>(rules, 'person', current, current.lineage, offered, origin);
  if (!result.dirty) return { values: {}, changes: {} };
  const values: Partial<PersonGolden> = { ...result.values, lineage: result.lineage };
  if (values.idNumberHmac) Object.assign(values, { idNumberCipher: f.id!.cipher, idNumberMasked: f.id!.masked, idEvidence: null, idDigits: idDigitsOf(f) });
  else if (values.idEvidence && idDigitsOf(f)) values.idDigits = idDigitsOf(f);
  if (values.phoneHmac) Object.assign(values, { phoneCipher: f.phone!.cipher, phoneMasked: f.phone!.masked });
  if (values.name) {
    const keys = personNameKeys(values.name);
    Object.assign(values, { nameKey: keys.exact, namePinyin: keys.phonetic });
  }
  return { values, changes: maskChanges(result.changes, { ...current, ...values }, f) };
}

/** The facts a staged payload holds about a person: the one field shaped like PersonFacts (person, householder, worker, lead, leader). */
export function personFactsIn(payload: Record<string, unknown> | null): PersonFacts | null {
  for (const value of Object.values(payload ?? {})) {
    if (value && typeof value === 'object' && 'name' in value && 'idEvidence' in value && 'birthPrecision' in value) return value as PersonFacts;
  }
  return null;
}

/** The golden-record fields a record offers, named as the person columns survivorship ranks. */
function goldenOffer(f: PersonFacts): Partial<PersonGolden> {
  return {
    name: f.name, gender: f.gender, birthDate: f.birthDate, birthPrecision: f.birthDate ? f.birthPrecision : null,
    ethnicityCode: f.ethnicityCode, education: f.education, workplace: f.workplace, residence: f.residence,
    idNumberHmac: f.id?.hmac ?? null, idEvidence: f.id ? null : f.idEvidence, phoneHmac: f.phone?.hmac ?? null,
  };
}

/** The keyed hash of region and last 4 digits, when the record shows both (a valid or a masked ID). */
export function idDigitsOf(f: PersonFacts): string | null {
  return f.id?.digits ?? f.idEvidence?.digits ?? null;
}

/** Partial ID evidence shown as a masked ID: its region. */
export function maskedEvidence(e: NonNullable<PersonFacts['idEvidence']>): string {
  return maskIdNumber(e.prefix.slice(0, 6).padEnd(18, '*'));
}

/** A person's fields as a create in the change feed shows them: the ID number masked (partial evidence as far as it goes), the phone masked. */
export function personFeedFields(person: Pick<Person, 'name' | 'gender' | 'birthDate' | 'idNumberMasked' | 'idEvidence' | 'phoneMasked'>): Record<string, unknown> {
  const evidence = person.idEvidence as PersonFacts['idEvidence'];
  return { name: person.name, gender: person.gender, birthDate: person.birthDate, idNumber: person.idNumberMasked ?? (evidence ? maskedEvidence(evidence) : null), phone: person.phoneMasked };
}

/** The change-feed entry of a person shows personal data masked, never its hash or cipher. */
function maskChanges(changes: Record<string, [unknown, unknown]>, after: Partial<PersonGolden>, f: PersonFacts): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [field, [before, next]] of Object.entries(changes)) {
    if (field === 'idNumberHmac') out.idNumber = [before ? 'set' : null, after.idNumberMasked];
    else if (field === 'phoneHmac') out.phone = [before ? 'set' : null, f.phone?.masked ?? null];
    else if (field === 'idEvidence') out.idEvidence = [before ? 'set' : null, f.idEvidence ? maskedEvidence(f.idEvidence) : null];
    else out[field] = [before, next];
  }
  return out;
}
