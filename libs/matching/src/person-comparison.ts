import { nameSimilarity } from '@qc/naming';

/** What the matcher knows about one side of a pair: a staged record or a registry person. */
export interface PersonEvidence {
  /** normalizePersonName of the name. */
  nameKey: string;
  /** Phonetic pinyin key (homophones and transliteration variants share it). */
  phonetic: string;
  name: string;
  gender: 'M' | 'F' | null;
  /** ISO date with its precision: '1985-03-12', '1985-03' or '1985'. */
  birthDate: string | null;
  /** Keyed hash of a valid 18-digit ID: an identity. */
  idHmac: string | null;
  /** Visible leading ID digits: the region, and the birth date when the ID is valid or only damaged. */
  idPrefix: string | null;
  /** Keyed hash of the region and the last 4 digits (a valid or a masked ID shows both); the digits themselves are not kept. */
  idDigits: string | null;
  /** Keyed hashes of the valid IDs one typing error away from a mistyped ID (wrong check character); empty without one. */
  idNear: readonly string[];
  phoneHmac: string | null;
  /** Where the person lives, normalised (compound/building/unit/room); null when unknown or unreadable. */
  residenceKey: string | null;
  /** Organizations and communities the person is a member of (record: the one it names). */
  organizationIds: readonly string[];
  communityCodes: readonly string[];
  /** Days the person joined the party, as memberships record them (day precision only). */
  joinDates: readonly string[];
}

export type ComparisonField = 'name' | 'idEvidence' | 'birthDate' | 'phone' | 'residence' | 'joinDate' | 'gender' | 'organization';

export interface FieldComparison {
  field: ComparisonField;
  /** Level reached, a key of the field's levels in config/matching.json; null when a side lacks the field. */
  level: string | null;
}

export interface PairComparison {
  fields: FieldComparison[];
  /** A rule that forbids the merge whatever the score: valid IDs or ID digits disagree. */
  veto: string | null;
  /** Whether identity evidence agrees (a phone, the same flat, the same joining day, or a masked ID's digits with the name): required for an automatic merge. */
  identityAgrees: boolean;
}

/** The raw level of each compared field, before the rules that combine them (see combineLevels). */
export interface PairLevels {
  name: string;
  /** Visible ID digits (compareIdDigits). */
  idDigits: 'agree' | 'prefix' | 'conflict' | null;
  /** A mistyped ID against the other side's ID (compareMistypedId). */
  mistypedId: 'near' | 'far' | null;
  birthDate: string | null;
  phone: string | null;
  residence: string | null;
  joinDate: string | null;
  gender: string | null;
  organization: string | null;
}

/** Compares two persons field by field, at the graded levels the weights are defined for. */
export function comparePersons(a: PersonEvidence, b: PersonEvidence): PairComparison {
  return combineLevels({
    name: compareNames(a, b),
    idDigits: compareIdDigits(a, b),
    mistypedId: compareMistypedId(a, b),
    birthDate: compareDates(a.birthDate, b.birthDate),
    phone: a.phoneHmac && b.phoneHmac ? (a.phoneHmac === b.phoneHmac ? 'agree' : 'differ') : null,
    residence: compareResidence(a.residenceKey, b.residenceKey),
    joinDate: a.joinDates.length === 0 || b.joinDates.length === 0 ? null : a.joinDates.some((d) => b.joinDates.includes(d)) ? 'exact' : 'differ',
    gender: a.gender && b.gender ? (a.gender === b.gender ? 'agree' : 'differ') : null,
    organization: compareOrganizations(a, b),
  }, !!a.idHmac && !!b.idHmac && a.idHmac !== b.idHmac);
}

/**
 * The comparison of a pair from its fields' levels (computed here or, for the registry's
 * candidates, in SQL: see libs/registry sql-pair-scoring): the veto, the idEvidence level and
 * whether identity evidence agrees.
 */
