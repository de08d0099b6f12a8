import { citizenIdCheckChar } from '@qc/fields';
import type { CellValue, RawRow } from '@qc/readers';
import { DRIFT_HEADERS, NOISE_COLUMNS } from '../../../etl/generate/drift/vocabulary';
import { detectLayout } from './detect';
import { headerCore, headerForms, headerTopic } from './normalize';
import { looseSimilarity, oneCharacterOff, secondCharacterSlipped, sharedCharacters, shortenedFrom, soundsAlike } from './similarity';
import { kindListedByHeader, profileColumns, valueKind } from './values';
import { COMMON_FIELDS, ENTITIES } from './vocabulary';

/*
 * The loose header rules, tried on a third list of words: written the way forms are written, but
 * neither entries of the product's vocabulary nor words the drift generator draws (asserted first),
 * so that a passing test shows a rule, not a remembered word.
 */
const HEADER_WORDS = ['姓茗', '女/男', '读书', '条目', '常住户数', '党支部带头人', '录入人', '更改日期', '楼号数', '籍惯', '职物', '企业性质', '登记年月', '所属片区', '附记'];

describe('the words of these tests', () => {
  const forms = (w: string) => [headerForms(w).full, headerForms(w).base].filter(Boolean);
  const product = new Set([...ENTITIES.flatMap((e) => e.fields), ...COMMON_FIELDS].flatMap((f) => f.synonyms).flatMap(forms));
  const drift = new Set(
    [...Object.values(DRIFT_HEADERS).flatMap((fields) => Object.values<readonly string[]>(fields).flat()), ...NOISE_COLUMNS.map(([h]) => h)].flatMap(forms),
  );
  it.each(HEADER_WORDS)('%s is in neither vocabulary', (word) => {
    expect(forms(word).filter((f) => product.has(f) || drift.has(f))).toEqual([]);
  });
});

describe('loose similarity of two words', () => {
  it('hears a homophone only when one character is the very same', () => {
    expect(soundsAlike('籍惯', '籍贯')).toBe(true);
    expect(soundsAlike('职物', '职务')).toBe(true);
    expect(soundsAlike('籍口', '籍贯')).toBe(false);
    expect(soundsAlike('事实', '誓师')).toBe(false);
  });

  it('forgives one mistyped character in three or more, not in two', () => {
    expect(oneCharacterOff('婚姻状况', '婚姻状态')).toBe(true);
    expect(oneCharacterOff('车位', '车库')).toBe(false);
    expect(oneCharacterOff('婚姻状况', '婚恋情况')).toBe(false);
  });

  it('sees the second character of a two-character word slipped, nothing longer or shorter', () => {
    expect(secondCharacterSlipped('附记', '附注')).toBe(true);
    expect(secondCharacterSlipped('记附', '附注')).toBe(false);
    expect(secondCharacterSlipped('附记', '附注说明')).toBe(false);
  });

  it('sees a word shortened by one character', () => {
    expect(shortenedFrom('邮码', '邮政码')).toBe(true);
    expect(shortenedFrom('邮码', '邮政编码')).toBe(false);
  });

  it('counts shared characters in any order', () => {
    expect(sharedCharacters('职业技能', '技能职业')).toBe(1);
    expect(sharedCharacters('职业技能', '车辆类型')).toBe(0);
    expect(looseSimilarity('职业技能', '技能职业')).toBeGreaterThan(0.7);
    expect(looseSimilarity('录入人', '负责人')).toBe(0);
  });
});

describe('the core and topic of a header', () => {
  it('reads date endings, kind nouns, fillers, locative prefixes and traditional characters alike', () => {
    expect(headerCore('登记年月')).toBe(headerCore('登记时间'));
    expect(headerCore('企业性质')).toBe(headerCore('企业类型'));
    expect(headerCore('所属片区')).toBe('片区');
    expect(headerCore('住房情况')).toBe('住房');
    expect(headerCore('婚姻狀況')).toBe(headerCore('婚姻状况'));
  });

  it('keeps only what a header is about', () => {
    expect(headerTopic('登记年月')).toBe('登记');
    expect(headerTopic('车主名')).toBe('车主');
    expect(headerTopic('名')).toBe('');
  });
});

