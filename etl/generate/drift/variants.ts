/**
 * How the same thing gets written differently: header cosmetics, place spellings, ID typos and name
 * variants. Each function draws from the Rng it is given, so a seed always gives the same spelling.
 */
import { Rng } from '../rng';
import { isValidCitizenId } from '../checks';
import { chineseNumber, COMPOUND_SUFFIX, toFullWidth, transliterationVariant } from '../names';

/** Habits laid over any header word: a space inside, full-width brackets with a note, a required-field mark. */
export function cosmeticHeader(r: Rng, word: string): string {
  const roll = r.next();
  if (roll < 0.12 && word.length >= 2) {
    const at = r.int(1, word.length - 1);
    return word.slice(0, at) + (r.chance(0.5) ? ' ' : '\u3000') + word.slice(at);
  }
  if (roll < 0.2) return `${word}${r.pick(['（必填）', '（选填）', '(必填)'])}`;
  if (roll < 0.26) return `*${word}`;
  if (roll < 0.3) return `${word}\n`;
  return word;
}

/** A note in brackets that says what a column holds, as forms put it under the header word. */
export function fieldNote(field: string): string | undefined {
  return ({ idNumber: '（18位）', birthDate: '（年月日）', joinDate: '（年月）', phone: '（手机）', organization: '（全称）', orgName: '（全称）', companyName: '（全称）' } as Record<string, string>)[field];
}

/** 10 → 第10栋, 10-号楼, １０号楼, 十号楼, 10幢, 10#, …: one style per compound, with a fifth of rows off it. */
export const BUILDING_STYLES: readonly ((no: number) => string)[] = [
  (no) => `第${no}栋`,
  (no) => `${no}-号楼`,
  (no) => `${toFullWidth(String(no))}号楼`,
  (no) => `${chineseNumber(no)}号楼`,
  (no) => `${no}幢`,
  (no) => `${no}#`,
  (no) => `${no}#楼`,
  (no) => `${no}号`,
  (no) => `${no}号楼`,
  (no) => `第${chineseNumber(no)}栋`,
];

export function buildingSpelling(r: Rng, style: number, no: number): string {
  const k = r.chance(0.2) ? r.int(0, BUILDING_STYLES.length - 1) : style;
  return BUILDING_STYLES[k](no);
}

/** 1 → 第1网格, 01网格, 一网格, 第一网格, 网格1: one style per community, with a fifth of rows off it. */
export const GRID_STYLES: readonly ((no: number) => string)[] = [
  (no) => `第${no}网格`,
  (no) => `${String(no).padStart(2, '0')}网格`,
  (no) => `${chineseNumber(no)}网格`,
  (no) => `第${chineseNumber(no)}网格`,
  (no) => `${toFullWidth(String(no))}网格`,
  (no) => `第${String(no).padStart(2, '0')}网格`,
];

export function gridSpelling(r: Rng, style: number, no: number): string {
  const k = r.chance(0.2) ? r.int(0, GRID_STYLES.length - 1) : style;
  return GRID_STYLES[k](no);
}

/** The compound's name without its suffix (航苑小区 → 航苑), or null when it has none. */
export function compoundStem(name: string): string | null {
  const suffix = COMPOUND_SUFFIX.filter((s) => name.endsWith(s) && name.length - s.length >= 2).sort((a, b) => b.length - a.length)[0];
  return suffix ? name.slice(0, -suffix.length) : null;
}

/**
 * Ways of writing a compound's name: as it is, without its suffix, or with 小区 added. A short form is
 * offered only when no other compound of the community shares it, so the truth still knows which one it is.
 */
export function compoundSpellings(name: string, neighbours: readonly string[]): string[] {
  const out = [name];
  const stem = compoundStem(name);
  const stemTaken = (s: string) => neighbours.some((n) => n !== name && (n === s || compoundStem(n) === s));
  if (stem && !stemTaken(stem)) out.push(stem);
  if (!name.endsWith('小区')) out.push(`${name}小区`);
  return out;
}

/**
 * An ID typed wrong: one digit of the first 17 changed, or two adjacent unequal digits swapped. GB 11643's
 * check character catches both, so the result never passes as somebody's valid ID.
 */
export function idTypo(r: Rng, id18: string): string {
  for (;;) {
    const chars = id18.split('');
    if (r.chance(0.5)) {
      const i = r.int(6, 16);
      chars[i] = String((Number(chars[i]) + r.int(1, 9)) % 10);
    } else {
      const i = r.int(6, 15);
      if (chars[i] === chars[i + 1]) continue;
      [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
    }
    const typo = chars.join('');
    if (!isValidCitizenId(typo)) return typo;
  }
}

/** Every string one typo away from the given digits: one digit changed, or two adjacent digits swapped. */
export function oneTypoAway(digits: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) if (String(d) !== digits[i]) out.push(digits.slice(0, i) + d + digits.slice(i + 1));
    if (i + 1 < digits.length && digits[i] !== digits[i + 1]) out.push(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  }
  return out;
}

const DOTS = ['•', '・', '.', '．', ''];

/**
 * Another way to write the same name: another transliteration of a Mongolian name, a different middle dot,
 * or a space between surname and given name.
 */
export function nameVariant(r: Rng, name: string): string {
  const transliterated = transliterationVariant(name);
  if (transliterated && r.chance(0.5)) return transliterated;
  if (name.includes('·')) return name.replace('·', r.pick(DOTS));
  if (name.length === 2 || name.length === 3) return name[0] + r.pick([' ', '\u3000', '  ']) + name.slice(1);
  return name;
}
