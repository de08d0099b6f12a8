/**
 * Name pools for invented people, places and companies of a Hohhot-like city.
 * Frequencies are rough; what matters for the registry is the mix: common Han
 * names that collide, Mongolian names (some with a middle dot, some spelled in
 * more than one way) and the local Han surnames of Mongolian origin (云, 奇, 包…).
 */
import { Rng } from './rng';

const HAN_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 70], ['李', 62], ['张', 60], ['刘', 48], ['陈', 24], ['杨', 22], ['赵', 22], ['高', 16],
  ['郭', 15], ['马', 15], ['孙', 12], ['吴', 12], ['周', 12], ['徐', 10], ['胡', 10], ['朱', 9],
  ['韩', 9], ['贾', 8], ['郝', 8], ['武', 8], ['田', 7], ['白', 7], ['冯', 6], ['邓', 5], ['曹', 6],
  ['许', 5], ['史', 5], ['乔', 5], ['梁', 5], ['宋', 5], ['任', 5], ['薛', 4], ['闫', 5], ['段', 4],
  ['杜', 4], ['吕', 4], ['魏', 4], ['姚', 3], ['石', 4], ['苏', 4], ['程', 4], ['董', 5], ['范', 3],
  ['侯', 3], ['崔', 3], ['康', 3], ['安', 3], ['常', 3], ['秦', 3], ['尹', 2], ['贺', 3], ['樊', 2],
  ['霍', 2], ['云', 6], ['奇', 3], ['包', 5], ['鲍', 3], ['敖', 2], ['宝', 2], ['那', 1], ['荣', 2],
  ['温', 2], ['卢', 2], ['岳', 2], ['孟', 3], ['牛', 2], ['申', 1], ['解', 1], ['智', 1], ['丁', 3],
];

const HAN_MALE_GIVEN = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波',
  '宇', '浩', '凯', '健', '俊', '帅', '旭', '亮', '建国', '建军', '建华', '志刚', '志强', '海军', '海涛',
  '文斌', '永刚', '永明', '福成', '树林', '玉林', '振华', '宏伟', '世明', '俊杰', '天宇', '浩然', '子轩',
  '宇航', '晓东', '国庆', '满仓', '双喜', '长海', '金山', '宝山', '和平', '爱国', '占军', '利军',
];
const HAN_FEMALE_GIVEN = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '慧', '颖', '洁', '琳', '雪', '梅',
  '红', '英', '萍', '秀兰', '桂英', '秀英', '玉兰', '凤兰', '美荣', '丽华', '丽君', '红梅', '丽丽',
  '晓燕', '海燕', '玉梅', '淑珍', '桂兰', '秀珍', '凤英', '雅琴', '欣怡', '雨萱', '梓涵', '诗涵', '婧',
  '春花', '金花', '翠花', '彩霞', '秀梅', '晓红', '亚楠',
];

/** Mongolian given names with their transliteration variants (first = canonical). */
const MONGOL_MALE: readonly (readonly string[])[] = [
  ['巴特尔', '巴特'], ['额尔敦', '额尔顿'], ['苏和', '苏赫'], ['敖登达来'], ['阿拉坦', '阿拉腾'],
  ['朝鲁', '朝洛'], ['宝音', '宝音图'], ['那顺'], ['孟和', '蒙和'], ['巴图'], ['哈斯'], ['呼和'],
  ['额尔德尼', '额尔德木'], ['达来'], ['吉日嘎拉', '吉日格勒'], ['满都拉', '满都呼'], ['扎那'],
  ['毕力格', '必力格'], ['乌力吉'], ['特木尔', '铁木尔'], ['布和'], ['阿木古楞'], ['巴雅尔'],
];
const MONGOL_FEMALE: readonly (readonly string[])[] = [
  ['其其格', '其其各'], ['斯琴', '斯沁'], ['乌云', '乌运'], ['塔娜'], ['娜仁', '那仁'], ['格日乐', '格日勒'],
  ['图雅'], ['萨仁', '萨日娜'], ['乌兰'], ['其木格', '齐木格'], ['乌日娜', '乌日那'], ['都兰'], ['敖登', '敖敦'],
  ['托娅', '托雅'], ['高娃'], ['阿拉坦其其格'], ['哈斯其木格'], ['苏日娜'], ['琪琪格'],
];

const TRANSLITERATIONS = new Map([...MONGOL_MALE, ...MONGOL_FEMALE].filter((forms) => forms.length > 1).map(([canonical, other]) => [canonical, other]));

/**
 * The same Mongolian name in another accepted transliteration (额尔敦 → 额尔顿, 云巴特尔 → 云巴特,
 * 乌云·其其格 → 乌运·其其格), or '' when none is known. Only whole given names are replaced.
 */
