import { Building, Compound, Division, Grid, newEntityId } from '@qc/database';
import { CompoundName, communityNameKey, compoundNameKey, compoundNamesMeet, createPlaceIndex, damagedKeyPattern, isDamaged, knownResidentialArea, PlaceIndex, readCompoundName, splitPlacePrefix } from '@qc/naming';
import { because, Reason } from '@qc/reasons';
import { cleanText } from '@qc/text';
import { EntityManager, In } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { lineageEntry, Origin } from './origin';

/** How a source names a community: loosely (兴康, 兴康社区居委会), sometimes with its street or district. */
export interface CommunityHint {
  community?: string | null;
  subdistrict?: string | null;
  district?: string | null;
}

export type Found<T> = { ok: true; value: T; created: boolean } | { ok: false; reason: Reason; candidates?: T[] };

const COMMUNITY_IN_TEXT = /^(.+?(?:社区|村|嘎查))/;

/** What a compound list says of a compound besides its name. */
export interface CompoundFacts {
  address?: string | null;
  builtYear?: number | null;
  buildingCount?: number | null;
  households?: number | null;
  propertyCompanyId?: string | null;
}

const COMPOUND_FACTS = ['address', 'builtYear', 'buildingCount', 'households', 'propertyCompanyId'] as const;

/**
 * Finds communities by their loose names and finds or creates the places inside them (grids,
 * compounds, buildings). Division names are loaded once per merge; places are cached by key.
 */
export class PlaceDirectory {
  /** Division names, read once per merge (a run's look-ups may ask for them at the same time). */
  private loaded: Promise<void> | null = null;
  private byCode = new Map<string, Division>();
  private communitiesByKey = new Map<string, Division[]>();
  private index: PlaceIndex | null = null;
  private grids = new Map<string, Grid>();
  private compoundsByCommunity = new Map<string, Compound[]>();
  private buildings = new Map<string, Building>();
  /** Communities whose grids, and compounds whose buildings, are all in the maps above (read ahead for a run of records). */
  private gridsRead = new Set<string>();
  private buildingsRead = new Set<string>();
  private ledgers = new Map<string, string | null>();
  private namedInThisMerge = new Map<string, Division>();

  constructor(private readonly manager: EntityManager, private readonly changes: ChangeBuffer) {}

  /** Names of districts and streets, for splitting place prefixes off organization names. */
  async placeIndex(): Promise<PlaceIndex> {
    await this.load();
    return this.index!;
  }

  async division(code: string): Promise<Division | null> {
    await this.load();
    return this.byCode.get(code) ?? null;
  }

  /** The community a hint names, narrowed by street and district when the name alone is ambiguous. */
  async community(hint: CommunityHint): Promise<Found<Division>> {
    await this.load();
    const raw = cleanText(hint.community ?? '');
    if (raw === '') return { ok: false, reason: because('community-not-named') };
    const key = communityNameKey(raw, this.index!);
    let candidates = this.candidates(raw, key, hint);
    // A sheet without a street column (S2's 楼栋) means the community its file already named with one.
    const earlier = this.namedInThisMerge.get(key);
    if (candidates.length > 1 && earlier && candidates.includes(earlier)) candidates = [earlier];
    if (candidates.length === 1) {
      this.namedInThisMerge.set(key, candidates[0]);
      return { ok: true, value: candidates[0], created: false };
    }
    if (candidates.length === 0) return { ok: false, reason: because('community-unknown', { name: raw }) };
    return { ok: false, reason: because('community-ambiguous', { name: raw, codes: candidates.map((c) => c.code) }), candidates };
  }

  /** Every community a hint may name (several when it is ambiguous), noting nothing: for reading a run's records ahead. */
  async communitiesNamed(hint: CommunityHint): Promise<string[]> {
    await this.load();
    const raw = cleanText(hint.community ?? '');
    return raw === '' ? [] : this.candidates(raw, communityNameKey(raw, this.index!), hint).map((c) => c.code);
  }

