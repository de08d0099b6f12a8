let convert: ((text: string) => string) | undefined;

// Nothing to convert unless the text has a CJK ideograph; most cells (numbers, codes, dates) don't.
const HAS_HAN = /\p{Script=Han}/u;

/**
 * Traditional → simplified Chinese. The Hong Kong preset also folds the OpenCC-standard and
 * common variant glyphs (衞, 裏, 綫), which covers the traditional text seen in our sources.
 * The converter loads a dictionary, so it is loaded and built once on first use (a command that
 * reads no text starts without it).
 */
export function toSimplified(s: string): string {
  if (!HAS_HAN.test(s)) return s;
  convert ??= (require('opencc-js/t2cn') as typeof import('opencc-js/t2cn')).Converter({ from: 'hk', to: 'cn' });
  return convert(s);
}
