// Full-width forms (U+FF01–FF5E) sit at a fixed offset from ASCII (U+0021–007E).
const FULL_WIDTH_OFFSET = 0xfee0;

/** Full-width ASCII → ASCII and the ideographic space U+3000 → ' '. Other text is untouched. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET),
  );
}
