import { personNameKeys } from '@qc/naming';
import { QueryInputError } from './cursor';
import { nameSearchKeys } from './person-query';

describe('nameSearchKeys', () => {
  it('searches characters by the stored name key and its folded pinyin', () => {
    expect(nameSearchKeys('乌云·其其格')).toEqual({ nameKey: '乌云其其格', pinyin: personNameKeys('乌云其其格').phonetic });
    // 额尔敦 and 额尔顿 are one spelling apart and one folded pinyin together.
    expect(nameSearchKeys('额尔顿').pinyin).toBe(nameSearchKeys('额尔敦').pinyin);
  });

  it('reads latin input as pinyin syllables, folded like the stored ones', () => {
    expect(nameSearchKeys('Zhang  Wei')).toEqual({ nameKey: null, pinyin: 'zhang wei' });
    expect(nameSearchKeys('li ming').pinyin).toBe(personNameKeys('李明').phonetic);
  });

  it('refuses input without letters', () => {
    expect(() => nameSearchKeys('···')).toThrow(QueryInputError);
  });
});
