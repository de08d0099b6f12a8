import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEXI, writeS6, XINGKANG } from '../support/fixtures';
import { deflateChunks, workbookParts, writeZip } from './zip-writer';

/** A hostile or broken file, and what its refusal must say besides the file's name. */
export interface HostileFile { name: string; reason: RegExp }

const S6_HEADER = ['社区代码', '社区名称', '街道', '区', '户数', '常住人口', '少数民族人口', '网格数', '楼栋数', '社区书记', '专职社区工作者数'];
const MB = 1024 * 1024;

function inlineRow(row: number, cells: string[]): string {
  const col = (i: number) => String.fromCharCode(65 + i);
  return `<row r="${row}">${cells.map((v, i) => `<c r="${col(i)}${row}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
}

function sheet(rows: string, prolog = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${prolog}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
}

/** A sheet whose XML inflates to `bytes`: a valid head, then whitespace, in 1 MB chunks. */
function* inflatingSheet(bytes: number): Iterable<Buffer> {
  yield Buffer.from(sheet(inlineRow(1, S6_HEADER)).replace('</sheetData></worksheet>', ''));
  const blank = Buffer.alloc(MB, 0x20);
  for (let done = 0; done < bytes; done += MB) yield blank;
  yield Buffer.from('</sheetData></worksheet>');
}

function writeInChunks(path: string, parts: Iterable<string | Buffer>): Promise<void> {
  const out = createWriteStream(path);
  return new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    (async () => {
      for (const part of parts) if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
      out.end(() => resolve());
    })().catch(reject);
  });
}

/**
 * Builds every hostile and broken input into `dir` and returns what each must be refused for.
 * Nothing big is held in memory: large files are written in chunks.
 */
export async function buildHostileCorpus(dir: string, goodWorkbook: string): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (name: string, reason: RegExp) => { files.push({ name, reason }); return join(dir, name); };
  const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>`;

  // A zip bomb honest about its size, and the same one whose headers claim a few kilobytes.
  const bomb = await deflateChunks(inflatingSheet(1200 * MB));
  writeZip(add('zip-bomb.xlsx', /uncompressed|ratio|expands|limit/i), workbookParts(bomb));
  writeZip(add('zip-bomb-lying.xlsx', /inflates beyond|claims/i), workbookParts(bomb).map((e) => (
    e.name === 'xl/worksheets/sheet1.xml' ? { ...e, claimSize: 4096 } : e)));
  // A workbook part (the workbook itself) far beyond what any real one needs.
  const padding = await deflateChunks((function* () {
    yield Buffer.from('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!--');
    for (let i = 0; i < 64; i++) yield Buffer.alloc(MB, 0x2d);
    yield Buffer.from('--></workbook>');
  })());
  writeZip(add('oversized-part.xlsx', /ratio|limit|bytes/i), workbookParts(sheet(inlineRow(1, S6_HEADER)), undefined, padding));
  // XML entity tricks: billion laughs in the sheet, an external entity in the shared strings.
  writeZip(add('billion-laughs.xlsx', /DTD/), workbookParts(
    sheet(inlineRow(1, S6_HEADER) + inlineRow(2, ['150105001019', '&lol9;', '人民路街道', '赛罕区']), laughs)));
  writeZip(add('external-entity.xlsx', /DTD/), workbookParts(
    sheet(inlineRow(1, S6_HEADER) + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'),
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>150105001019</t></si><si><t>&xxe;</t></si></sst>'));
  // A real workbook cut short.
  const whole = readFileSync(goodWorkbook);
  writeFileSync(add('truncated.xlsx', /truncat|damaged|incomplete|corrupt|not a complete|cannot be read|zip/i), whole.subarray(0, Math.floor(whole.length / 2)));
  // One CSV cell of 200 MB.
  await writeInChunks(add('huge-cell.csv', /characters|cell|limit|record|large/i), (function* () {
    yield `\uFEFF${S6_HEADER.join(',')}\r\n150105001019,"`;
    const chunk = 'a'.repeat(MB);
    for (let i = 0; i < 200; i++) yield chunk;
    yield '",人民路街道,赛罕区\r\n';
  })());
  // Two million columns in one row.
  await writeInChunks(add('million-columns.csv', /2000001 cells, more than the limit of 512/), (function* () {
    yield `${S6_HEADER.join(',')}\r\n150105001019`;
    for (let i = 0; i < 20; i++) yield ','.repeat(100_000);
    yield '\r\n';
  })());
  // JSON nested 100,000 levels deep.
  await writeInChunks(add('deep.json', /deeper|nesting|depth/i), ['['.repeat(100_000), ']'.repeat(100_000)]);
  // Binary data under a .csv name.
  const binary = Buffer.alloc(256 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  writeFileSync(add('binary.csv', /binary|not text|encoding/i), binary);
  return files;
}

export { writeS6, XINGKANG, HEXI, S6_HEADER };