  private candidates(raw: string, key: string, hint: CommunityHint): Division[] {
    let candidates = this.communitiesByKey.get(key) ?? [];
    if (candidates.length === 0 && isDamaged(key)) {
      // Characters lost to mis-decoding: every community the rest of the name still fits, narrowed below.
      const pattern = damagedKeyPattern(key);
      candidates = [...new Set([...this.communitiesByKey].filter(([k]) => pattern.test(k)).flatMap(([, list]) => list))];
    }
    const prefix = splitPlacePrefix(raw.replace(/\s/g, ''), this.index!).prefix;
    for (const above of [hint.subdistrict, hint.district, prefix]) {
      if (candidates.length <= 1 || !above) continue;
      const narrowed = candidates.filter((c) => this.isUnder(c, above));
      if (narrowed.length > 0) candidates = narrowed;
    }
    return candidates;
  }

  /**
   * The community a community ledger (S3) is about, from its title rows or file name (its words,
   * space separated): its short organization names (第一网格党支部) belong there. Asked once per ledger.
   */
  async ledgerCommunity(ledger: string): Promise<string | null> {
    const cached = this.ledgers.get(ledger);
    if (cached !== undefined) return cached;
    let code: string | null = null;
    for (const text of ledger.split(/\s+/).filter(Boolean)) {
      const found = await this.communityInText(text);
      if (found.ok) {
        code = found.value.code;
        break;
      }
    }
    this.ledgers.set(ledger, code);
    return code;
  }

  /** Notes that a source's loose name meant this community (e.g. the grid platform's code said so). */
  async noteName(name: string | null | undefined, community: Division): Promise<void> {
    await this.load();
    const raw = cleanText(name ?? '');
    if (raw !== '') this.namedInThisMerge.set(communityNameKey(raw, this.index!), community);
  }

  /** The community named inside a title or file name: 赛罕区人民路街道兴康社区党员花名册（2023年）. */
  async communityInText(text: string): Promise<Found<Division>> {
    await this.load();
    const compact = cleanText(text).replace(/\s/g, '').replace(/^填报单位[:：]/, '');
    const { prefix, rest } = splitPlacePrefix(compact, this.index!);
    const named = COMMUNITY_IN_TEXT.exec(rest)?.[1] ?? knownResidentialArea(rest, this.index!);
    if (!named) return { ok: false, reason: because('community-not-in-address', { address: text }) };
    return this.community({ community: prefix + named });
  }

  /**
   * Reads ahead the grids and the buildings (of every compound) of these communities, one query
   * each, for a run of records: a grid or building not found then does not exist (this merge
   * creates them through this directory, which keeps the maps current).
   */
  async readPlaces(communityCodes: string[]): Promise<void> {
    const codes = [...new Set(communityCodes)].filter((c) => !this.gridsRead.has(c));
    if (codes.length === 0) return;
    for (const grid of await this.manager.find(Grid, { where: { communityCode: In(codes) } })) {
      const key = `${grid.communityCode}/${grid.number}`;
      if (!this.grids.has(key)) this.grids.set(key, grid);
    }
    const compounds: { id: string }[] = await this.manager.query(`SELECT c.id::text FROM compound c WHERE c.community_code = ANY($1)`, [codes]);
    const ids = compounds.map((c) => c.id);
    for (const building of ids.length === 0 ? [] : await this.manager.find(Building, { where: { compoundId: In(ids) } })) {
      const key = `${building.compoundId}/${building.numberKey}`;
      if (!this.buildings.has(key)) this.buildings.set(key, building);
    }
    for (const code of codes) this.gridsRead.add(code);
    for (const id of ids) this.buildingsRead.add(id);
  }

  async findGrid(communityCode: string, number: number): Promise<Grid | null> {
    const key = `${communityCode}/${number}`;
    if (this.gridsRead.has(communityCode)) return this.grids.get(key) ?? null;
    const grid = this.grids.get(key) ?? (await this.manager.findOneBy(Grid, { communityCode, number }));
    if (grid) this.grids.set(`${communityCode}/${number}`, grid);
    return grid;
  }

  async grid(communityCode: string, number: number, facts: { code?: string | null; name?: string | null }, origin: Origin): Promise<Grid> {
    const key = `${communityCode}/${number}`;
    let grid = await this.findGrid(communityCode, number);
    if (!grid) {
      grid = this.manager.create(Grid, {
        id: newEntityId(), communityCode, number, code: facts.code ?? null, name: facts.name ?? `第${number}网格`,
        lineage: { number: lineageEntry(origin) },
      });
      await this.manager.insert(Grid, grid);
      this.changes.created('grid', grid.id, origin);
    } else if (facts.code && !grid.code) {
      await this.manager.update(Grid, { id: grid.id }, { code: facts.code, lineage: { ...grid.lineage, code: lineageEntry(origin) } });
      this.changes.updated('grid', grid.id, { code: [null, facts.code] }, origin);
      grid.code = facts.code;
    }
    this.grids.set(key, grid);
    return grid;
  }