export function combineLevels(levels: PairLevels, validIdsDiffer: boolean): PairComparison {
  let veto: string | null = null;
  if (validIdsDiffer) veto = 'the valid ID numbers differ';
  const { name, idDigits: id, mistypedId: near, phone, residence, joinDate: joined, organization } = levels;
  if (id === 'conflict') veto ??= 'the visible ID digits disagree';
  const fields: FieldComparison[] = [
    { field: 'name', level: name },
    { field: 'idEvidence', level: id === 'conflict' ? null : id ?? near },
    { field: 'birthDate', level: levels.birthDate },
    { field: 'phone', level: phone },
    { field: 'residence', level: residence },
    { field: 'joinDate', level: joined },
    { field: 'gender', level: levels.gender },
    { field: 'organization', level: organization },
  ];
  // The day someone joined the party is recorded by the party, not typed from memory: with the
  // same name it identifies as well as a phone does. Agreeing ID digits come from a masked ID (two
  // valid IDs meet by their hash): ten visible digits identify only together with the name (or a
  // spelling of it: 宝音/宝音图), never under another name.
  const maskedIdAndName = id === 'agree' && name !== 'differ';
  // A mistyped ID one typing error from the other's valid ID identifies with the name and the
  // organization (a phone identifies on its own).
  const nearIdNameAndOrganization = near === 'near' && name !== 'differ' && organization === 'same';
  return { fields, veto, identityAgrees: maskedIdAndName || nearIdNameAndOrganization || phone === 'agree' || residence === 'agree' || joined === 'exact' };
}

/** The name level when the keys differ (neither exact nor phonetic): how alike the written names are. */
export function nameLevelBySimilarity(a: string, b: string): 'similar' | 'differ' {
  return nameSimilarity(a, b) >= 0.85 ? 'similar' : 'differ';
}

function compareNames(a: PersonEvidence, b: PersonEvidence): string {
  if (a.nameKey === b.nameKey) return 'exact';
  if (a.phonetic !== '' && a.phonetic === b.phonetic) return 'phonetic';
  return nameLevelBySimilarity(a.name, b.name);
}

/** ID digits: 'agree' when prefix and last digits both agree, 'prefix' when only the prefix is known on a side. */
function compareIdDigits(a: PersonEvidence, b: PersonEvidence): 'agree' | 'prefix' | 'conflict' | null {
  if (!a.idPrefix || !b.idPrefix) return null;
  const n = Math.min(a.idPrefix.length, b.idPrefix.length);
  if (a.idPrefix.slice(0, n) !== b.idPrefix.slice(0, n)) return 'conflict';
  if (a.idDigits && b.idDigits) return a.idDigits === b.idDigits ? 'agree' : 'conflict';
  return 'prefix';
}

/**
 * A mistyped ID against a valid one: 'near' when the valid ID is one typing error from it (one
 * digit, two adjacent digits swapped), 'far' when it is not. Two mistyped IDs are 'near' when some
 * valid ID is one typing error from both (the same ID typed wrong twice), else 'far'. Null unless
 * one side has a mistyped ID and the other an ID of either kind.
 */
function compareMistypedId(a: PersonEvidence, b: PersonEvidence): 'near' | 'far' | null {
  const [typed, other] = a.idNear.length > 0 ? [a, b] : [b, a];
  if (typed.idNear.length === 0) return null;
  if (other.idHmac) return typed.idNear.includes(other.idHmac) ? 'near' : 'far';
  if (other.idNear.length === 0) return null;
  return typed.idNear.some((id) => other.idNear.includes(id)) ? 'near' : 'far';
}

/** Keys look like compound/building/unit/room; the flat agrees only when all four are known and equal. */
export function compareResidence(a: string | null, b: string | null): string | null {
  if (!a || !b) return null;
  if (a === b && a.split('/').every(Boolean)) return 'agree';
  const [ca, ba] = a.split('/');
  const [cb, bb] = b.split('/');
  return ca === cb && ba && ba === bb ? 'building' : 'differ';
}

function compareDates(a: string | null, b: string | null): string | null {
  if (!a || !b) return null;
  if (a === b) return 'exact';
  // Compare at the coarser precision of the two (1985.03 against 1985-03-12).
  const n = Math.min(a.length, b.length);
  if (a.slice(0, n) === b.slice(0, n)) return n >= 7 ? 'month' : 'year';
  return 'differ';
}

function compareOrganizations(a: PersonEvidence, b: PersonEvidence): string | null {
  if (a.organizationIds.length === 0 && a.communityCodes.length === 0) return null;
  if (b.organizationIds.length === 0 && b.communityCodes.length === 0) return null;
  if (a.organizationIds.some((id) => b.organizationIds.includes(id))) return 'same';
  if (a.communityCodes.some((code) => b.communityCodes.includes(code))) return 'community';
  return 'differ';
}
