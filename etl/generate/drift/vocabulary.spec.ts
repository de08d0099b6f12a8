import { COMMON_FIELDS, ENTITIES, headerForms } from '@qc/layout';
import { DRIFT_HEADERS, NOISE_COLUMNS, PIVOT_HEADER, TABLE_FIELDS, TableKind } from './vocabulary';

/** Every form the product compares a header in, for one word. */
const forms = (word: string) => {
  const { full, base } = headerForms(word);
  return [full, base].filter(Boolean);
};

const productEntries = new Set(
  [...ENTITIES.flatMap((e) => e.fields), ...COMMON_FIELDS].flatMap((f) => f.synonyms).flatMap(forms),
);

describe('the drift vocabulary', () => {
  const driftWords = Object.values(DRIFT_HEADERS).flatMap((fields) => Object.values<readonly string[]>(fields).flat());

  it('shares no header word with the product once the product has normalised it', () => {
    const shared = [...driftWords, ...NOISE_COLUMNS.map(([header]) => header), ...PIVOT_HEADER].filter((word) =>
      forms(word).some((form) => productEntries.has(form)),
    );
    expect(shared).toEqual([]);
  });

  it('has several words for every field it renders', () => {
    for (const [kind, fields] of Object.entries(TABLE_FIELDS) as [TableKind, readonly string[]][]) {
      const vocabulary = DRIFT_HEADERS[kind] as Record<string, readonly string[]>;
      for (const field of fields) expect({ kind, field, words: vocabulary[field].length >= 3 }).toEqual({ kind, field, words: true });
    }
  });

  it('includes the community-worker count under a header the product has never listed', () => {
    expect(DRIFT_HEADERS.communityBasics.workers).toContain('社区专职工作者人数');
  });
});