  async compound(communityCode: string, name: string, origin: Origin): Promise<Compound | null> {
    return (await this.describeCompound(communityCode, name, {}, origin))?.compound ?? null;
  }

  /**
   * The compound a record names, created when the community has none of that name, with the facts
   * the record gives (a different value replaces the stored one; none leaves it). A record naming
   * it by a former name only is the compound under its current name; one giving its current name
   * with the former in brackets renames a compound known by the former.
   */
  async describeCompound(
    communityCode: string, name: string, facts: CompoundFacts, origin: Origin,
  ): Promise<{ compound: Compound; created: boolean; updated: boolean } | null> {
    const named = readCompoundName(name);
    if (named.key === '') return null;
    const existing = await this.matchCompound(communityCode, named);
    if (!existing) {
      const compound = this.manager.create(Compound, {
        id: newEntityId(), communityCode, name: cleanText(name), nameKey: named.key, formerNameKeys: named.formerKeys,
        address: facts.address ?? null, builtYear: facts.builtYear ?? null, buildingCount: facts.buildingCount ?? null,
        households: facts.households ?? null, propertyCompanyId: facts.propertyCompanyId ?? null,
        lineage: Object.fromEntries(['name', ...COMPOUND_FACTS.filter((f) => facts[f] != null)].map((f) => [f, lineageEntry(origin)])),
      });
      await this.manager.insert(Compound, compound);
      this.changes.created('compound', compound.id, origin);
      // A new compound has no buildings yet: none is looked for in the registry.
      if (this.gridsRead.has(communityCode)) this.buildingsRead.add(compound.id);
      (await this.compoundsOf(communityCode)).push(compound);
      return { compound, created: true, updated: false };
    }
    const values: Partial<Compound> = {};
    for (const field of COMPOUND_FACTS) {
      const next = facts[field];
      if (next != null && next !== existing[field]) (values as Record<string, unknown>)[field] = next;
    }
    // Known so far by its former name: it takes the current one, and the former stays a way to find it.
    const renamed = named.formerKeys.includes(existing.nameKey);
    if (renamed) Object.assign(values, { name: cleanText(name), nameKey: named.key });
    const currentKey = renamed ? named.key : existing.nameKey;
    const formerKeys = [...new Set([...existing.formerNameKeys, ...named.formerKeys, existing.nameKey])].filter((k) => k !== currentKey);
    if (formerKeys.length !== existing.formerNameKeys.length || formerKeys.some((k) => !existing.formerNameKeys.includes(k))) values.formerNameKeys = formerKeys;
    const fields = Object.keys(values) as (keyof Compound)[];
    if (fields.length === 0) return { compound: existing, created: false, updated: false };
    const lineage = { ...existing.lineage };
    for (const field of fields) lineage[field] = lineageEntry(origin);
    const changes = Object.fromEntries(fields.map((f): [string, [unknown, unknown]] => [f, [existing[f], values[f]]]));
    await this.manager.update(Compound, { id: existing.id }, { ...values, lineage });
    Object.assign(existing, values, { lineage });
    this.changes.updated('compound', existing.id, changes, origin);
    return { compound: existing, created: false, updated: true };
  }

  /** A compound of the community by name, without creating it. */
  async findCompound(communityCode: string, name: string): Promise<Compound | null> {
    const named = readCompoundName(name);
    return named.key === '' ? null : this.matchCompound(communityCode, named);
  }

  /**
   * The community's compound a name means: the same key or a former name, else the one compound
   * at that street address, else the one compound the name meets written with or without its kind
   * word (幸福 = 幸福家园); several such, none.
   */
  private async matchCompound(communityCode: string, named: CompoundName): Promise<Compound | null> {
    const compounds = await this.compoundsOf(communityCode);
    const exact = compounds.find((c) => c.nameKey === named.key);
    if (exact) return exact;
    const meets = compounds.map((c) => ({ c, how: compoundNamesMeet(named, { key: c.nameKey, bare: readCompoundName(c.name).bare, formerKeys: c.formerNameKeys }) }));
    const same = meets.find((m) => m.how === 'same');
    if (same) return same.c;
    // A compound named by its street address (老缸房街12号 for 航苑小区), when one compound has it.
    const atAddress = compounds.filter((c) => c.address && compoundNameKey(c.address) === named.key);
    if (atAddress.length === 1) return atAddress[0];
    const bare = meets.filter((m) => m.how === 'bare');
    return bare.length === 1 ? bare[0].c : null;
  }

