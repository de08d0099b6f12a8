import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { because } from '@qc/reasons';
import { toSimplified } from '@qc/text';
import { Cell, ParseResult, cellText, fail, ok } from './result';
import { PROJECT_ROOT } from '@qc/config';

export interface EthnicGroup {
  /** GB/T 3304 two-digit code, '01'..'56', or the extensions '97'/'98'. */
  code: string;
  name: string;
}

interface EthnicRow {
  code: string;
  name: string;
  roman_name: string;
  letter_code: string;
  short_name: string;
  aliases: string;
}

const CSV_PATH = path.join(PROJECT_ROOT, 'etl', 'reference', 'ethnic-groups.csv');

let index: Map<string, EthnicGroup> | undefined;

/**
 * 民族 cell → GB/T 3304 group, by code ('02', also '2' or the number 2), full name (蒙古族),
 * short name (蒙古), aliases from the reference table (蒙, 蒙族), romanisation (Mongol) or
 * letter code (MG), case-insensitively and in traditional characters too.
 */
export function parseEthnicGroup(cell: Cell): ParseResult<EthnicGroup> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const key = normalise(text.value);
  const code = /^\d{1,2}$/.test(key) ? key.padStart(2, '0') : undefined;
  const group = getIndex().get(code ?? key);
  return group ? ok(group) : fail(because('ethnic-unrecognised', { value: text.value }));
}

function normalise(s: string): string {
  return toSimplified(s).replace(/\s+/g, '').toLowerCase();
}

function getIndex(): Map<string, EthnicGroup> {
  if (index) return index;
  const rows: EthnicRow[] = parse(readFileSync(CSV_PATH), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
  const keys = new Map<string, EthnicGroup>();
  const ambiguous = new Set<string>();
  for (const row of rows) {
    const group: EthnicGroup = { code: row.code, name: row.name };
    const names = [
      row.code,
      row.name,
      row.roman_name,
      row.letter_code,
      row.short_name,
      ...aliases(row.aliases),
    ];
    for (const name of names.map(normalise).filter((n) => n !== '')) {
      const seen = keys.get(name);
      // A word naming two groups identifies neither.
      if (seen && seen.code !== group.code) ambiguous.add(name);
      keys.set(name, group);
    }
  }
  for (const name of ambiguous) keys.delete(name);
  index = keys;
  return keys;
}

/** Alias cells hold '|'-separated names with notes in brackets, or a prose note for 97/98. */
function aliases(cell: string): string[] {
  return cell
    .split('|')
    .map((a) => a.replace(/[(（].*$/, '').trim())
    .filter((a) => /^[\p{Script=Han}A-Za-z]+$/u.test(a));
}
