/**
 * Drift mode: re-renders a generated city the way files nobody cleaned look. It reads the base city
 * (its files and truth), keeps every record's identity, and writes each source again with drifted
 * header words, layouts, place spellings, ID typos, name variants, split sheets, sheets that hold no
 * records, a compound list and a red-property workbook with an instructions sheet and a company list.
 * The truth is rewritten to the new references; persons, entities, organizations and stats stay the
 * truth of the same city, because drift changes how things are written, never what they are.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as iconv from 'iconv-lite';
import * as ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { Rng } from '../rng';
import { Building, Community, Compound, Grid } from '../model';
import { CityPlan } from '../plan';
import { Cell, CsvWriter, XlsxBook } from '../writers';
import { drawColumns, drawLayout, DriftRow, RowTruth, splitRows, writeCsv, writeSheet } from './render';
import { DriftTruth } from './truth';
import { buildingSpelling, BUILDING_STYLES, compoundSpellings, gridSpelling, GRID_STYLES, idTypo, nameVariant, oneTypoAway } from './variants';
import {
  COMPANY_DIRECTORY_SHEET, CONTENTS_SHEET, INSTRUCTIONS, INSTRUCTIONS_SHEET, PIVOT_HEADER, PIVOT_TOTAL, SHEET_NAMES, SUMMARY_SHEETS, TABLE_FIELDS, TableKind,
} from './vocabulary';

/** What the drift adds to the base generator's invalid rows. */
export const DRIFT_INVALID = {
  nameAlone: 'a name alone, nothing else: the row identifies nobody',
};
/** Share of valid person rows whose ID is typed wrong (the district city had 1.7%). */
const ID_TYPO_SHARE = 0.02;
const NAME_VARIANT_SHARE = 0.04;

/**
 * The base generator's columns, in its order, as the fields of drift's tables. The member rosters of S1 and
 * the ledgers each hold part of the roster's fields; every other table holds all of its kind's.
 */
const BASE_COLUMNS = {
  s1: ['seq', 'name', 'gender', 'ethnicity', 'birthDate', 'idNumber', 'education', 'category', 'joinDate', 'regularDate', 'organization', 'phone', 'workplace', 'residence'],
  s3Roster: ['seq', 'name', 'gender', 'ethnicity', 'birthDate', 'idNumber', 'education', 'joinDate', 'category', 'organization', 'phone', 'residence', 'note'],
  s3Orgs: TABLE_FIELDS.orgStructure,
  s2Grid: TABLE_FIELDS.grid,
  s2Building: TABLE_FIELDS.building,
  s2Central: TABLE_FIELDS.centralHousehold,
  s4: TABLE_FIELDS.redProperty,
  s6: TABLE_FIELDS.communityBasics,
  compoundList: TABLE_FIELDS.compoundList,
  companyDirectory: TABLE_FIELDS.companyDirectory,
} as const satisfies Record<string, readonly string[]>;

/** Base records.csv says only that a row is invalid; each source's reader below names the reason. */
const INVALID_IN_BASE = 'invalid in the base city';

interface BaseRecord extends RowTruth {
  ref: string;
}

interface TruthPerson {
  name: string;
  id18: string;
  centralBuilding?: string;
}

/** Everything drift needs to know about the base city, by truth id. */
interface City {
  plan: CityPlan;
  records: Map<string, BaseRecord[]>;
  persons: Map<string, TruthPerson>;
  /** First 17 digits of every real ID: a typo must not land on, or next to, somebody else's. */
  first17: Set<string>;
  community: Map<string, Community>;
  building: Map<string, Building>;
  grid: Map<string, Grid>;
  /** Per compound, its spelling habit: an index into compoundSpellings, and a building-number style. */
  compoundStyle: Map<string, { name: number; building: number }>;
  gridStyle: Map<string, number>;
}

