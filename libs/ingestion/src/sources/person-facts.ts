import { cellText, citizenIdNearMisses, firstDay, parseCitizenId, parseDate, parseEthnicGroup, parseGender, ParseResult, parsePhone } from '@qc/fields';
import { normalizePersonName } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { because, Reason } from '@qc/reasons';
import { PersonFacts, PersonResolution } from '@qc/registry';
import { FieldProblem } from './source-definition';

/** The cells a person can be described by, under the field names of @qc/layout. */
export interface PersonCells {
  name: CellValue;
  idNumber?: CellValue;
  gender?: CellValue;
  ethnicity?: CellValue;
  birthDate?: CellValue;
  education?: CellValue;
  phone?: CellValue;
  workplace?: CellValue;
  residence?: CellValue;
}

/** Region and birth date: the leading digits of partial ID evidence that are kept. */
const ID_PREFIX_KEPT = 14;

/** Field names of PersonCells → the field names the sheet's headers are known by. */
export type PersonColumns = Partial<Record<keyof PersonCells, string>>;

/** A person read from a row, with the cells that could not be read: flagged, the row still counts. */
export type PersonRead = { ok: true; facts: PersonFacts; warnings: FieldProblem[] } | { ok: false; problems: FieldProblem[] };

/**
 * Reads a person from a row, protecting personal data at once: a valid ID or a phone leaves this
 * function only encrypted, as a keyed hash and masked; a mistyped ID only as the keyed hashes of
 * its near misses. A missing name rejects the row; any other unreadable cell is left out of the
 * facts and returned as a warning naming its column (the raw row keeps the cell, masked).
 */
export function readPerson(cells: PersonCells, cipher: PiiCipher, header: (field: keyof PersonCells) => string): PersonRead {
  const warnings: FieldProblem[] = [];
  const readable = <T>(field: keyof PersonCells, parse: (cell: CellValue) => ParseResult<T>): T | null => {
    const cell = cells[field];
    if (cell === undefined) return null;
    const parsed = parse(cell);
    if (parsed.ok) return parsed.value;
    if (!parsed.blank) warnings.push({ column: header(field), reason: parsed.reason });
    return null;
  };
  const name = cellText(cells.name);
  const cleanName = name.ok ? name.value.replace(/\s+/g, '') : '';
  if (normalizePersonName(cleanName) === '') return { ok: false, problems: [{ column: header('name'), reason: because('name-missing') }] };

  let id: PersonFacts['id'] = null;
  let idEvidence: PersonFacts['idEvidence'] = null;
  let idBirth: string | null = null;
  let idGender: 'M' | 'F' | null = null;
  const parsedId = readable('idNumber', (cell) => parseCitizenId(cell));
  if (parsedId?.kind === 'valid') {
    id = { ...cipher.protect('id', parsedId.id18), digits: cipher.idDigitsKey(parsedId.id18, parsedId.id18.slice(-4)) };
    idBirth = parsedId.birthDate;
    idGender = parsedId.gender;
  } else if (parsedId?.kind === 'mistyped') {
    idEvidence = { kind: 'mistyped', prefix: parsedId.regionCode ?? '', near: citizenIdNearMisses(parsedId.typed).map((near) => cipher.hmac('id', near)) };
    idBirth = parsedId.birthDate ?? null;
    warnings.push({ column: header('idNumber'), reason: because('id-check-character') });
  } else if (parsedId) {
    // Beyond the birth date a damaged ID's digits narrow the person's ID down (to 50 of 500), so they are not kept.
    const prefix = parsedId.prefix.slice(0, ID_PREFIX_KEPT);
    idEvidence = parsedId.kind === 'masked' ? { kind: 'masked', prefix, digits: cipher.idDigitsKey(parsedId.prefix, parsedId.suffix) } : { kind: 'damaged', prefix };
    idBirth = parsedId.birthDate ?? null;
  }

  const birth = readable('birthDate', parseDate);
  let birthDate: string | null = null;
  let birthPrecision: PersonFacts['birthPrecision'] = null;
  if (birth) {
    birthPrecision = birth.precision;
    birthDate = firstDay(birth);
  }
  // The ID's own birth date is exact; a sheet's 1985.03 only says the month.
  if (idBirth && (birthPrecision === null || birthPrecision !== 'day')) {
    birthDate = idBirth;
    birthPrecision = 'day';
  }
  const gender = readable('gender', parseGender);
  const ethnic = readable('ethnicity', parseEthnicGroup);
  const phone = readable('phone', parsePhone);
  const text = (cell: CellValue | undefined) => {
    const t = cell === undefined ? null : cellText(cell);
    return t?.ok ? t.value : null;
  };
  return {
    ok: true,
    warnings,
    facts: {
      name: cleanName,
      gender: gender ?? idGender,
      birthDate,
      birthPrecision,
      ethnicityCode: ethnic?.code ?? null,
      education: text(cells.education),
      workplace: text(cells.workplace),
      residence: text(cells.residence),
      id,
      idEvidence,
      phone: phone ? cipher.protect('phone', phone.number) : null,
    },
  };
}

/**
 * Why a person row identifies no one, or null when it does: besides the name it needs a readable
 * ID (or ID evidence), birth date, phone, address, or the organization the row places them in.
 * Namesakes are too common for a name alone to be a person.
 */
export function unidentifiedReason(facts: PersonFacts, organization: string | null): Reason | null {
  const identifies = facts.id || facts.idEvidence || facts.birthDate || facts.phone || facts.residence || organization;
  return identifies ? null : because('person-unidentified');
}

/** The warning a merge gives when the record's valid ID was not taken as its identity (see PersonDirectory). */
export function idConflictWarnings(idConflict: PersonResolution['idConflict']): FieldProblem[] | undefined {
  return idConflict ? [{ column: 'idNumber', reason: idConflict }] : undefined;
}