describe('values and headers that list them', () => {
  it('knows levels of schooling', () => {
    expect(['本科', '初中及以下', '硕士研究生', '大专'].map(valueKind)).toEqual(['education', 'education', 'education', 'education']);
    expect(valueKind('本溪')).not.toBe('education');
  });

  it('sees a column counting its rows, and a column of 1s and 2s', () => {
    const [seq, codes, gaps] = profileColumns([[1, 1, 1], [2, 2, 3], [3, 2, 4]], 3);
    expect([seq.sequence, seq.genderCodes]).toEqual([true, false]);
    expect([codes.sequence, codes.genderCodes]).toEqual([false, true]);
    expect([gaps.sequence, gaps.genderCodes]).toEqual([false, false]);
  });

  it('reads a header that lists its values as the kind of those values', () => {
    expect(kindListedByHeader('女/男')).toBe('gender');
    expect(kindListedByHeader('有/无')).toBe('yesNo');
    expect(kindListedByHeader('职务')).toBeNull();
    expect(kindListedByHeader('读书')).toBeNull();
  });
});

function sheet(name: string, rows: CellValue[][]): RawRow[] {
  return rows.map((cells, i) => ({ sheet: name, ref: `${name}!${i + 1}`, line: i + 1, cells }));
}

function citizenId(birth: string, serial: number): string {
  const first17 = `150105${birth}${String(serial).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

describe('columns read through the loose rules', () => {
  const people: [string, number, string, string][] = [
    ['王建国', 1, '本科', '19700102'],
    ['李秀英', 2, '大专', '19810315'],
    ['张伟', 1, '初中', '19650720'],
    ['乌云其其格', 2, '硕士研究生', '19900811'],
  ];

  it('takes a homophone of 姓名 for the name, 女/男 over 1s and 2s for gender, schooling by its values, a row count for the sequence and a slip of 附注 for the note', () => {
    const rows = sheet('党员', [
      ['条目', '姓茗', '女/男', '读书', '身份证号', '录入人', '附记'],
      ...people.map(([name, sex, school, birth], i) => [i + 1, name, sex, school, citizenId(birth, i + 1), '刘芳', i === 2 ? '已故' : null]),
    ]);
    const l = detectLayout('党员', rows);
    expect(l.entity).toBe('member-roster');
    expect(l.columns).toEqual({ seq: 0, name: 1, gender: 2, education: 3, idNumber: 4, note: 6 });
    expect(l.ignored.map((i) => i.header)).toEqual(['录入人']);
  });

  it('lets names take a field under a kindred header, never under an unrelated one', () => {
    const rows = sheet('红色物业', [
      ['物业企业名称', '统一社会信用代码', '党组织名称', '党支部带头人', '录入人'],
      ['安居物业服务有限公司', '91150105MA0N2XYZ1K', '安居物业党支部', '王建国', '刘芳'],
      ['和美物业管理有限公司', '91150105MA0N3ABC2L', '和美物业党支部', '李秀英', '刘芳'],
      ['恒信物业有限公司', '91150105MA0N4DEF3M', '恒信物业党支部', '张伟', '赵磊'],
    ]);
    const l = detectLayout('红色物业', rows);
    expect(l.entity).toBe('red-property');
    expect(l.columns.secretary).toBe(3);
    expect(l.evidence.secretary).toBe('values');
    expect(l.ignored.map((i) => i.header)).toContain('录入人');
  });

  it('meets counts of one thing worded otherwise, and leaves an update date alone', () => {
    const rows = sheet('社区', [
      ['社区名称', '常住户数', '楼号数', '更改日期'],
      ['河东社区', 2311, 48, '2024-01-05'],
      ['河西社区', 1980, 37, '2024-01-06'],
      ['新华社区', 2702, 55, '2024-01-05'],
    ]);
    const l = detectLayout('社区', rows);
    expect(l.entity).toBe('community-basics');
    expect(l.columns).toMatchObject({ communityName: 0, households: 1, buildingCount: 2 });
    expect(l.ignored.map((i) => i.header)).toEqual(['更改日期']);
  });
});
