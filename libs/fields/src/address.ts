import { cleanText, parseChineseNumber, toSimplified } from '@qc/text';
import { BUILDING_WORD, buildingNumber } from '@qc/naming';
import { Building } from './building';
import { Cell, ParseResult, cellText, ok } from './result';

export interface Address {
  /** Residential compound (小区) or, for addresses without one, the street address (老缸房街12号). */
  compound: string;
  /** Street address given before a named compound (老缸房街12号航苑小区 → 老缸房街12号). */
  street?: string;
  building?: Building;
  unit?: number;
  room?: string;
  /** Whatever followed the room and was not understood. */
  rest?: string;
}

const HAN = '\\p{Script=Han}';
const CN_NUMBER = '[一二三四五六七八九十两〇零百]+';
const NUMBER = `(?:\\d+|${CN_NUMBER})`;

// Leading administrative divisions, recognised by suffix so that any city/district/street is
// stripped, tried in this order, each at most once. The 区 rule skips 小区, 社区, 园区 etc.
const ADMIN_PREFIXES = [
  new RegExp(`^[${HAN}]{2,9}?(?:省|自治区)`, 'u'),
  new RegExp(`^[${HAN}]{2,9}?(?:市|盟)`, 'u'),
  new RegExp(`^[${HAN}]{2,9}?(?<![小社园校厂矿营景宅])(?:区|旗|县)`, 'u'),
  new RegExp(`^[${HAN}]{2,9}?(?:街道|镇|乡|苏木)`, 'u'),
  new RegExp(`^[${HAN}]{2,9}?社区(?:居委会|居民委员会)?`, 'u'),
];
// If what follows a stripped "division" is a compound word, the division was the compound's
// own name (五星红旗小区, 水岸家乡小区).
const COMPOUND_WORD = /^(?:小区|花园|家园|公寓|新村|大院|家属院|宿舍|社区)/;

// A street number (老缸房街12号, 人民路3号院) that serves as or precedes the compound.
const STREET_NUMBER = new RegExp(`^[${HAN}]{1,12}?(?:路|街|巷|道|胡同)${NUMBER}号院?(?!楼)`, 'u');
// 号 alone marks a building only when not 号院 (a courtyard address).
const BUILDING = new RegExp(
  `第?(\\d+(?:-\\d+)?|\\d+[A-Z]|[A-Z]\\d*|${CN_NUMBER})\\s*[-_]?\\s*(?:${BUILDING_WORD}|号(?!院))`,
  'u',
);
const UNIT = new RegExp(`^(${NUMBER})\\s*单元`, 'u');
const UNIT_ANYWHERE = new RegExp(`${NUMBER}\\s*单元`, 'u');
const ROOM = /^([A-Z]?\d+[A-Z]?)\s*(?:室|号|户)?/;
// Building-unit-room written with dashes: 航苑小区5-3-1601.
const DASHED = /^(.*?)\s*(\d+)-(\d+)-(\d+)(?:室|号)?(.*)$/;

/**
 * Splits a free-text address into compound, building, unit and room:
 * '呼和浩特市新城区航苑小区5号楼3单元1601', '航苑小区5#3-1601', '兴康小区 10栋 2单元 302室',
 * '老缸房街12号'. Leading city/district/street/community names are dropped. Flag 'no-compound'
 * when only building/unit/room were given.
 */
export function parseAddress(cell: Cell): ParseResult<Address> {
  const text = cellText(cell);
  if (!text.ok) return text;
  // Upper case so that block letters (a座) and room suffixes (1601a) match one spelling.
  let s = stripAdminPrefixes(
    toSimplified(text.value)
      .toUpperCase()
      .replace(/[—–~－]/g, '-'),
  );

  let street: string | undefined;
  const streetMatch = STREET_NUMBER.exec(s);
  if (streetMatch) {
    street = streetMatch[0];
    s = s.slice(street.length).trim();
  }
  const address = splitCompound(s);
  if (street !== undefined) {
    if (address.compound === '') address.compound = street;
    else address.street = street;
  }
  return address.compound === '' ? ok(address, ['no-compound']) : ok(address);
}

function stripAdminPrefixes(s: string): string {
  for (const prefix of ADMIN_PREFIXES) {
    const m = prefix.exec(s);
    if (!m) continue;
    const rest = s.slice(m[0].length).trim();
    if (rest !== '' && !COMPOUND_WORD.test(rest)) s = rest;
  }
  return s;
}

function splitCompound(s: string): Address {
  const unitAt = s.search(UNIT_ANYWHERE);
  const building = BUILDING.exec(s);
  // A number with 号 after the unit is the room (2单元302号), not a building.
  const key = building && (unitAt < 0 || building.index < unitAt) ? buildingNumber(building[1]) : null;
  if (building && key) {
    const tail = s.slice(building.index + building[0].length);
    return {
      compound: trimCompound(s.slice(0, building.index)),
      building: key,
      ...splitUnitRoom(tail, true),
    };
  }
  const dashed = DASHED.exec(s);
  if (dashed) {
    const [, compound, b, unit, room, rest] = dashed;
    const address: Address = { compound: trimCompound(compound), unit: Number(unit), room };
    const dashedBuilding = buildingNumber(b);
    if (dashedBuilding) address.building = dashedBuilding;
    return withRest(address, rest);
  }
  if (unitAt >= 0) {
    return { compound: trimCompound(s.slice(0, unitAt)), ...splitUnitRoom(s.slice(unitAt), false) };
  }
  return { compound: trimCompound(s) };
}

/** Unit and room after the building; `dashedUnit` allows 3-1601 meaning unit 3, room 1601. */
function splitUnitRoom(tail: string, dashedUnit: boolean): Omit<Address, 'compound'> {
  let t = skipSeparators(tail);
  const result: Omit<Address, 'compound'> = {};
  const unit = UNIT.exec(t) ?? (dashedUnit ? /^(\d+)\s*-\s*(?=\d)/.exec(t) : null);
  const unitNumber = unit && parseChineseNumber(unit[1]);
  if (unit && unitNumber !== null) {
    result.unit = unitNumber;
    t = skipSeparators(t.slice(unit[0].length));
  }
  const room = ROOM.exec(t);
  if (room) {
    result.room = room[1];
    t = t.slice(room[0].length);
  }
  return withRest(result, t);
}

function withRest<T extends { rest?: string }>(result: T, rest: string): T {
  const r = cleanText(rest);
  if (r !== '') result.rest = r;
  return result;
}

function skipSeparators(s: string): string {
  return s.replace(/^[\s\-,，、]+/, '');
}

function trimCompound(s: string): string {
  return cleanText(s.replace(/[\s\-,，、(（]+$/, ''));
}