export function transliterationVariant(name: string): string {
  const parts = name.split('·');
  for (let i = 0; i < parts.length; i++) {
    for (const given of [parts[i], parts[i].slice(1)]) {
      const other = TRANSLITERATIONS.get(given);
      if (other) {
        parts[i] = parts[i].slice(0, parts[i].length - given.length) + other;
        return parts.join('·');
      }
    }
  }
  return '';
}

export interface InventedName {
  name: string;
  /** Another way another system spells the same person ('' when none). */
  variant: string;
  mongolian: boolean;
}

export function hanName(rng: Rng, male: boolean): InventedName {
  const given = rng.pick(male ? HAN_MALE_GIVEN : HAN_FEMALE_GIVEN);
  return { name: rng.weighted(HAN_SURNAMES) + given, variant: '', mongolian: false };
}

export function mongolianName(rng: Rng, male: boolean): InventedName {
  const pool = male ? MONGOL_MALE : MONGOL_FEMALE;
  const first = rng.pick(pool);
  const r = rng.next();
  if (r < 0.12) {
    // two-part name with a middle dot: 乌云·其其格
    const second = rng.pick(rng.chance(0.5) ? MONGOL_FEMALE : MONGOL_MALE);
    const name = `${first[0]}·${second[0]}`;
    const variant = first.length > 1 ? `${first[1]}·${second[0]}` : `${first[0]}${second[0]}`;
    return { name, variant, mongolian: true };
  }
  if (r < 0.3) {
    // Han-style surname of Mongolian origin + Mongolian given name
    const surname = rng.pick(['云', '包', '奇', '鲍', '宝', '敖']);
    return { name: surname + first[0], variant: first.length > 1 ? surname + first[1] : '', mongolian: true };
  }
  return { name: first[0], variant: first.length > 1 ? first[1] : '', mongolian: true };
}

export const EDUCATION = ['小学', '初中', '高中', '中专', '大专', '大学本科', '硕士研究生'] as const;

/** [canonical 民族 name, short form, weight in Hohhot's party membership]. */
export const ETHNICITIES: readonly (readonly [string, string, number])[] = [
  ['汉族', '汉', 76],
  ['蒙古族', '蒙古', 17],
  ['回族', '回', 3.5],
  ['满族', '满', 2.5],
  ['达斡尔族', '达斡尔', 0.4],
  ['鄂温克族', '鄂温克', 0.2],
  ['朝鲜族', '朝鲜', 0.2],
  ['藏族', '藏', 0.1],
  ['土家族', '土家', 0.05],
  ['壮族', '壮', 0.05],
];

export const COMPOUND_WORDS = [
  '阳光', '友谊', '和平', '幸福', '民族', '青城', '锦绣', '丰州', '园林', '祥和', '农大', '建设', '供电',
  '粮食', '水文', '铁路', '电力', '邮电', '税务', '金桥', '兴安', '乌兰', '草原', '敕勒川', '大召', '昭君',
  '蒙欣', '百合', '嘉和', '书香', '康居', '万和', '如意', '双树', '东方', '新城', '满都海', '石羊桥', '桥华',
];
export const COMPOUND_SUFFIX = ['小区', '家园', '嘉园', '佳苑', '花园', '公寓', '新村', '苑', '园'];
export const STREET_WORDS = [
  '新华大街', '中山路', '锡林郭勒路', '大学西街', '昭乌达路', '鄂尔多斯大街', '通道街', '海拉尔东路',
  '兴安南路', '乌兰察布西路', '人民路', '成吉思汗大街', '呼伦贝尔路', '赛马场北路', '老缸房街', '巴彦淖尔路',
];

/** Property company trade names (日富 is the real one of the published report). */
export const PROPERTY_TRADE_NAMES = [
  '福瑞', '昭君', '伊和', '丰泽', '青城', '兴泰', '佳美', '宏达', '鑫泰', '敕勒', '新秀', '德润', '鸿盛', '安居',
  '蒙欣', '惠民', '阴山', '祥瑞', '盛世', '华宇', '塞外', '恒信', '草原', '润宇', '和谐', '嘉禾', '金宇', '天骄',
  '万通', '瑞丰', '广厦', '北辰', '康泰', '宏源', '金盾', '德惠',
];

export const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for numbers below 100). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  if (n < 20) return '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
}

/** ASCII digits and spaces → full-width (１５１７ …, U+3000). */
export function toFullWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) out += String.fromCharCode(c + 0xfee0);
    else if (ch === ' ') out += '\u3000';
    else out += ch;
  }
  return out;
}
