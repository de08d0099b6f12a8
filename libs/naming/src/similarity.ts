/**
 * Jaro–Winkler similarity of two token sequences (characters, syllables…), in [0, 1].
 * Standard definition: match window ⌊max/2⌋−1, prefix bonus 0.1 per common leading token, at most 4.
 */
export function jaroWinkler(a: readonly string[], b: readonly string[]): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la === lb && a.every((t, i) => t === b[i])) return 1;

  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  // Names are short; small typed arrays keep this allocation-light.
  const aMatched = new Uint8Array(la);
  const bMatched = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;

  let transpositions = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;

  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
