import type { pinyin } from 'pinyin-pro';
import { stripPunctuation } from './clean';
import { toSimplified } from './simplified';

let converter: typeof pinyin | undefined;

/** pinyin-pro, loaded on first use (its dictionaries are large): a command that spells nothing in pinyin starts without it. */
export function pinyinPro(): typeof pinyin {
  return (converter ??= (require('pinyin-pro') as typeof import('pinyin-pro')).pinyin);
}

/**
 * Toneless lowercase pinyin of a person's name, syllables separated by single spaces, for
 * fuzzy matching across sources (张三 → "zhang san", 单雄信 → "shan xiong xin").
 * Surname readings apply to the leading characters; input is simplified first because those
 * readings only know simplified characters (單 would read "dan"). ü is written "v" (吕 → "lv")
 * so keys stay ASCII. Punctuation such as the middle dot in 阿依古丽·买买提 is a word break;
 * non-Han runs are kept, lowercased.
 */
export function namePinyin(name: string): string {
  const text = stripPunctuation(toSimplified(name), ' ');
  if (text === '') return '';
  return pinyinPro()(text, { toneType: 'none', surname: 'head', type: 'array', nonZh: 'consecutive', v: true })
    .flatMap((part) => part.toLowerCase().split(' '))
    .filter((part) => part !== '')
    .join(' ');
}