function csvObjects(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

function readCity(baseDir: string, plan: CityPlan, seed: string): City {
  const truthDir = path.join(baseDir, 'truth');
  const records = new Map<string, BaseRecord[]>();
  for (const row of csvObjects(path.join(truthDir, 'records.csv'))) {
    const list = records.get(row.source_file) ?? [];
    list.push({ ref: row.record_ref, entity: row.entity_type, truthId: row.truth_id, invalid: row.valid === '1' ? undefined : INVALID_IN_BASE });
    records.set(row.source_file, list);
  }
  const persons = new Map<string, TruthPerson>();
  const first17 = new Set<string>();
  for (const row of csvObjects(path.join(truthDir, 'persons.csv'))) {
    const central = row.roles.split(';').find((role) => role.startsWith('central_household:'));
    persons.set(row.truth_id, { name: row.name, id18: row.id_number, centralBuilding: central?.slice('central_household:'.length) });
    first17.add(row.id_number.slice(0, 17));
  }
  const community = new Map<string, Community>();
  const building = new Map<string, Building>();
  const grid = new Map<string, Grid>();
  const compoundStyle = new Map<string, { name: number; building: number }>();
  const gridStyle = new Map<string, number>();
  const r = Rng.derive(seed, 'drift/places');
  for (const c of plan.communities) {
    community.set(c.code, c);
    gridStyle.set(c.code, r.int(0, GRID_STYLES.length - 1));
    for (const g of c.grids) grid.set(g.truthId, g);
    for (const b of c.buildings) building.set(b.truthId, b);
    for (const cp of c.compounds) compoundStyle.set(cp.truthId, { name: r.chance(0.6) ? 0 : r.int(1, 2), building: r.int(0, BUILDING_STYLES.length - 1) });
  }
  return { plan, records, persons, first17, community, building, grid, compoundStyle, gridStyle };
}

// ------------------------------------------------------------- places ---

function communityOfId(city: City, truthId: string): Community {
  const code = /^[GBC](\d{12})-/.exec(truthId)?.[1];
  const c = code && city.community.get(code);
  if (!c) throw new Error(`drift: no community for ${truthId}`);
  return c;
}

function compoundName(city: City, r: Rng, cp: Compound, c: Community): string {
  const spellings = compoundSpellings(cp.name, c.compounds.map((x) => x.name));
  const habit = city.compoundStyle.get(cp.truthId)!.name;
  return spellings[r.chance(0.15) ? r.int(0, spellings.length - 1) : Math.min(habit, spellings.length - 1)];
}

function buildingNo(city: City, r: Rng, b: Building): string {
  return buildingSpelling(r, city.compoundStyle.get(b.compound.truthId)!.building, b.no);
}

function gridName(city: City, r: Rng, c: Community, no: number): string {
  return gridSpelling(r, city.gridStyle.get(c.code)!, no);
}

/** One spelling of a community's name per sheet (short 兴康 or 兴康社区), so equal values can be merged down. */
function communityNames(r: Rng): (c: Community) => string {
  const chosen = new Map<string, string>();
  return (c) => {
    let name = chosen.get(c.code);
    if (!name) chosen.set(c.code, (name = r.chance(0.5) ? c.short : c.name));
    return name;
  };
}

// -------------------------------------------------------------- people ---

function zip(fields: readonly string[], values: Cell[]): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  fields.forEach((f, i) => (cells[f] = values[i] ?? null));
  return cells;
}

/** Person rows as staff retype them: some IDs with a typo, some names spelled another way, a few rows that carry a name alone. */
function driftPersonRows(city: City, r: Rng, rows: DriftRow[], nameAloneChance: number): DriftRow[] {
  const out: DriftRow[] = [];
  for (const row of rows) {
    const person = city.persons.get(row.truth.truthId);
    let typed = false;
    if (!row.truth.invalid && person && r.chance(ID_TYPO_SHARE)) {
      const typo = idTypo(r, person.id18);
      // A typo one typo away from somebody else's ID too (a twin born the same day) would make the truth a guess.
      const own = person.id18.slice(0, 17);
      const ambiguous = [typo.slice(0, 17), ...oneTypoAway(typo.slice(0, 17))].some((near) => near !== own && city.first17.has(near));
      if (!ambiguous) row.cells.idNumber = typo;
      typed = !ambiguous;
    }
    // one flaw per row: a typed-wrong ID beside another spelling of the name would leave little to go on
    if (!typed && !row.truth.invalid && typeof row.cells.name === 'string' && r.chance(NAME_VARIANT_SHARE)) row.cells.name = nameVariant(r, row.cells.name);
    out.push(row);
    if (person && !row.truth.invalid && r.chance(nameAloneChance)) {
      out.push({ cells: { name: person.name }, truth: { entity: 'person', truthId: row.truth.truthId, invalid: DRIFT_INVALID.nameAlone } });
    }
  }
  out.forEach((row, i) => (row.cells.seq = i + 1));
  return out;
}

// ------------------------------------------------------------- readers ---

