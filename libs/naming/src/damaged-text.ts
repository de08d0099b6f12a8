/** U+FFFD: what a decoder writes for bytes it could not read (a GBK file read as UTF-8, a bad copy). */
const REPLACEMENT_RUN = /\uFFFD+/g;

export function isDamaged(text: string): boolean {
  return text.includes('\uFFFD');
}

/**
 * A pattern for a key damaged by mis-decoding: each run of replacement characters stands for one
 * or two lost characters (a Chinese character is two bytes in GBK), the rest must match exactly.
 */
export function damagedKeyPattern(key: string): RegExp {
  const parts = key.split(REPLACEMENT_RUN).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]{1,2}')}$`);
}
