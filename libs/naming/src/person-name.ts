import { namePinyin } from '@qc/text';
import { compact, dropBrackets } from './internal';
import { jaroWinkler } from './similarity';

// Separators written between the parts of a Mongolian or Uyghur name: the middle dot (·), its
// look-alikes produced by different input methods and fonts, ASCII dots, hyphens and underscores.
const NAME_SEPARATORS = /[\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65\ua78f\u16eb\u2e31.\-_—–~'`]/g;
// Digits added to tell two people apart (张伟2) and stars from masking are not part of a name.
const NOT_NAME = /[0-9*?]/g;

/**
 * Canonical spelling of a person's name: simplified, half-width, no whitespace, separators removed,
 * bracketed notes and disambiguating digits dropped, Latin lower-cased:
 * 乌云·其其格 = 乌云•其其格 = 乌云.其其格 = 乌云 其其格 = 烏雲其其格 → 乌云其其格; 李　宇 → 李宇.
 */
export function normalizePersonName(raw: string | null | undefined): string {
  const s = dropBrackets(compact(raw));
  if (s === '') return '';
  return s.replace(NAME_SEPARATORS, '').replace(NOT_NAME, '').toLowerCase();
}

export interface PersonNameKeys {
  /** normalizePersonName(raw). */
  readonly exact: string;
  /** Toneless pinyin syllables, space separated: 'e er dun'. */
  readonly pinyin: string;
  /** pinyin with transliteration variants folded (see foldSyllable); homophones share it. */
  readonly phonetic: string;
}

/**
 * Match keys for a person's name. `pinyin` already equates homophone characters, which covers most
 * transliteration variants of Mongolian names (额尔敦/额尔顿, 巴雅尔/巴雅儿, 其其格/奇其格) and
 * input-method slips (张伟/张卫). `phonetic` additionally folds, from the second syllable on:
 *   eng→en, ing→in   (巴根/巴更, 宝音/宝英, 斯琴/斯庆: nasal endings vary in transliteration)
 *   ri, r → er       (格日勒图/格尔勒图, 苏日娜/苏尔娜: the Mongolian r written 日 or 尔)
 * The first syllable (the surname of a Han name) is never folded, and zh/z, ch/c, sh/s and l/n are
 * never folded: Hohhot clerks type with pinyin input methods and do not make those slips, while
 * folding them would merge common surnames (周/邹, 陈/程, 李/倪). The key is evidence for the
 * matcher, never an identity on its own.
 */
export function personNameKeys(raw: string | null | undefined): PersonNameKeys {
  const known = keysByName.get(raw ?? '');
  if (known) return known;
  const exact = normalizePersonName(raw);
  const syllables = exact === '' ? [] : syllablesOf(exact);
  const keys = { exact, pinyin: syllables.join(' '), phonetic: syllables.map(foldSyllable).join(' ') };
  // Names repeat by the thousand in a city's rosters, and a merge asks for each record's keys several
  // times; normalising (traditional → simplified) and pinyin are the costly steps: remember a bounded number.
  if (keysByName.size >= NAME_KEYS_REMEMBERED) keysByName.clear();
  keysByName.set(raw ?? '', keys);
  return keys;
}

const NAME_KEYS_REMEMBERED = 50_000;
const keysByName = new Map<string, PersonNameKeys>();

/** Folds one toneless syllable at `index` in a name (see personNameKeys). */
export function foldSyllable(syllable: string, index: number): string {
  if (index === 0) return syllable;
  if (syllable === 'ri' || syllable === 'r') return 'er';
  if (syllable.endsWith('eng')) return syllable.slice(0, -1);
  if (syllable.endsWith('ing')) return syllable.slice(0, -1);
  return syllable;
}

function syllablesOf(normalized: string): string[] {
  const p = namePinyin(normalized);
  return p === '' ? [] : p.split(' ');
}

// Pinyin equality is weaker evidence than identical characters: a homophone pair scores at most this.
const PINYIN_WEIGHT = 0.95;

/**
 * Similarity of two person names in [0, 1]: the better of Jaro–Winkler over characters and over
 * toneless pinyin syllables, both after normalizePersonName. Only identical names reach 1;
 * homophones (张伟/张卫) reach 0.95. Either name empty → 0.
 */
export function nameSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  const na = normalizePersonName(a);
  const nb = normalizePersonName(b);
  if (na === '' || nb === '') return 0;
  if (na === nb) return 1;
  const byChars = jaroWinkler(Array.from(na), Array.from(nb));
  const byPinyin = PINYIN_WEIGHT * jaroWinkler(syllablesOf(na), syllablesOf(nb));
  return Math.max(byChars, byPinyin);
}

/** Below this nameSimilarity two names are not spellings of each other (宝音/宝音图 0.91, 王芳/王丽 0.70). */
const SPELLING_SIMILARITY = 0.85;
/** Transliterated names (Mongolian, Uyghur) are long; a two-character Han name is not compared by initials. */
const TRANSLITERATION_SYLLABLES = 3;

/**
 * Whether two names can be one person's: the same name (in any width, script or spacing), a
 * homophone or transliteration variant (the phonetic key, or every syllable starting with the same
 * sound: 吉日嘎拉/吉日格勒), or a spelling of each other (nameSimilarity, 宝音/宝音图). Names that
 * are none of these (郑爽/张伟, 王芳/王丽) belong to different people, whatever else the records share.
 */
export function namesMayBeOnePerson(a: string | null | undefined, b: string | null | undefined): boolean {
  const ka = personNameKeys(a);
  const kb = personNameKeys(b);
  if (ka.exact === '' || kb.exact === '') return false;
  if (ka.exact === kb.exact || (ka.phonetic !== '' && ka.phonetic === kb.phonetic)) return true;
  const sa = ka.pinyin.split(' ');
  const sb = kb.pinyin.split(' ');
  if (sa.length >= TRANSLITERATION_SYLLABLES && sa.length === sb.length && sa.every((s, i) => syllableInitial(s) === syllableInitial(sb[i]))) return true;
  return nameSimilarity(ka.exact, kb.exact) >= SPELLING_SIMILARITY;
}

/** Whether two names have a character in common once normalised (朝鲁/朝洛 do; 郑爽/孙强 do not). */
export function namesShareACharacter(a: string | null | undefined, b: string | null | undefined): boolean {
  const inB = new Set(personNameKeys(b).exact);
  return [...personNameKeys(a).exact].some((c) => inB.has(c));
}

/** The initial consonant of a toneless syllable (zh, ch, sh or one letter), or '' for a vowel-initial one. */
function syllableInitial(syllable: string): string {
  return /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])/.exec(syllable)?.[1] ?? '';
}