async function readBook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The base rows of one sheet that the truth calls records, with their cells by field. */
function sheetRows(wb: ExcelJS.Workbook, records: BaseRecord[], sheet: string, fields: readonly string[]): DriftRow[] {
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`drift: the base city has no sheet ${sheet}`);
  return records
    .filter((rec) => rec.ref.startsWith(`${sheet}!`))
    .map((rec) => {
      const values = (ws.getRow(Number(rec.ref.slice(sheet.length + 1))).values as Cell[]).slice(1);
      return { cells: zip(fields, values), truth: { entity: rec.entity, truthId: rec.truthId, invalid: rec.invalid } };
    });
}

// ------------------------------------------------------------ no-record sheets ---

async function instructionsSheet(book: XlsxBook): Promise<void> {
  const s = await book.sheet(INSTRUCTIONS_SHEET);
  s.merge('A1:F1');
  await s.add(['填表说明']);
  for (const line of INSTRUCTIONS) await s.add([line]);
}

async function contentsSheet(book: XlsxBook, sheets: string[]): Promise<void> {
  const s = await book.sheet(CONTENTS_SHEET);
  await s.add(['目录']);
  for (let i = 0; i < sheets.length; i++) await s.add([`${i + 1}、${sheets[i]}`]);
}

/** A pivot table as Excel lays one out: 行标签, a count per value, 总计. */
async function pivotSheet(r: Rng, book: XlsxBook, values: string[]): Promise<void> {
  const s = await book.sheet(r.pick(SUMMARY_SHEETS));
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  await s.add(PIVOT_HEADER, 2);
  for (const [label, n] of counts) await s.add([label, n]);
  await s.add([PIVOT_TOTAL, values.length]);
}

// ------------------------------------------------------------- sources ---

const sheetSafe = (name: string) => name.replace(/[\\/?*[\]:]/g, '').slice(0, 31);

/**
 * S1. A base row whose only flaw is a wrong check character (it has a name) is an ID typo, and valid: its
 * name, birth date and organization identify the person. A row without a name stays invalid.
 */
async function driftS1(city: City, truth: DriftTruth, o: DriftOptions, file: string): Promise<void> {
  const r = Rng.derive(city.plan.seed, `drift/${file}`);
  const raw = fs.readFileSync(path.join(o.baseDir, file));
  const text = o.s1Encoding === 'gb18030' ? iconv.decode(raw, 'gb18030') : raw.toString('utf8');
  const [, ...values] = parse(text, { bom: true }) as string[][];
  const records = city.records.get(file)!;
  if (values.length !== records.length) throw new Error(`drift: ${file} has ${values.length} rows, its truth ${records.length}`);
  const base = values.map((v, i): DriftRow => {
    const cells = zip(BASE_COLUMNS.s1, v);
    const { entity, truthId, invalid } = records[i];
    return { cells, truth: { entity, truthId, invalid: invalid && (String(cells.name).trim() === '' ? o.invalid.s1NoName : undefined) } };
  });
  const rows = driftPersonRows(city, r, base, 1 / 800);
  const w = new CsvWriter(path.join(o.out, file), o.s1Encoding, '\r\n');
  await writeCsv(r, w, truth, drawColumns(r, 'roster', BASE_COLUMNS.s1), rows);
  await w.close();
}

async function driftLedger(city: City, truth: DriftTruth, o: DriftOptions, file: string): Promise<void> {
  const r = Rng.derive(city.plan.seed, `drift/${file}`);
  const wb = await readBook(path.join(o.baseDir, file));
  const records = city.records.get(file)!;
  const base = sheetRows(wb, records, '党员花名册', BASE_COLUMNS.s3Roster);
  for (const row of base) if (row.truth.invalid) row.truth.invalid = o.invalid.s3NoName;
  const roster = driftPersonRows(city, r, base, r.chance(0.5) ? 0.01 : 0);
  const orgs = sheetRows(wb, records, '组织架构', BASE_COLUMNS.s3Orgs);
  const title = file.replace(/党建台账\.xlsx$/, '');

  // The roster: one sheet, or split per organization, or in parts
  const split = r.weighted([['none', 5], ['org', 3], ['parts', 2]] as const);
  const rosterName = r.pick(SHEET_NAMES.roster);
  // a row that carries a name alone stays with the organization of the row before it
  const groups: string[] = [];
  roster.forEach((row, i) => groups.push(row.cells.organization == null ? groups[i - 1] ?? '' : String(row.cells.organization)));
  const parts = splitRows(roster, split === 'org' ? roster.length : split === 'parts' ? r.int(2, 3) : 1, groups);
  const names = parts.map((part, i) =>
    split === 'org' ? sheetSafe(String(part[0]?.cells.organization ?? `${rosterName}${i + 1}`)) : parts.length > 1 ? `${rosterName}（${i + 1}）` : rosterName,
  );
  const unique = names.map((n, i) => (names.indexOf(n) === i ? n : sheetSafe(`${n}${i + 1}`)));
  const orgSheet = r.pick(SHEET_NAMES.orgStructure);

  const book = new XlsxBook(path.join(o.out, file));
  if (r.chance(0.5)) await instructionsSheet(book);
  if (r.chance(0.3)) await contentsSheet(book, [...unique, orgSheet]);
  const rosterColumns = drawColumns(r, 'roster', BASE_COLUMNS.s3Roster);
  const rosterLayout = drawLayout(r);
  for (let i = 0; i < parts.length; i++) await writeSheet(r, book, truth, unique[i], `${title}党员花名册`, rosterColumns, rosterLayout, parts[i]);
  await writeSheet(r, book, truth, orgSheet, `${title}党组织设置`, drawColumns(r, 'orgStructure', BASE_COLUMNS.s3Orgs), drawLayout(r), orgs);
  if (r.chance(0.5)) await pivotSheet(r, book, roster.filter((row) => !row.truth.invalid).map((row) => String(row.cells.organization)));
  await book.close();
}

