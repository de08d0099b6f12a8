// The project resolves modules the classic Node way, which ignores package.json "exports";
// describe the small traditional→simplified bundle we load (same API as the full package).
declare module 'opencc-js/t2cn' {
  export function Converter(options: { from: string; to: string }): (text: string) => string;
}
