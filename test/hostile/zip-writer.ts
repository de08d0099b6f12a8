import { writeFileSync } from 'node:fs';
import { crc32, createDeflateRaw } from 'node:zlib';
import { buildZip } from '../../libs/readers/src/testing/fixtures';

/** An entry's content deflated, with the CRC and size of what it inflates to. */
export interface Deflated { data: Buffer; crc: number; size: number }

export interface ZipEntrySpec {
  name: string;
  content: Buffer | string | Deflated;
  /** An uncompressed size to write into the headers instead of the true one: a lying archive. */
  claimSize?: number;
}

/**
 * Deflates a stream of chunks (it may inflate to gigabytes) holding only the compressed result:
 * repetitive content, as a zip bomb's, compresses about a thousand times.
 */
export async function deflateChunks(chunks: Iterable<Buffer>): Promise<Deflated> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (piece: Buffer) => out.push(piece));
  const ended = new Promise<void>((resolve, reject) => { deflate.on('end', resolve); deflate.on('error', reject); });
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(out), crc, size };
}

/** Writes a zip archive of deflated entries (sizes below 4 GB): enough to build zip bombs and broken workbooks. */
export function writeZip(path: string, entries: ZipEntrySpec[]): void {
  writeFileSync(path, buildZip(entries.map(({ name, content, claimSize }) => {
    if (Buffer.isBuffer(content) || typeof content === 'string') return { name, data: Buffer.from(content), claimSize };
    return { name, data: content.data, deflated: { crc: content.crc, size: content.size }, claimSize };
  })));
}

/** The parts of a one-sheet workbook, with the sheet's XML (and shared strings, and workbook part) as given. */
export function workbookParts(sheetXml: ZipEntrySpec['content'], sharedStringsXml?: ZipEntrySpec['content'], workbookXml?: ZipEntrySpec['content']): ZipEntrySpec[] {
  const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return [
    { name: '[Content_Types].xml', content: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${sharedStringsXml ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>` },
    { name: '_rels/.rels', content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', content: workbookXml ?? `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets><sheet name="社区" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStringsXml ? `<Relationship Id="rId2" Type="${ns}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>` },
    { name: 'xl/worksheets/sheet1.xml', content: sheetXml },
    ...(sharedStringsXml ? [{ name: 'xl/sharedStrings.xml', content: sharedStringsXml }] : []),
  ];
}
