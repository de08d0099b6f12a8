import { pinyinPro } from '@qc/text';
import { MAX_CACHED } from './normalize';

/**
 * How alike two header words are when neither is an exact entry of the vocabulary: the rules that
 * let a header nobody listed (a misspelling, a homophone, the same words in another order, a
 * shortening) still read as the synonym it was meant to be. Each returns 0 when it does not apply.
 */

/** One word inside the other: 0.5, up to 0.8 the more of the longer one it covers. */
export function containment(a: string, b: string): number {
  if (b.length >= 2 && a.includes(b)) return 0.5 + (0.3 * b.length) / a.length;
  if (a.length >= 2 && b.includes(a)) return 0.5 + (0.3 * a.length) / b.length;
  return 0;
}

/** Share of characters two words have in common in the same order (longest common subsequence, Dice). */
export function sharedParts(a: string, b: string): number {
  return (2 * commonSubsequence(a, b)) / (a.length + b.length);
}

function commonSubsequence(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Share of distinct characters two words have in common, in any order (Dice over character sets). */
export function sharedCharacters(a: string, b: string): number {
  // Header words are a few characters long and compared by the hundred thousand: no sets, no allocation.
  let left = 0;
  let shared = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.indexOf(a[i]) !== i) continue;
    left++;
    if (b.includes(a[i])) shared++;
  }
  let right = 0;
  for (let j = 0; j < b.length; j++) if (b.indexOf(b[j]) === j) right++;
  return left && right ? (2 * shared) / (left + right) : 0;
}

const syllables = new Map<string, string[]>();

function toneless(word: string): string[] {
  let s = syllables.get(word);
  if (!s) {
    if (syllables.size >= MAX_CACHED) syllables.clear();
    s = pinyinPro()(word, { toneType: 'none', type: 'array', v: true });
    syllables.set(word, s);
  }
  return s;
}

/**
 * The same sound written with another character (性名 for 姓名, 学力 for 学历): equal length, every
 * character read alike, and at least one of them the very same, so that two unrelated words that
 * happen to sound alike do not meet.
 */
export function soundsAlike(a: string, b: string): boolean {
  if (a === b || a.length !== b.length || a.length < 2) return false;
  if (![...a].some((ch, i) => ch === b[i])) return false;
  const x = toneless(a);
  const y = toneless(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

/** One character typed wrong in a word of three or more (转正时问 for 转正时间). */
export function oneCharacterOff(a: string, b: string): boolean {
  if (a.length !== b.length || a.length < 3) return false;
  let differ = 0;
  for (let i = 0; i < a.length && differ < 2; i++) if (a[i] !== b[i]) differ++;
  return differ === 1;
}

/**
 * A two-character word whose second character was slipped (备考 for 备注): weaker evidence than the
 * rules above, for fields whose values cannot confirm the header (notes, kinds of organization).
 */
export function secondCharacterSlipped(a: string, b: string): boolean {
  return a.length === 2 && b.length === 2 && a[0] === b[0] && a[1] !== b[1];
}

/** The shorter word's characters all appear, in order, in a longer word at most one character longer (联户 in 联系户). */
export function shortenedFrom(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 2 || long.length - short.length !== 1) return false;
  return commonSubsequence(short, long) === short.length;
}

/**
 * How alike two words are by the loose rules above, 0..0.85: a homophone is nearly the word, a
 * mistyped character or a dropped one close, a reordering by its share of common characters.
 */
export function looseSimilarity(a: string, b: string): number {
  if (!a || !b || a === b) return a && a === b ? 1 : 0;
  if (soundsAlike(a, b)) return 0.85;
  let s = 0;
  if (oneCharacterOff(a, b)) s = 0.7;
  if (shortenedFrom(a, b)) s = Math.max(s, 0.3 + 0.5 * sharedParts(a, b));
  if (a.length >= 3 && b.length >= 3) {
    const shared = Math.max(sharedParts(a, b), sharedCharacters(a, b));
    if (shared >= 0.6) s = Math.max(s, 0.3 + 0.5 * shared);
  }
  return s;
}
