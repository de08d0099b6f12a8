import { cellText, firstDay, parseCitizenId, parseDate, parseEthnicGroup, parseGender, parsePhone } from '@qc/fields';
import { normalizePersonName } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { PersonFacts } from '@qc/registry';
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

/**
 * Reads a person from a row, protecting personal data at once: a valid ID or a phone leaves this
 * function only encrypted, as a keyed hash and masked. A missing name or an ID that is neither
 * valid, nor recognisably damaged or masked, rejects the row; other unreadable cells are left
 * empty (the raw row keeps them).
 */
export function readPerson(
  cells: PersonCells, cipher: PiiCipher, header: (field: keyof PersonCells) => string,
): { ok: true; facts: PersonFacts } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = cellText(cells.name);
  const cleanName = name.ok ? name.value.replace(/\s+/g, '') : '';
  if (normalizePersonName(cleanName) === '') problems.push({ column: header('name'), reason: 'the name is missing' });

  let id: PersonFacts['id'] = null;
  let idEvidence: PersonFacts['idEvidence'] = null;
  let idBirth: string | null = null;
  let idGender: 'M' | 'F' | null = null;
  if (cells.idNumber !== undefined) {
    const parsed = parseCitizenId(cells.idNumber);
    if (parsed.ok) {
      const v = parsed.value;
      if (v.kind === 'valid') {
        id = { ...cipher.protect('id', v.id18), digits: cipher.idDigitsKey(v.id18, v.id18.slice(-4)) };
        idBirth = v.birthDate;
        idGender = v.gender;
      } else {
        // Beyond the birth date a damaged ID's digits narrow the person's ID down (to 50 of 500), so they are not kept.
        const prefix = v.prefix.slice(0, ID_PREFIX_KEPT);
        idEvidence = v.kind === 'masked' ? { kind: 'masked', prefix, digits: cipher.idDigitsKey(v.prefix, v.suffix) } : { kind: 'damaged', prefix };
        idBirth = v.birthDate ?? null;
      }
    } else if (!parsed.blank) {
      problems.push({ column: header('idNumber'), reason: parsed.reason });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const birth = cells.birthDate !== undefined ? parseDate(cells.birthDate) : null;
  let birthDate: string | null = null;
  let birthPrecision: PersonFacts['birthPrecision'] = null;
  if (birth?.ok) {
    birthPrecision = birth.value.precision;
    birthDate = firstDay(birth.value);
  }
  // The ID's own birth date is exact; a sheet's 1985.03 only says the month.
  if (idBirth && (birthPrecision === null || birthPrecision !== 'day')) {
    birthDate = idBirth;
    birthPrecision = 'day';
  }
  const gender = cells.gender !== undefined ? parseGender(cells.gender) : null;
  const ethnic = cells.ethnicity !== undefined ? parseEthnicGroup(cells.ethnicity) : null;
  const phone = cells.phone !== undefined ? parsePhone(cells.phone) : null;
  const text = (cell: CellValue | undefined) => {
    const t = cell === undefined ? null : cellText(cell);
    return t?.ok ? t.value : null;
  };
  return {
    ok: true,
    facts: {
      name: cleanName,
      gender: (gender?.ok ? gender.value : null) ?? idGender,
      birthDate,
      birthPrecision,
      ethnicityCode: ethnic?.ok ? ethnic.value.code : null,
      education: text(cells.education),
      workplace: text(cells.workplace),
      residence: text(cells.residence),
      id,
      idEvidence,
      phone: phone?.ok ? cipher.protect('phone', phone.value.number) : null,
    },
  };
}
