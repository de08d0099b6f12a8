import { parse } from 'csv-parse/sync';
import { decode, encode } from 'iconv-lite';
import { readFileSync, writeFileSync } from 'node:fs';

/** An S1 roster's header and rows, its columns found by what their headers say (the generator varies them: 姓名/党员姓名, 所在党组织/所在党支部). */
export interface Roster {
  header: string[];
  rows: string[][];
  column: { name: number; idNumber: number; phone: number; organization: number };
}

export function readRoster(file: string): Roster {
  const [header, ...rows] = parse(decode(readFileSync(file), 'gb18030')) as string[][];
  const find = (pattern: RegExp) => header.findIndex((h) => pattern.test(h));
  return { header, rows, column: { name: find(/姓名/), idNumber: find(/身份/), phone: find(/手机|电话/), organization: find(/所在党/) } };
}

/** The roster's rows by the district (旗县区) their organization's formal name places them in; rows naming none are left out. */
export function rowsByDistrict(roster: Roster): Map<string, string[][]> {
  const byDistrict = new Map<string, string[][]>();
  for (const row of roster.rows) {
    const district = /呼和浩特市(.+?(?:区|县|旗))/.exec(row[roster.column.organization])?.[1];
    if (district) byDistrict.set(district, [...(byDistrict.get(district) ?? []), row]);
  }
  return byDistrict;
}

/** Writes rows under the roster's header as the member system exports them (GB18030, quoted, CRLF). */
export function writeRoster(file: string, header: string[], rows: string[][]): void {
  const quoted = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  writeFileSync(file, encode(`${[header, ...rows].map(quoted).join('\r\n')}\r\n`, 'gb18030'));
}