async function driftS2(city: City, truth: DriftTruth, o: DriftOptions, file: string): Promise<void> {
  const r = Rng.derive(city.plan.seed, `drift/${file}`);
  const wb = await readBook(path.join(o.baseDir, file));
  const records = city.records.get(file)!;

  const gridNames = communityNames(r);
  const grids = sheetRows(wb, records, '网格', BASE_COLUMNS.s2Grid).map((row) => {
    const c = communityOfId(city, row.truth.truthId);
    row.cells.gridName = gridName(city, r, c, city.grid.get(row.truth.truthId)!.no);
    row.cells.community = gridNames(c);
    return row;
  });
  const buildingNames = communityNames(r);
  const buildings = sheetRows(wb, records, '楼栋', BASE_COLUMNS.s2Building).map((row) => {
    const b = city.building.get(row.truth.truthId)!;
    const c = communityOfId(city, b.truthId);
    Object.assign(row.cells, { compound: compoundName(city, r, b.compound, c), buildingNo: buildingNo(city, r, b), community: buildingNames(c), grid: gridName(city, r, c, b.grid.no) });
    return row;
  });
  const centralNames = communityNames(r);
  const central = sheetRows(wb, records, '党员中心户', BASE_COLUMNS.s2Central).map((row) => {
    const b = city.building.get(city.persons.get(row.truth.truthId)!.centralBuilding!)!;
    const c = communityOfId(city, b.truthId);
    const flat = /\d+单元\d+$/.exec(String(row.cells.address))?.[0] ?? '';
    Object.assign(row.cells, { address: `${compoundName(city, r, b.compound, c)}${buildingNo(city, r, b)}${flat}`, community: centralNames(c), grid: gridName(city, r, c, b.grid.no) });
    return row;
  });
  const compoundNames = communityNames(r);
  const compounds: DriftRow[] = [];
  for (const c of city.plan.communities) {
    for (const cp of c.compounds) {
      const company = city.plan.companies.find((co) => co.compounds.includes(cp));
      compounds.push({
        cells: {
          seq: compounds.length + 1, compound: compoundName(city, r, cp, c), address: cp.address, propertyCompany: company?.name ?? null,
          community: compoundNames(c), buildingCount: c.buildings.filter((b) => b.compound === cp).length,
        },
        truth: { entity: 'compound', truthId: cp.truthId },
      });
    }
  }

  const buildingParts = splitRows(buildings, r.chance(0.5) ? 2 : 1, buildings.map((row) => String(row.cells.community)));
  const sheets: [TableKind, readonly string[], DriftRow[][]][] = [
    ['grid', BASE_COLUMNS.s2Grid, [grids]],
    ['compoundList', BASE_COLUMNS.compoundList, [compounds]],
    ['building', BASE_COLUMNS.s2Building, buildingParts],
    ['centralHousehold', BASE_COLUMNS.s2Central, [central]],
  ];
  const sheetNames = sheets.map(([kind, , parts]) => {
    const name = r.pick(SHEET_NAMES[kind]);
    return parts.map((_, i) => (parts.length > 1 ? `${name}（${i + 1}）` : name));
  });
  const book = new XlsxBook(path.join(o.out, file));
  if (r.chance(0.5)) await instructionsSheet(book);
  if (r.chance(0.3)) await contentsSheet(book, sheetNames.flat());
  for (let k = 0; k < sheets.length; k++) {
    const [kind, fields, parts] = sheets[k];
    const columns = drawColumns(r, kind, fields);
    const layout = drawLayout(r, 'community');
    for (let i = 0; i < parts.length; i++) await writeSheet(r, book, truth, sheetNames[k][i], '网格化服务管理', columns, layout, parts[i]);
  }
  await book.close();
}

