export type Delimiter = ',' | '\t' | ';' | '|';

export const DELIMITER_CANDIDATES: readonly Delimiter[] = [',', '\t', ';', '|'];

/**
 * Count, per logical record, how often each candidate appears outside double quotes, over the first
 * `maxLines` records of `text`. A quote opens only at the start of a field (after a candidate
 * delimiter or at record start); `""` inside a quoted field is an escaped quote.
 */
function countPerRecord(text: string, maxLines: number): Map<Delimiter, number[]> {
  const counts = new Map<Delimiter, number[]>();
  for (const d of DELIMITER_CANDIDATES) counts.set(d, []);
  let current = new Map<Delimiter, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let inQuotes = false;
  let atFieldStart = true;
  let records = 0;
  let nonEmpty = false;
  const flush = () => {
    if (nonEmpty) {
      for (const d of DELIMITER_CANDIDATES) counts.get(d)!.push(current.get(d)!);
      records++;
    }
    current = new Map<Delimiter, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
    nonEmpty = false;
    atFieldStart = true;
  };
  for (let i = 0; i < text.length && records < maxLines; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      nonEmpty = true;
      atFieldStart = false;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      flush();
      continue;
    }
    if ((DELIMITER_CANDIDATES as readonly string[]).includes(ch)) {
      const d = ch as Delimiter;
      current.set(d, current.get(d)! + 1);
      nonEmpty = true;
      atFieldStart = true;
      continue;
    }
    if (ch !== ' ') atFieldStart = false;
    nonEmpty = true;
  }
  if (records < maxLines && !inQuotes) flush();
  return counts;
}

export interface DelimiterGuess {
  delimiter: Delimiter;
  /** Fields per record most records agree on. */
  fields: number;
  /** Share of sampled records that have exactly that many fields. */
  consistency: number;
}

/**
 * Pick the delimiter from the first records of a decoded text sample. The winner is the candidate
 * whose per-record count is non-zero and most consistent; ties go to the usual order
 * (comma, tab, semicolon, pipe). Defaults to comma for single-column files.
 */
export function detectDelimiter(text: string, maxLines = 30): DelimiterGuess {
  const counts = countPerRecord(text, maxLines);
  let best: DelimiterGuess & { score: number } = { delimiter: ',', fields: 1, consistency: 0, score: 0 };
  for (const d of DELIMITER_CANDIDATES) {
    const perRecord = counts.get(d)!;
    if (perRecord.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of perRecord) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [c, f] of freq) {
      if (f > modeCount || (f === modeCount && c > mode)) {
        mode = c;
        modeCount = f;
      }
    }
    if (mode === 0) continue;
    const consistency = modeCount / perRecord.length;
    // records that have at least the mode count also support the candidate (ragged rows)
    const atLeast = perRecord.filter((c) => c >= mode).length / perRecord.length;
    const score = consistency * 0.7 + atLeast * 0.3 + Math.min(mode, 20) * 0.001;
    if (score > best.score + 1e-9) best = { delimiter: d, fields: mode + 1, consistency, score };
  }
  return { delimiter: best.delimiter, fields: best.fields, consistency: best.consistency };
}
