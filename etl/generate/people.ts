/** Invented people: names, birth dates, ID numbers (GB 11643), phones, membership dates. */
import { Rng, hashString } from './rng';
import { idCheckChar } from './checks';
import { ETHNICITIES, EDUCATION, hanName, mongolianName } from './names';
import { Community, Org } from './model';

export type Category = 'full' | 'probationary' | 'none' | 'deceased';

export interface Person {
  truthId: string;
  name: string;
  variant: string;
  male: boolean;
  by: number;
  bm: number;
  bd: number;
  eth: readonly [string, string, number];
  id18: string;
  phone: string;
  edu: string;
  joinY: number;
  joinM: number;
  joinD: number;
  category: Category;
  org?: Org;
  prevOrg?: Org;
  home: Community;
  address: string;
  workplace: string;
  roles: string[];
  /** Quirk flags decided once per person so every row of a source treats them alike. */
  legacy15: boolean;
  lowerX: boolean;
  floating: boolean;
  incoming: boolean;
}

const PHONE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '147', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '166', '170', '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185',
  '186', '187', '188', '189', '191', '198', '199',
];

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysIn(y: number, m: number): number {
  return m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1];
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
export const ymd = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;

/** Excel's serial day number (1900 date system) of a calendar date. */
export function excelSerial(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000);
}

/** Midnight Beijing time as epoch milliseconds (the old app's joinTime). */
export function epochMsBeijing(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) - 8 * 3600 * 1000;
}

/**
 * Hands out ID numbers and phones that never collide: the 3-digit sequence is a
 * per (region, birth date, gender) counter started at a hashed offset, and the
 * phone's last 8 digits are an affine bijection of a global counter.
 */
export class IdentityAllocator {
  private readonly counters = new Map<number, number>();
  private phones = 0;
  private persons = 0;

  constructor(private readonly seed: string) {}

  nextTruthId(): string {
    return 'P' + String(++this.persons).padStart(7, '0');
  }

  get personCount(): number {
    return this.persons;
  }

  id18(region: string, y: number, m: number, d: number, male: boolean): string {
    const key = (Number(region) * 1e8 + y * 1e4 + m * 100 + d) * 2 + (male ? 1 : 0);
    const count = this.counters.get(key) ?? 0;
    if (count >= 499) throw new Error(`ID sequence space exhausted for ${region} ${y}-${m}-${d}`);
    this.counters.set(key, count + 1);
    const base = hashString(this.seed + ':' + key) % 499;
    const idx = (base + count) % 499;
    const seq = male ? 2 * idx + 1 : 2 * idx + 2;
    const first17 = `${region}${y}${pad2(m)}${pad2(d)}${String(seq).padStart(3, '0')}`;
    return first17 + idCheckChar(first17);
  }

  phone(rng: Rng): string {
    const n = this.phones++;
    const tail = (n * 69069 + 12345678 + (hashString(this.seed) % 1000)) % 100000000;
    return rng.pick(PHONE_PREFIXES) + String(tail).padStart(8, '0');
  }
}

export interface NewPersonOptions {
  category: Category;
  male?: boolean;
  /** Copy name and birth date (a hard negative: a different person). */
  twinOf?: Person;
  forcedName?: string;
  forcedBirthYear?: number;
}

function birthYear(rng: Rng, category: Category): number {
  if (category === 'probationary') return rng.int(1985, 2003);
  if (category === 'none') return rng.int(1960, 1996);
  if (category === 'deceased') return rng.int(1928, 1948);
  const band = rng.weighted<[number, number]>([
    [[1935, 1949], 12],
    [[1950, 1964], 30],
    [[1965, 1979], 25],
    [[1980, 1994], 23],
    [[1995, 2002], 10],
  ]);
  return rng.int(band[0], band[1]);
}

export function newPerson(
  rng: Rng,
  ids: IdentityAllocator,
  home: Community,
  region: string,
  o: NewPersonOptions,
): Person {
  const twin = o.twinOf;
  const male = twin ? twin.male : o.male ?? rng.chance(0.55);
  let eth = twin ? twin.eth : rng.weighted(ETHNICITIES.map((e) => [e, e[2]] as const));
  let nm = eth[0] === '蒙古族' && rng.chance(0.7) ? mongolianName(rng, male) : hanName(rng, male);
  if (twin) nm = { name: twin.name, variant: twin.variant, mongolian: false };
  if (o.forcedName) {
    nm = { name: o.forcedName, variant: '', mongolian: false };
    eth = ETHNICITIES[0];
  }
  const by = twin ? twin.by : o.forcedBirthYear ?? birthYear(rng, o.category);
  const bm = twin ? twin.bm : rng.int(1, 12);
  const bd = twin ? twin.bd : rng.int(1, daysIn(by, bm));
  let joinY: number;
  let joinM: number;
  if (o.category === 'probationary') {
    const k = rng.int(0, 11); // 2023-03 … 2024-02
    joinY = 2023 + Math.floor((2 + k) / 12);
    joinM = ((2 + k) % 12) + 1;
  } else {
    joinY = rng.int(Math.min(by + 18, 2022), Math.min(2022, by + 18 + rng.int(0, 40)));
    joinM = rng.int(1, 12);
  }
  const joinD = rng.int(1, daysIn(joinY, joinM));
  const id18 = ids.id18(region, by, bm, bd, male);
  return {
    truthId: ids.nextTruthId(),
    name: nm.name,
    variant: nm.variant,
    male,
    by,
    bm,
    bd,
    eth,
    id18,
    phone: ids.phone(rng),
    edu: by < 1955 ? rng.pick(EDUCATION.slice(0, 4)) : rng.pick(EDUCATION.slice(2)),
    joinY,
    joinM,
    joinD,
    category: o.category,
    home,
    address: '',
    workplace: '',
    roles: [],
    legacy15: by < 2000 && rng.chance(0.05),
    lowerX: id18.endsWith('X') && rng.chance(0.5),
    floating: rng.chance(0.03),
    incoming: false,
  };
}
