import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The municipal member system's export header (S1). */
const S1_HEADER = '序号,姓名,性别,民族,出生日期,公民身份号码,学历,人员类别,入党日期,转正日期,所在党组织,联系电话,工作单位,现居住地';
export const XINGKANG_COMMITTEE = '中共呼和浩特市赛罕区兴康社区委员会';

/** A valid 18-digit citizen ID for a region, birth date (yyyymmdd) and sequence: the check character computed. */
export function validCitizenId(region: string, birth: string, sequence: string): string {
  const body = `${region}${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** 王建国's and 孙强's IDs in XINGKANG_FOUR. */
export const WANG_ID = validCitizenId('150105', '19750304', '123');
export const SUN_ID = validCitizenId('150105', '19820710', '456');

/** Four members of the 兴康 committee: two with ID and phone, two with neither. */
export const XINGKANG_FOUR = [
  `1,张丽华,女,汉族,1980-05-12,,大学,正式党员,2005-07-01,2006-07-01,${XINGKANG_COMMITTEE},,兴康小学,`,
  `2,刘芳,女,汉族,1968-11-02,,高中,正式党员,1990-07-01,1991-07-01,${XINGKANG_COMMITTEE},,退休,`,
  `3,王建国,男,汉族,1975-03-04,${WANG_ID},高中,正式党员,2001-07-01,2002-07-01,${XINGKANG_COMMITTEE},13912345678,供电局,`,
  `4,孙强,男,汉族,1982-07-10,${SUN_ID},大学,正式党员,2008-07-01,2009-07-01,${XINGKANG_COMMITTEE},13800001111,税务局,`,
];

/** Writes an S1 member export (CSV, UTF-8 with BOM) of the given data lines into a fresh folder. */
export function writeS1(lines: string[], name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-s1-')), name);
  writeFileSync(path, `\uFEFF${[S1_HEADER, ...lines].join('\r\n')}\r\n`);
  return path;
}
