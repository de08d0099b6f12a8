export { toHalfWidth } from './width';
export { cleanText, stripPunctuation } from './clean';
export { toSimplified } from './simplified';
export { parseChineseNumber } from './chinese-number';
export { namePinyin, pinyinPro } from './pinyin';