async function driftS4(city: City, truth: DriftTruth, o: DriftOptions, file: string): Promise<void> {
  const r = Rng.derive(city.plan.seed, `drift/${file}`);
  const wb = await readBook(path.join(o.baseDir, file));
  const records = city.records.get(file)!;
  const book = new XlsxBook(path.join(o.out, file));
  await instructionsSheet(book);
  let columns = drawColumns(r, 'redProperty', BASE_COLUMNS.s4);
  const layout = drawLayout(r);
  const years = [...new Set(records.map((rec) => rec.ref.slice(0, rec.ref.indexOf('!'))))];
  for (const year of years) {
    const rows = sheetRows(wb, records, year, BASE_COLUMNS.s4).map((row) => {
      const company = city.plan.companies.find((co) => co.org.truthId === row.truth.truthId)!;
      row.cells.servedCompounds = company.compounds.map((cp) => compoundName(city, r, cp, communityOfId(city, cp.truthId))).join(r.pick(['、', '，', ',']));
      return row;
    });
    // A new year's sheet is sometimes made from a new template.
    if (r.chance(0.3)) columns = drawColumns(r, 'redProperty', BASE_COLUMNS.s4);
    await writeSheet(r, book, truth, year, `呼和浩特市红色物业党组织台账（${year}）`, columns, layout, rows);
  }
  // The company list: a reference sheet beside the ledger, not records of the registry's.
  const directory = await book.sheet(COMPANY_DIRECTORY_SHEET);
  const header = drawColumns(r, 'companyDirectory', BASE_COLUMNS.companyDirectory).filter((c) => c.field !== null);
  await directory.add(header.map((c) => c.header));
  for (const [i, co] of city.plan.companies.entries()) {
    const values: Record<string, Cell> = { seq: i + 1, companyName: co.name, creditCode: co.uscc, legalRepresentative: co.org.leader?.name ?? '', registeredAddress: co.compounds[0]?.address ?? '' };
    await directory.add(header.map((c) => values[c.field!]));
  }
  await book.close();
}

async function driftS6(city: City, truth: DriftTruth, o: DriftOptions, file: string): Promise<void> {
  const r = Rng.derive(city.plan.seed, `drift/${file}`);
  const [, ...values] = parse(fs.readFileSync(path.join(o.baseDir, file), 'utf8'), { bom: true }) as string[][];
  const records = city.records.get(file)!;
  const rows = values.map((v, i) => ({ cells: zip(BASE_COLUMNS.s6, v), truth: records[i] }));
  const w = new CsvWriter(path.join(o.out, file), 'utf8-bom', '\n');
  await writeCsv(r, w, truth, drawColumns(r, 'communityBasics', BASE_COLUMNS.s6), rows);
  await w.close();
}

export interface DriftOptions {
  baseDir: string;
  out: string;
  plan: CityPlan;
  /** The base city's files, in its manifest's order. */
  files: { file: string; kind: string }[];
  s1Encoding: 'gb18030' | 'utf8-bom';
  /** The base generator's reasons for the invalid rows drift keeps invalid. */
  invalid: { s1NoName: string; s3NoName: string };
}

/** Writes the drifted files and truth/records.csv + columns.json into out; returns per-file counts. */
export async function driftCity(o: DriftOptions): Promise<DriftTruth['counts']> {
  const city = readCity(o.baseDir, o.plan, o.plan.seed);
  const truth = new DriftTruth(path.join(o.out, 'truth'));
  await truth.open();
  for (const { file, kind } of o.files) {
    if (kind === 'S1') await driftS1(city, truth, o, file);
    else if (kind === 'S2') await driftS2(city, truth, o, file);
    else if (kind === 'S3') await driftLedger(city, truth, o, file);
    else if (kind === 'S4') await driftS4(city, truth, o, file);
    else if (kind === 'S6') await driftS6(city, truth, o, file);
    else {
      // The old app's JSON export is a system's output: its keys do not drift, and it is copied as it is.
      fs.copyFileSync(path.join(o.baseDir, file), path.join(o.out, file));
      for (const rec of city.records.get(file) ?? []) await truth.record(file, rec.ref, rec);
    }
  }
  await truth.close();
  return truth.counts;
}