  /** Every compound of a community, read once per merge (a community has tens, not thousands). */
  private async compoundsOf(communityCode: string): Promise<Compound[]> {
    let list = this.compoundsByCommunity.get(communityCode);
    if (!list) {
      list = await this.manager.find(Compound, { where: { communityCode }, order: { createdAt: 'ASC' } });
      this.compoundsByCommunity.set(communityCode, list);
    }
    return list;
  }

  /** A building of the compound by its normalised number, without creating it. */
  async findBuilding(compoundId: string, numberKey: string): Promise<Building | null> {
    const key = `${compoundId}/${numberKey}`;
    if (this.buildingsRead.has(compoundId)) return this.buildings.get(key) ?? null;
    return this.buildings.get(key) ?? this.manager.findOneBy(Building, { compoundId, numberKey });
  }

  async building(
    compound: Compound, numberKey: string, label: string,
    facts: { gridId?: string | null; units?: number | null; households?: number | null }, origin: Origin,
  ): Promise<{ building: Building; created: boolean; updated: boolean }> {
    const key = `${compound.id}/${numberKey}`;
    const existing = await this.findBuilding(compound.id, numberKey);
    if (!existing) {
      const building = this.manager.create(Building, {
        id: newEntityId(), compoundId: compound.id, numberKey, label, gridId: facts.gridId ?? null,
        units: facts.units ?? null, households: facts.households ?? null, lineage: { numberKey: lineageEntry(origin) },
      });
      await this.manager.insert(Building, building);
      this.changes.created('building', building.id, origin);
      this.buildings.set(key, building);
      return { building, created: true, updated: false };
    }
    const changes: Record<string, [unknown, unknown]> = {};
    const values: Record<string, unknown> = {};
    for (const field of ['gridId', 'units', 'households'] as const) {
      const next = facts[field];
      if (next !== null && next !== undefined && next !== existing[field]) {
        changes[field] = [existing[field], next];
        values[field] = next;
      }
    }
    if (Object.keys(changes).length > 0) {
      const lineage = { ...existing.lineage };
      for (const field of Object.keys(changes)) lineage[field] = lineageEntry(origin);
      await this.manager.update(Building, { id: existing.id }, { ...values, lineage });
      Object.assign(existing, values, { lineage });
      this.changes.updated('building', existing.id, changes, origin);
    }
    this.buildings.set(key, existing);
    return { building: existing, created: false, updated: Object.keys(changes).length > 0 };
  }

  private isUnder(community: Division, aboveName: string): boolean {
    const key = cleanText(aboveName).replace(/\s/g, '');
    for (let code = community.parentCode; code; code = this.byCode.get(code)?.parentCode ?? null) {
      const d = this.byCode.get(code);
      // Every community is in the city: only a street or district tells communities apart.
      if (!d || d.level === 'city') break;
      // The hint may be the division's name, its short name, a longer prefix that contains it
      // (呼和浩特市赛罕区昭乌达南路街道), or an abbreviation it starts with (昭乌达南路).
      if (key.includes(d.name) || (d.shortName.length >= 2 && key.includes(d.shortName)) || d.name.startsWith(key)) return true;
    }
    return false;
  }

  private load(): Promise<void> {
    return (this.loaded ??= this.readDivisions());
  }

  private async readDivisions(): Promise<void> {
    const divisions = await this.manager.find(Division);
    const aboveNames: string[] = [];
    for (const d of divisions) {
      this.byCode.set(d.code, d);
      if (d.level === 'community') {
        for (const key of new Set([communityNameKey(d.name), communityNameKey(d.shortName)])) {
          const list = this.communitiesByKey.get(key) ?? [];
          list.push(d);
          this.communitiesByKey.set(key, list);
        }
      } else {
        aboveNames.push(d.name, d.shortName);
      }
    }
    this.index = createPlaceIndex(aboveNames, this.communitiesByKey.keys());
  }
}
