/**
 * Remembers where physical lines end in a byte stream, so that a byte offset (e.g. where a CSV
 * record starts) can be turned into a 1-based physical line number. CRLF, LF and a lone CR each
 * end one line. Lookups must come in non-decreasing offset order; consumed entries are dropped, so
 * memory stays proportional to the look-ahead between scanning and parsing.
 */
export class LineIndex {
  private ends: number[] = [];
  private head = 0;
  private passed: number;
  private scanned = 0;
  private prevCR = false;

  /** `firstLine`: the line the stream's first byte is on (a range of a file starts past line 1). */
  constructor(firstLine = 1) {
    this.passed = firstLine - 1;
  }

  /** Record the line ends in the next chunk of the stream. */
  scan(chunk: Uint8Array): void {
    const base = this.scanned;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x0d) {
        this.ends.push(base + i + 1);
        this.prevCR = true;
      } else if (b === 0x0a) {
        if (this.prevCR) {
          // CRLF: one line end, already counted at the CR; move it past the LF
          this.ends[this.ends.length - 1] = base + i + 1;
        } else {
          this.ends.push(base + i + 1);
        }
        this.prevCR = false;
      } else {
        this.prevCR = false;
      }
    }
    this.scanned += chunk.length;
  }

  /** 1-based line number of the byte at `offset`. */
  lineAt(offset: number): number {
    const ends = this.ends;
    while (this.head < ends.length && ends[this.head] <= offset) {
      this.head++;
      this.passed++;
    }
    if (this.head > 4096) {
      this.ends = ends.slice(this.head);
      this.head = 0;
    }
    return this.passed + 1;
  }
}
