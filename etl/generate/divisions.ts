/** The real division list shipped with the project (NBS 统计用区划代码 for Hohhot). */
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '@qc/config';

export interface DivisionRow {
  code: string;
  shortCode: string;
  name: string;
  shortName: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string;
  provenance: string;
}

export const DEFAULT_DIVISIONS_CSV = path.join(PROJECT_ROOT, 'etl', 'reference', 'divisions-hohhot.csv');

export function readDivisions(file = DEFAULT_DIVISIONS_CSV): DivisionRow[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',');
  const idx = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: column ${name} missing`);
    return i;
  };
  const [c, sc, n, sn, lv, pc, pv] = [
    'code',
    'short_code',
    'name',
    'short_name',
    'level',
    'parent_code',
    'provenance',
  ].map(idx);
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    return {
      code: f[c],
      shortCode: f[sc],
      name: f[n],
      shortName: f[sn],
      level: f[lv] as DivisionRow['level'],
      parentCode: f[pc],
      provenance: f[pv],
    };
  });
}

/** Urban communities first (社区/居委会), then villages; placeholder rows left out. */
export function candidateCommunities(rows: DivisionRow[]): { urban: DivisionRow[]; rural: DivisionRow[] } {
  const urban: DivisionRow[] = [];
  const rural: DivisionRow[] = [];
  for (const r of rows) {
    if (r.level !== 'community' || r.name.includes('虚拟')) continue;
    if (/村(民)?委员?会$/.test(r.name) || r.shortName.endsWith('村')) rural.push(r);
    else urban.push(r);
  }
  return { urban, rural };
}
