/**
 * The generator: plans a city, then walks it community by community and
 * organization by organization, writing every source and the ground truth as it
 * goes. Only one organization's members are in memory at a time.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { Rng } from './rng';
import { corruptCheck, maskId, toLegacy15 } from './checks';
import { chineseNumber, toFullWidth } from './names';
import { ALL_KINDS, Building, Community, communityOrgs, Org, PersonRef, SourceKind } from './model';
import { CityPlan, planCity } from './plan';
import { Category, epochMsBeijing, excelSerial, IdentityAllocator, newPerson, pad2, Person, ymd } from './people';
import { Cell, col, CsvWriter, JsonArrayWriter, XlsxBook, XlsxSheet } from './writers';
import { driftCity, DRIFT_INVALID } from './drift/city';

export interface GenerateOptions {
  out: string;
  seed?: string | number;
  communities?: number;
  members?: number;
  only?: readonly SourceKind[] | string;
  /** Make one community's ledger (S3) about this many roster rows long. */
  s3Rows?: number;
  /** S1 encoding: the municipal system's GB18030 (default) or UTF-8 with BOM. */
  s1Encoding?: 'gb18030' | 'utf8-bom';
  divisionsCsv?: string;
  /** Drift mode: the sources as files nobody cleaned look (etl/generate/drift), with the same truth. */
  drift?: boolean;
  /** Progress callback (community index, count). */
  onProgress?: (done: number, total: number) => void;
}

export interface ManifestFile {
  file: string;
  bytes: number;
  rows: number;
  validRows: number;
  format: 'csv' | 'xlsx' | 'json';
  encoding?: string;
  kind: SourceKind;
  sheets?: Record<string, number>;
  invalid?: Record<string, number>;
}

export interface GenerationSummary {
  out: string;
  seed: string;
  communities: number;
  members: number;
  persons: number;
  organizations: number;
  files: ManifestFile[];
  elapsedMs: number;
}

export const FILES = {
  S1: '党员信息导出_20240301.csv',
  S2: '网格化服务管理平台导出_20240115.xlsx',
  S4: '红色物业台账.xlsx',
  S5: '智慧党建平台导出.json',
  S6: '社区基本情况统计表_2023.csv',
  s3: (c: Community) => `${c.districtName}${c.streetName}${c.name}党建台账.xlsx`,
};

export const INVALID = {
  s1NoName: 'S1: row without a name',
  s3NoName: 'S3: row without a name (only an Excel-damaged ID)',
};

// ------------------------------------------------------------------ truth ---

interface FileStat {
  kind: SourceKind;
  rows: number;
  valid: number;
  sheets?: Record<string, number>;
  invalid: Record<string, number>;
}

class Truth {
  records: CsvWriter;
  persons: CsvWriter;
  entities: CsvWriter;
  hardNegatives: CsvWriter;
  readonly stats = new Map<string, FileStat>();

  constructor(dir: string) {
    this.records = new CsvWriter(path.join(dir, 'records.csv'));
    this.persons = new CsvWriter(path.join(dir, 'persons.csv'));
    this.entities = new CsvWriter(path.join(dir, 'entities.csv'));
    this.hardNegatives = new CsvWriter(path.join(dir, 'hard-negatives.csv'));
  }

  async open(): Promise<void> {
    await this.records.row(['source_file', 'record_ref', 'entity_type', 'truth_id', 'valid']);
    await this.persons.row([
      'truth_id', 'name', 'id_number', 'org_truth_id', 'category', 'gender', 'birth_date', 'ethnicity', 'phone',
      'residence_code', 'prev_org_truth_id', 'roles',
    ]);
    await this.entities.row(['truth_id', 'entity_type', 'community_code', 'name', 'parent_truth_id', 'code']);
    await this.hardNegatives.row(['truth_id_a', 'truth_id_b', 'reason']);
  }

  file(file: string, kind: SourceKind): FileStat {
    let s = this.stats.get(file);
    if (!s) {
      s = { kind, rows: 0, valid: 0, invalid: {} };
      this.stats.set(file, s);
    }
    return s;
  }

  async record(
    file: string,
    kind: SourceKind,
    ref: string | number,
    entity: string,
    truthId: string,
    invalidReason?: string,
    sheet?: string,
  ): Promise<void> {
    const s = this.file(file, kind);
    s.rows++;
    if (invalidReason) s.invalid[invalidReason] = (s.invalid[invalidReason] ?? 0) + 1;
    else s.valid++;
    if (sheet) {
      s.sheets ??= {};
      s.sheets[sheet] = (s.sheets[sheet] ?? 0) + 1;
    }
    await this.records.row([file, sheet ? `${sheet}!${ref}` : ref, entity, truthId, invalidReason ? 0 : 1]);
  }

  async person(p: Person): Promise<void> {
    await this.persons.row([
      p.truthId,
      p.name,
      p.id18,
      p.org?.truthId ?? '',
      p.category,
      p.male ? 'M' : 'F',
      ymd(p.by, p.bm, p.bd),
      p.eth[1],
      p.phone,
      p.home.code,
      p.prevOrg?.truthId ?? '',
      p.roles.join(';'),
    ]);
  }

  async close(): Promise<void> {
    await Promise.all([this.records.close(), this.persons.close(), this.entities.close(), this.hardNegatives.close()]);
  }
}

// ------------------------------------------------------------ header words ---

interface Vocabulary {
  s1: string[];
  s3Name: string;
  s3Id: string;
  s3Org: string;
  s3Phone: string;
  s3Birth: string;
  s3Join: string;
  s3Category: string;
  s3Address: string;
  s2GridWorker: string;
  s2Lead: string;
  s2Phone: string;
  s4Company: string;
  s4Org: string;
}

function s1Header(r: Rng): string[] {
  return [
    '序号',
    r.pick(['姓名', '党员姓名']),
    '性别',
    '民族',
    '出生日期',
    r.pick(['公民身份号码', '身份证号码', '身份证号']),
    r.pick(['学历', '文化程度']),
    '人员类别',
    r.pick(['入党日期', '入党时间']),
    '转正日期',
    r.pick(['所在党组织', '所在党支部']),
    r.pick(['联系电话', '手机号码']),
    '工作单位',
    r.pick(['现居住地', '家庭住址']),
  ];
}

function vocabulary(r: Rng): Vocabulary {
  return {
    s1: s1Header(r),
    s3Name: '',
    s3Id: '',
    s3Org: '',
    s3Phone: '',
    s3Birth: '',
    s3Join: '',
    s3Category: '',
    s3Address: '',
    s2GridWorker: r.pick(['网格员', '网格员姓名', '专职网格员']),
    s2Lead: r.pick(['楼栋长', '楼长', '楼栋长姓名']),
    s2Phone: r.pick(['联系电话', '手机号码', '电话']),
    s4Company: r.pick(['物业企业名称', '物业服务企业', '企业名称']),
    s4Org: r.pick(['党组织名称', '党支部名称']),
  };
}

// ----------------------------------------------------------- ledger layout ---

interface LedgerStyle {
  titleRows: 1 | 2;
  twoRowHeader: boolean;
  spacer: boolean;
  subtotals: boolean;
  sexAsNumber: boolean;
  header: string[];
}

function ledgerStyle(r: Rng): LedgerStyle {
  return {
    titleRows: r.chance(0.35) ? 2 : 1,
    twoRowHeader: r.chance(0.3),
    spacer: r.chance(0.5),
    subtotals: r.chance(0.6),
    sexAsNumber: r.chance(0.25),
    header: [
      '序号',
      r.pick(['姓名', '党员姓名']),
      '性别',
      '民族',
      r.pick(['出生日期', '出生年月']),
      r.pick(['身份证号', '公民身份号码', '证件号码']),
      r.pick(['文化程度', '学历']),
      r.pick(['入党时间', '入党日期']),
      r.pick(['人员类别', '党员类别']),
      r.pick(['所属支部', '所在党组织']),
      r.pick(['联系电话', '手机号码']),
      r.pick(['家庭住址', '现居住地']),
      '备注',
    ],
  };
}

// ---------------------------------------------------------------- context ---

interface S5Node {
  orgId: string;
  orgName: string;
  orgType: string;
  parentOrgId: string;
  secretary: string;
  members: Record<string, unknown>[];
}

interface Ctx {
  plan: CityPlan;
  seed: string;
  out: string;
  kinds: Set<SourceKind>;
  truth: Truth;
  ids: IdentityAllocator;
  vocab: Vocabulary;
  s1?: CsvWriter;
  s5?: JsonArrayWriter;
  s2tmp?: { grid: fs.WriteStream; building: fs.WriteStream; central: fs.WriteStream; dir: string };
  pending: Map<number, Person[]>;
  s1NoNameDone: boolean;
  s5Ids: { org: number; user: number };
  s5NodeIds: Map<string, string>;
  stats: Record<string, Record<string, unknown>>;
}

function ref(p: Person, member = true): PersonRef {
  return { truthId: p.truthId, name: p.name, phone: p.phone, member };
}

function orgIdFor(ctx: Ctx, org: Org): string {
  let id = ctx.s5NodeIds.get(org.truthId);
  if (!id) {
    const n = ctx.s5Ids.org++;
    id = 'ORG' + String(((n * 7919 + 4241) % 900000) + 100000);
    ctx.s5NodeIds.set(org.truthId, id);
  }
  return id;
}

function userId(ctx: Ctx): string {
  const n = ctx.s5Ids.user++;
  return 'U' + String((n * 48271 + 31337) % 100000000).padStart(8, '0');
}

// --------------------------------------------------------------- S1 rows ---

/** 'mistypedCheck': the member typed a second time with a wrong check character and no phone, still the same member. */
async function s1Row(ctx: Ctx, r: Rng, p: Person, org: Org, variant?: 'mistypedCheck' | 'noName'): Promise<void> {
  const w = ctx.s1!;
  let id = p.legacy15 ? toLegacy15(p.id18) : p.id18;
  if (p.lowerX && !p.legacy15) id = id.toLowerCase();
  let phone = p.phone;
  let name = p.name + (r.chance(0.03) ? (r.chance(0.5) ? ' ' : '  ') : '');
  if (variant === 'mistypedCheck') {
    id = corruptCheck(p.id18);
    phone = '';
  }
  if (variant === 'noName') name = '';
  let home = `呼和浩特市${p.home.districtName}${p.address}`;
  if (r.chance(0.003)) home = home.replace('单元', '单元\r\n');
  const full = p.category === 'full';
  const fullY = p.joinY + 1;
  const line = await w.row([
    w.rows,
    name,
    p.male ? '男' : '女',
    p.eth[0],
    ymd(p.by, p.bm, p.bd),
    id,
    p.edu,
    full ? '正式党员' : '预备党员',
    ymd(p.joinY, p.joinM, p.joinD),
    full ? ymd(fullY, p.joinM, Math.min(p.joinD, 28)) : '',
    org.formal + (r.chance(0.02) ? ' ' : ''),
    phone,
    p.workplace,
    home,
  ]);
  const reason = variant === 'noName' ? INVALID.s1NoName : undefined;
  await ctx.truth.record(FILES.S1, 'S1', line, 'person', p.truthId, reason);
}

// --------------------------------------------------------------- S3 cells ---

function dateCell(r: Rng, y: number, m: number, d: number, monthOnly = false): Cell {
  const k = r.int(0, monthOnly ? 3 : 6);
  switch (k) {
    case 0:
      return `${y}.${pad2(m)}`;
    case 1:
      return `${y}年${m}月`;
    case 2:
      return excelSerial(y, m, d);
    case 3:
      return `${y}.${pad2(m)}`;
    case 4:
      return `${String(y).slice(2)}-${m}-${d}`;
    case 5:
      return `${y}${pad2(m)}${pad2(d)}`;
    default:
      return ymd(y, m, d);
  }
}

function ledgerIdCell(r: Rng, p: Person): Cell {
  const roll = r.next();
  if (roll < 0.08 && !p.id18.endsWith('X')) return Number(p.id18.slice(0, 15)) * 1000; // Excel-damaged: 1.50105E+17
  if (roll < 0.11) return toFullWidth(p.id18);
  if (roll < 0.13 && p.by < 2000) return toLegacy15(p.id18);
  return p.id18;
}

function ethCell(r: Rng, p: Person): string {
  if (p.eth[0] === '蒙古族') return r.pick(['蒙古族', '蒙古', '蒙']);
  return r.chance(0.5) ? p.eth[0] : p.eth[1];
}

function nameCell(r: Rng, p: Person): string {
  const roll = r.next();
  if (roll < 0.02 && p.name.length === 2 && !p.name.includes('·')) return p.name[0] + '\u3000' + p.name[1];
  if (roll < 0.04) return p.name + '\u3000';
  return p.name;
}

function ledgerRow(r: Rng, style: LedgerStyle, no: number, p: Person, org: Org, note: string, noName = false): Cell[] {
  const sex: Cell = style.sexAsNumber ? (p.male ? 1 : 2) : p.male ? '男' : '女';
  return [
    no,
    noName ? '' : nameCell(r, p),
    sex,
    ethCell(r, p),
    dateCell(r, p.by, p.bm, p.bd),
    noName ? Number(p.id18.slice(0, 15)) * 1000 : ledgerIdCell(r, p),
    p.edu,
    dateCell(r, p.joinY, p.joinM, p.joinD, true),
    p.category === 'probationary' ? '预备党员' : '正式党员',
    org.label,
    r.chance(0.04) ? toFullWidth(p.phone) : r.chance(0.05) ? '' : p.phone,
    p.address,
    note,
  ];
}

class Ledger {
  book: XlsxBook;
  roster!: XlsxSheet;
  seq = 0;
  total = 0;
  file: string;
  constructor(
    readonly ctx: Ctx,
    readonly c: Community,
    readonly style: LedgerStyle,
  ) {
    this.file = FILES.s3(c);
    this.book = new XlsxBook(path.join(ctx.out, this.file));
  }

  async open(): Promise<void> {
    const { c, style } = this;
    const width = style.header.length;
    this.roster = await this.book.sheet('党员花名册');
    const s = this.roster;
    s.merge(`A1:${col(width)}1`);
    await s.add([`${c.districtName}${c.streetName}${c.name}党员花名册（2023年）`]);
    if (style.titleRows === 2) {
      s.merge(`A2:${col(width)}2`);
      await s.add([`填报单位：${c.committee.name}　　　填报时间：2023年12月`]);
    }
    if (style.spacer) s.blank();
    if (style.twoRowHeader) {
      const h = s.row + 1;
      // columns 1,2,11,12,13 span both rows; 3–7 under 基本信息, 8–10 under 党籍信息
      for (const k of [1, 2, 11, 12, 13]) s.merge(`${col(k)}${h}:${col(k)}${h + 1}`);
      s.merge(`C${h}:G${h}`);
      s.merge(`H${h}:J${h}`);
      const top: Cell[] = style.header.slice();
      top[2] = '基本信息';
      top[7] = '党籍信息';
      for (const k of [3, 4, 5, 6, 8, 9]) top[k] = null;
      await s.add(top);
      const bottom: Cell[] = style.header.map((v, i) => ((i >= 2 && i <= 9) ? v : null));
      await s.add(bottom);
    } else {
      await s.add(style.header);
    }
  }

  async person(r: Rng, p: Person, org: Org, note: string, noName = false): Promise<void> {
    const row = await this.roster.add(ledgerRow(r, this.style, ++this.seq, p, org, note, noName));
    this.total++;
    await this.ctx.truth.record(this.file, 'S3', row, 'person', p.truthId, noName ? INVALID.s3NoName : undefined, '党员花名册');
  }

  async subtotal(label: string, count: number): Promise<void> {
    if (!this.style.subtotals) return;
    await this.roster.add(['小计', label, `${count}人`]);
    if (this.style.spacer) this.roster.blank();
  }

  async close(central: Building[]): Promise<void> {
    const { c, ctx } = this;
    if (this.style.subtotals) await this.roster.add(['合计', '', `${this.total}人`]);
    const s = await this.book.sheet('组织架构');
    s.merge('A1:H1');
    await s.add([`${c.districtName}${c.streetName}${c.name}党组织架构`]);
    await s.add(['序号', '组织层级', '组织名称', '上级组织', '书记（负责人）', '联系电话', '党员人数', '备注']);
    let n = 0;
    const orgRow = async (level: string, o: Org, parent: string, members: number | null, note = '') => {
      const row = await s.add([++n, level, o.label, parent, o.leader?.name ?? '', o.leader?.phone ?? '', members, note]);
      await ctx.truth.record(this.file, 'S3', row, 'organization', o.truthId, undefined, '组织架构');
    };
    await orgRow('社区党委', c.committee, `${c.streetName}党工委`, c.memberBudget);
    for (const o of c.gridBranches) await orgRow('网格党支部', o, c.committee.label, o.members);
    for (const o of c.functional) await orgRow('功能型党支部', o, c.committee.label, o.members);
    for (const o of c.groups) await orgRow('楼栋党小组', o, o.parent!.label, o.building?.groupMembers ?? 0);
    for (const o of c.joints) await orgRow('联合党组织', o, c.committee.label, null, '四位一体');
    for (const b of central) {
      const p = b.central!.person;
      const parent = b.grid.branch?.label ?? c.committee.label;
      const row = await s.add([++n, '党员中心户', `党员中心户（${p.name}）`, parent, p.name, p.phone, null, `联系${b.central!.contacts}户`]);
      await ctx.truth.record(this.file, 'S3', row, 'person', p.truthId, undefined, '组织架构');
    }
    await this.book.close();
  }
}

// ----------------------------------------------------------------- per org ---

function buildingNoCell(r: Rng, style: number, no: number): string {
  const k = r.chance(0.2) ? r.int(0, 4) : style;
  switch (k) {
    case 0:
      return `${no}号楼`;
    case 1:
      return `${no}#`;
    case 2:
      return `${no}栋`;
    case 3:
      return `${chineseNumber(no)}号楼`;
    default:
      return `${no}幢`;
  }
}

function homeAddress(r: Rng, b: Building): { text: string; unit: number; room: string } {
  const unit = r.int(1, b.units);
  const room = `${r.int(1, 18)}0${r.int(1, 4)}`;
  return { text: `${b.compound.name}${b.no}号楼${unit}单元${room}`, unit, room };
}

function gridLabel(style: number, no: number): string {
  switch (style) {
    case 0:
      return `第${chineseNumber(no)}网格`;
    case 1:
      return `${chineseNumber(no)}网格`;
    case 2:
      return `${no}网格`;
    default:
      return `第${no}网格`;
  }
}

const WORKPLACES = [
  '退休', '退休', '退休', '个体经营', '内蒙古大学', '内蒙古农业大学', '呼和浩特市第二中学', '内蒙古自治区人民医院',
  '呼和浩特市供电公司', '中国移动呼和浩特分公司', '伊利集团', '蒙牛乳业', '社区居委会', '无', '自由职业',
];

async function generateCommunity(ctx: Ctx, c: Community): Promise<void> {
  const r = Rng.derive(ctx.seed, 'people/' + c.code);
  const { truth, ids } = ctx;
  const kinds = ctx.kinds;
  const ledger = kinds.has('S3') && c.ledger ? new Ledger(ctx, c, ledgerStyle(Rng.derive(ctx.seed, 'ledger/' + c.code))) : undefined;
  if (ledger) await ledger.open();
  let full = 0;
  let probationary = 0;

  // people who are not party members: grid workers and some building leads
  for (const g of c.grids) {
    const p = newPerson(r, ids, c, c.idRegion, { category: 'none' });
    p.address = homeAddress(r, r.pick(c.buildings)).text;
    p.roles.push(`grid_worker:${g.truthId}`);
    g.worker = ref(p, false);
    await truth.person(p);
  }
  for (const b of c.buildings) {
    if (b.leadKind !== 'resident') continue;
    const p = newPerson(r, ids, c, c.idRegion, { category: 'none' });
    p.address = homeAddress(r, b).text;
    p.roles.push(`building_lead:${b.truthId}`);
    b.lead = ref(p, false);
    await truth.person(p);
  }

  // outgoing movers and the deceased are spread over the committee and grid branches
  const homeOrgs = [c.committee, ...c.gridBranches];
  const outgoingBy = new Map<Org, number[]>();
  for (const target of c.outgoing) {
    const o = r.pick(homeOrgs);
    outgoingBy.set(o, [...(outgoingBy.get(o) ?? []), target]);
  }
  const deceasedBy = new Map<Org, number>();
  for (let i = 0; i < c.deceased; i++) {
    const o = r.pick(homeOrgs);
    deceasedBy.set(o, (deceasedBy.get(o) ?? 0) + 1);
  }
  const incoming = ctx.pending.get(c.index) ?? [];
  ctx.pending.delete(c.index);
  const incomingBy = new Map<Org, Person[]>();
  for (const p of incoming) {
    const candidates = homeOrgs.filter((o) => (incomingBy.get(o)?.length ?? 0) < o.members - 1);
    const o = candidates.length ? r.pick(candidates) : c.committee;
    incomingBy.set(o, [...(incomingBy.get(o) ?? []), p]);
  }

  // hard negatives planned for this community
  const twinAt = r.chance(0.7) ? r.int(5, Math.max(6, Math.floor(c.memberBudget * 0.8))) : -1;
  const common = r.chance(0.5) ? (r.chance(0.5) ? '张伟' : '王芳') : '';
  const commonFirst = r.int(0, Math.max(1, Math.floor(c.memberBudget / 2)));
  const commonAt = common ? [commonFirst, commonFirst + 1 + r.int(0, Math.max(1, Math.floor(c.memberBudget / 3)))] : [];
  const commonYear = r.int(1960, 1990);
  const commonIds: string[] = [];
  let reservoir: Person[] = [];
  let seen = 0;

  const s2BuildingStyle = new Map<string, number>();
  const ledgerOrgs = new Set<Org>([c.committee, ...c.gridBranches, ...c.functional]);
  const memberOrgs: Org[] = [c.committee, ...c.gridBranches, ...c.functional, ...c.redProperty];
  const s5 = ctx.s5;
  const committeeNodeId = orgIdFor(ctx, c.committee);
  const mergedNode = s5 && r.chance(0.3);

  for (const org of memberOrgs) {
    // roles to fill inside this organization
    const roleBuildings: { b: Building; role: 'lead' | 'central' | 'group' }[] = [];
    const gridsHere =
      org.type === 'grid_branch' ? [org.grid!] : org === c.committee ? c.grids.filter((g) => !g.branch) : [];
    for (const b of c.buildings) {
      if (!gridsHere.includes(b.grid)) continue;
      if (b.group) roleBuildings.push({ b, role: 'group' });
      if (b.leadKind === 'member') roleBuildings.push({ b, role: 'lead' });
      if (b.centralPlanned) roleBuildings.push({ b, role: 'central' });
    }
    const inBuildings = c.buildings.filter((b) => gridsHere.includes(b.grid));
    const livingPool = inBuildings.length ? inBuildings : c.buildings;
    const homeCommunity = org.company ? org.company.community : c;

    const arrivals = incomingBy.get(org) ?? [];
    const members: Person[] = [];
    for (let i = 0; i < org.members; i++) {
      let p: Person;
      if (i < arrivals.length) {
        p = arrivals[i];
        p.org = org;
        p.home = c;
        p.incoming = true;
      } else {
        const idx = seen++;
        const category: Category = r.chance(c.probationaryShare) ? 'probationary' : 'full';
        const forced = commonAt.includes(idx) && commonIds.length < 2;
        const twin = idx === twinAt && !forced && reservoir.length ? r.pick(reservoir) : undefined;
        p = newPerson(r, ids, homeCommunity, homeCommunity.idRegion, {
          category,
          male: forced ? common === '张伟' : undefined,
          twinOf: twin,
          forcedName: forced ? common : undefined,
          forcedBirthYear: forced ? commonYear : undefined,
        });
        p.org = org;
        if (twin) await truth.hardNegatives.row([p.truthId, twin.truthId, 'same name, birth date and district']);
        if (forced) {
          commonIds.push(p.truthId);
          if (commonIds.length === 2)
            await truth.hardNegatives.row([commonIds[1], commonIds[0], `common name ${common}, same birth year and community`]);
        }
        if (reservoir.length < 40) reservoir.push(p);
        else if (r.chance(0.05)) reservoir[r.int(0, 39)] = p;
      }
      const home = r.pick(livingPool);
      p.address = homeAddress(r, home).text;
      p.workplace = org.company ? org.company.name : r.pick(WORKPLACES);
      if (i === 0) {
        p.roles.push(`secretary:${org.truthId}`);
        org.leader = ref(p);
      } else if (i - 1 < roleBuildings.length) {
        const { b, role } = roleBuildings[i - 1];
        const addr = homeAddress(r, b);
        p.address = addr.text;
        if (role === 'group') {
          p.roles.push(`group_leader:${b.group!.truthId}`);
          b.group!.leader = ref(p);
        } else if (role === 'lead') {
          p.roles.push(`building_lead:${b.truthId}`);
          b.lead = ref(p);
        } else {
          p.roles.push(`central_household:${b.truthId}`);
          b.central = { person: ref(p), contacts: r.int(5, 15), unit: addr.unit, room: addr.room };
        }
      }
      if (org.type === 'grid_branch') {
        const b = c.buildings.find((x) => p.address.startsWith(`${x.compound.name}${x.no}号楼`) && x.group);
        if (b) b.groupMembers = (b.groupMembers ?? 0) + 1;
      }
      if (p.category === 'full') full++;
      else probationary++;
      members.push(p);
    }
    // roles that could not get their own person (tiny organizations) stack on the secretary; a
    // central household is a household, though: the secretary's is one at most, the other buildings have none
    let secretaryHousehold = false;
    for (let k = Math.max(0, org.members - 1); k < roleBuildings.length; k++) {
      const { b, role } = roleBuildings[k];
      const lead = members[0];
      if (!lead) break;
      if (role === 'group') {
        b.group!.leader = ref(lead);
        lead.roles.push(`group_leader:${b.group!.truthId}`);
      } else if (role === 'lead') {
        b.lead = ref(lead);
        lead.roles.push(`building_lead:${b.truthId}`);
      } else if (!secretaryHousehold) {
        b.central = { person: ref(lead), contacts: r.int(5, 15), unit: 1, room: '101' };
        lead.roles.push(`central_household:${b.truthId}`);
        secretaryHousehold = true;
      }
    }
    // written once every role, stacked ones too, is known
    for (const p of members) await truth.person(p);

    // former members of this organization: moved away, or deceased
    const leaving: Person[] = [];
    for (const target of outgoingBy.get(org) ?? []) {
      const p = newPerson(r, ids, c, c.idRegion, { category: 'full' });
      p.address = homeAddress(r, r.pick(livingPool)).text;
      p.workplace = r.pick(WORKPLACES);
      p.prevOrg = org;
      leaving.push(p);
      const list = ctx.pending.get(target) ?? [];
      list.push(p);
      ctx.pending.set(target, list);
    }
    const dead: Person[] = [];
    for (let k = 0; k < (deceasedBy.get(org) ?? 0); k++) {
      const p = newPerson(r, ids, c, c.idRegion, { category: 'deceased' });
      p.address = homeAddress(r, r.pick(livingPool)).text;
      p.prevOrg = org;
      dead.push(p);
      await truth.person(p);
    }

    // ---- S1: current rows, then the moved-away members' rows for this organization
    if (ctx.s1) {
      for (const p of members) {
        await s1Row(ctx, r, p, org);
        if (p.incoming && p.prevOrg) {
          // the person's earlier row was written in the community they came from
        }
        if (r.chance(1 / 1500)) await s1Row(ctx, r, p, org, 'mistypedCheck');
        if (!ctx.s1NoNameDone && members.length > 2) {
          ctx.s1NoNameDone = true;
          await s1Row(ctx, r, p, org, 'noName');
        }
      }
      for (const p of leaving) await s1Row(ctx, r, p, org);
    }

    // ---- S3: the community's roster
    if (ledger && ledgerOrgs.has(org)) {
      const dups: Person[] = [];
      for (const p of members) {
        await ledger.person(r, p, org, p.floating ? '流动党员' : '');
        if (r.chance(0.015)) dups.push(p);
      }
      for (const p of leaving) await ledger.person(r, p, org, '已转出');
      for (const p of dead) await ledger.person(r, p, org, '已故');
      for (const p of dups) await ledger.person(r, p, org, '');
      if (org === c.committee && members.length && r.chance(0.5)) await ledger.person(r, r.pick(members), org, '', true);
      await ledger.subtotal(org.label, members.length + leaving.length + dead.length);
    }

    // ---- S5: the old app's tree
    if (s5) {
      const item = (p: Person) => ({
        userId: userId(ctx),
        realName: p.variant && r.chance(0.3) ? p.variant : p.name,
        sex: p.male ? 1 : 2,
        mobile: r.chance(0.05) ? '' : p.phone,
        idCard: maskId(p.id18),
        joinTime: epochMsBeijing(p.joinY, p.joinM, p.joinD),
      });
      const listed: Person[] = [];
      for (const p of members) if (!p.incoming && p.joinY <= 2021 && r.chance(0.92)) listed.push(p);
      listed.push(...leaving);
      for (const p of dead) if (r.chance(0.6)) listed.push(p);
      let mergedOut: Person[] = [];
      if (org === c.committee && mergedNode && listed.length > 6) {
        mergedOut = listed.splice(1, Math.min(8, Math.floor(listed.length / 3)));
      }
      let orgName = org.name;
      let orgType = org.form === '党委' ? '611' : org.form === '党总支' ? '621' : '631';
      if (org === c.committee && org.form === '党委' && r.chance(0.25)) {
        orgName = `${c.name}党总支`; // renamed since
        orgType = '621';
      } else if (org.type === 'grid_branch' && r.chance(0.3)) {
        orgName = r.chance(0.5) ? `${c.name}第${org.grid!.no}网格党支部` : `${c.short}${chineseNumber(org.grid!.no)}网格支部`;
      } else if (org.company) {
        orgName = `${org.company.trade}物业党支部`;
      }
      const node: S5Node = {
        orgId: orgIdFor(ctx, org),
        orgName,
        orgType,
        parentOrgId: org === c.committee ? '' : committeeNodeId,
        secretary: org.leader?.name ?? '',
        members: [],
      };
      await pushNode(ctx, node, org, listed, item);
      if (mergedOut.length) {
        // an organization that has since been merged into the community committee
        const merged: S5Node = {
          orgId: 'ORG' + String(((ctx.s5Ids.org++ * 7919 + 4241) % 900000) + 100000),
          orgName: `${c.name}老干部党支部`,
          orgType: '631',
          parentOrgId: committeeNodeId,
          secretary: mergedOut[0].name,
          members: [],
        };
        await pushNode(ctx, merged, org, mergedOut, item);
      }
    }
  }

  // joint organizations have no members of their own; leader: the committee's secretary
  for (const j of c.joints) j.leader = c.committee.leader;

  // ---- S2 rows go to temporary files (the workbook is written sheet by sheet at the end)
  if (ctx.s2tmp) {
    const vr = Rng.derive(ctx.seed, 's2/' + c.code);
    const gStyle = vr.int(0, 3);
    const commName = () => (vr.chance(0.7) ? c.short : c.name);
    for (const g of c.grids) {
      ctx.s2tmp.grid.write(
        JSON.stringify({
          t: g.truthId,
          v: [g.code, gridLabel(gStyle, g.no), commName(), c.streetName, g.worker?.name ?? '', g.worker?.phone ?? '', g.branch ? g.branch.label : ''],
        }) + '\n',
      );
    }
    for (const b of c.buildings) {
      let st = s2BuildingStyle.get(b.compound.truthId);
      if (st === undefined) s2BuildingStyle.set(b.compound.truthId, (st = vr.int(0, 4)));
      ctx.s2tmp.building.write(
        JSON.stringify({
          t: b.truthId,
          v: [
            b.compound.name,
            buildingNoCell(vr, st, b.no),
            b.units,
            b.households,
            commName(),
            gridLabel(gStyle, b.grid.no),
            b.lead?.name ?? '',
            b.lead?.phone ?? '',
            b.lead ? (b.lead.member ? '是' : '否') : '',
            b.group ? b.group.label : '',
          ],
        }) + '\n',
      );
    }
    for (const b of c.buildings) {
      if (!b.central) continue;
      ctx.s2tmp.central.write(
        JSON.stringify({
          t: b.central.person.truthId,
          v: [
            b.central.person.name,
            b.central.person.phone,
            `${b.compound.name}${buildingNoCell(vr, s2BuildingStyle.get(b.compound.truthId) ?? 0, b.no)}${b.central.unit}单元${b.central.room}`,
            commName(),
            gridLabel(gStyle, b.grid.no),
            b.central.contacts,
          ],
        }) + '\n',
      );
    }
  }

  if (ledger) await ledger.close(c.buildings.filter((b) => b.central));

  // ---- truth entities and stats
  const e = truth.entities;
  await e.row([`D${c.code}`, 'division', c.code, c.nbsName, `D${c.streetCode}`, c.code]);
  for (const g of c.grids) await e.row([g.truthId, 'grid', c.code, `第${g.no}网格`, `D${c.code}`, g.code]);
  for (const cp of c.compounds) await e.row([cp.truthId, 'compound', c.code, cp.name, `D${c.code}`, cp.address]);
  for (const b of c.buildings)
    await e.row([b.truthId, 'building', c.code, `${b.compound.name}${b.no}号楼`, b.compound.truthId, b.grid.truthId]);

  const orgs = communityOrgs(c);
  const members = orgs.reduce((a, o) => a + o.members, 0);
  ctx.stats[c.code] = {
    name: c.name,
    households: c.households,
    residents: c.residents,
    minorityShare: Math.round((c.minorityResidents / c.residents) * 10000) / 10000,
    communityWorkers: c.workers,
    grids: c.grids.length,
    gridBranches: c.gridBranches.length,
    compounds: c.compounds.length,
    buildings: c.buildings.length,
    buildingLeads: c.buildings.filter((b) => b.leadKind).length,
    buildingGroups: c.groups.length,
    centralHouseholds: c.buildings.filter((b) => b.central).length,
    organizations: orgs.length,
    members,
    fullMembers: 0,
    probationaryMembers: 0,
  };
  // red-property members were generated here (their branch belongs to this community)
  ctx.stats[c.code].fullMembers = full;
  ctx.stats[c.code].probationaryMembers = probationary;
}

async function pushNode(
  ctx: Ctx,
  node: S5Node,
  org: Org,
  people: Person[],
  item: (p: Person) => Record<string, unknown>,
): Promise<void> {
  node.members = people.map(item);
  const index = await ctx.s5!.push(node);
  await ctx.truth.record(FILES.S5, 'S5', `/${index}`, 'organization', org.truthId);
  for (let k = 0; k < people.length; k++)
    await ctx.truth.record(FILES.S5, 'S5', `/${index}/members/${k}`, 'person', people[k].truthId);
}

// ------------------------------------------------------------- whole city ---

async function writeS2(ctx: Ctx): Promise<void> {
  const tmp = ctx.s2tmp!;
  await Promise.all([tmp.grid, tmp.building, tmp.central].map((s) => new Promise((res) => s.end(res))));
  const book = new XlsxBook(path.join(ctx.out, FILES.S2));
  const v = ctx.vocab;
  const sheets: [string, string, string, Cell[]][] = [
    ['网格', 'grid', 'grid', ['网格编码', '网格名称', '所属社区', '所属街道', v.s2GridWorker, `${v.s2GridWorker}电话`, '网格党支部']],
    [
      '楼栋',
      'building',
      'building',
      ['小区名称', '楼栋号', '单元数', '户数', '所属社区', '所属网格', v.s2Lead, `${v.s2Lead}电话`, '是否党员', '楼栋党小组'],
    ],
    ['党员中心户', 'central', 'person', ['户主姓名', v.s2Phone, '住址', '所属社区', '所属网格', '联系户数']],
  ];
  for (const [name, key, entity, header] of sheets) {
    const s = await book.sheet(name);
    await s.add(header);
    const rl = readline.createInterface({ input: fs.createReadStream(path.join(tmp.dir, `${key}.jsonl`)) });
    for await (const line of rl) {
      if (!line) continue;
      const { t, v: values } = JSON.parse(line) as { t: string; v: Cell[] };
      const row = await s.add(values);
      await ctx.truth.record(FILES.S2, 'S2', row, entity, t, undefined, name);
    }
  }
  await book.close();
  fs.rmSync(tmp.dir, { recursive: true, force: true });
}

async function writeS4(ctx: Ctx): Promise<void> {
  const r = Rng.derive(ctx.seed, 's4');
  const book = new XlsxBook(path.join(ctx.out, FILES.S4));
  const v = ctx.vocab;
  const header = [
    '序号', v.s4Company, '统一社会信用代码', v.s4Org, '党组织类型', '党员人数', '党组织书记', '服务小区', '所属社区',
    '所属街道', '所属区', '党组织成立时间', '联合党组织名称',
  ];
  for (const year of [2021, 2022, 2023]) {
    const sheetName = `${year}年`;
    const s = await book.sheet(sheetName);
    s.merge(`A1:${col(header.length)}1`);
    await s.add([`呼和浩特市红色物业党组织台账（${year}年）`]);
    await s.add(header);
    let n = 0;
    for (const co of ctx.plan.companies) {
      const org = co.org;
      const [fy, fm] = org.founded!;
      if (fy > year) continue;
      const company = r.weighted([
        [co.name, 5],
        [`${co.trade}物业`, 2],
        [`${co.trade}物业公司`, 2],
      ] as const);
      const orgName = r.weighted([
        [org.name, 5],
        [org.formal, 2],
        [`${co.trade}物业党支部`, 2],
      ] as const);
      const members = year === 2023 ? org.members : Math.max(3, org.members - r.int(0, 3));
      const c = co.community;
      const row = await s.add([
        ++n,
        company,
        co.uscc,
        orgName,
        org.form,
        members,
        org.leader?.name ?? '',
        co.compounds.map((x) => x.name).join('、'),
        r.chance(0.5) ? c.short : c.name,
        c.streetName,
        c.districtName,
        r.chance(0.85) ? `${fy}年${fm}月` : `${fy}.${pad2(fm)}`,
        co.joint ? co.joint.name : '',
      ]);
      await ctx.truth.record(FILES.S4, 'S4', row, 'organization', org.truthId, undefined, sheetName);
    }
  }
  await book.close();
}

async function writeS6(ctx: Ctx): Promise<void> {
  const w = new CsvWriter(path.join(ctx.out, FILES.S6), 'utf8-bom', '\n');
  await w.row(['社区代码', '社区名称', '街道', '区', '户数', '常住人口', '少数民族人口', '网格数', '楼栋数', '社区书记', '专职社区工作者数']);
  for (const c of ctx.plan.communities) {
    const line = await w.row([
      c.code, c.nbsName, c.streetName, c.districtName, c.households, c.residents, c.minorityResidents, c.grids.length,
      c.buildings.length, c.committee.leader?.name ?? '', c.workers,
    ]);
    await ctx.truth.record(FILES.S6, 'S6', line, 'division', `D${c.code}`);
  }
  await w.close();
}

async function writeOrgs(ctx: Ctx, dir: string): Promise<void> {
  const w = new CsvWriter(path.join(dir, 'orgs.csv'));
  await w.row(['truth_id', 'type', 'parent_truth_id', 'community_code', 'form', 'name', 'formal_name', 'company_truth_id', 'members']);
  for (const o of ctx.plan.orgs)
    await w.row([o.truthId, o.type, o.parent?.truthId ?? '', o.communityCode, o.form, o.name, o.formal, o.company?.truthId ?? '', o.members]);
  await w.close();
  for (const co of ctx.plan.companies)
    await ctx.truth.entities.row([co.truthId, 'property_company', '', co.name, co.org.truthId, co.uscc]);
}

export function parseKinds(only: GenerateOptions['only']): Set<SourceKind> {
  if (!only) return new Set(ALL_KINDS);
  const list = typeof only === 'string' ? only.split(',') : only;
  const out = new Set<SourceKind>();
  for (const raw of list) {
    const k = raw.trim().toUpperCase() as SourceKind;
    if (!ALL_KINDS.includes(k)) throw new Error(`unknown source kind ${raw} (expected S1…S6)`);
    out.add(k);
  }
  return out;
}

export async function generateCity(options: GenerateOptions): Promise<GenerationSummary> {
  return options.drift ? generateDriftedCity(options) : (await generateBaseCity(options)).summary;
}

/** Truth files drift leaves as they are: it changes how things are written, not what they are. */
const UNDRIFTED_TRUTH = ['persons.csv', 'entities.csv', 'hard-negatives.csv', 'orgs.csv', 'stats.json'];

/** Generates the base city into a hidden folder under out, re-renders it drifted into out, and removes the base. */
async function generateDriftedCity(options: GenerateOptions): Promise<GenerationSummary> {
  const started = Date.now();
  const out = path.resolve(options.out);
  const baseDir = path.join(out, '.base');
  fs.rmSync(baseDir, { recursive: true, force: true });
  try {
    const { summary, plan } = await generateBaseCity({ ...options, out: baseDir });
    const truthDir = path.join(out, 'truth');
    fs.mkdirSync(truthDir, { recursive: true });
    for (const name of UNDRIFTED_TRUTH) fs.copyFileSync(path.join(baseDir, 'truth', name), path.join(truthDir, name));
    const counts = await driftCity({
      baseDir, out, plan, files: summary.files, s1Encoding: options.s1Encoding ?? 'gb18030',
      invalid: { s1NoName: INVALID.s1NoName, s3NoName: INVALID.s3NoName },
    });
    const files = summary.files.map((f): ManifestFile => {
      const c = counts.get(f.file)!;
      const { sheets: _baseSheets, invalid: _baseInvalid, ...rest } = f;
      return {
        ...rest, bytes: fs.statSync(path.join(out, f.file)).size, rows: c.rows, validRows: c.valid,
        ...(c.sheets ? { sheets: c.sheets } : {}), ...(Object.keys(c.invalid).length ? { invalid: c.invalid } : {}),
      };
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(baseDir, 'truth', 'manifest.json'), 'utf8'));
    const invalidRowReasons = { s1NoName: INVALID.s1NoName, s3NoName: INVALID.s3NoName, ...DRIFT_INVALID };
    fs.writeFileSync(path.join(truthDir, 'manifest.json'), JSON.stringify({ ...manifest, drift: true, invalidRowReasons, files }, null, 2) + '\n');
    return { ...summary, out, files, elapsedMs: Date.now() - started };
  } finally {
    fs.rmSync(baseDir, { recursive: true, force: true });
  }
}

async function generateBaseCity(options: GenerateOptions): Promise<{ summary: GenerationSummary; plan: CityPlan }> {
  const started = Date.now();
  const seed = String(options.seed ?? 20240301);
  const out = path.resolve(options.out);
  const truthDir = path.join(out, 'truth');
  fs.mkdirSync(truthDir, { recursive: true });
  const kinds = parseKinds(options.only);
  const plan = planCity({
    seed,
    communities: options.communities,
    members: options.members,
    s3Rows: options.s3Rows,
    divisionsCsv: options.divisionsCsv,
  });
  const truth = new Truth(truthDir);
  await truth.open();
  const ctx: Ctx = {
    plan,
    seed,
    out,
    kinds,
    truth,
    ids: new IdentityAllocator(seed),
    vocab: vocabulary(Rng.derive(seed, 'vocabulary')),
    pending: new Map(),
    s1NoNameDone: false,
    s5Ids: { org: 0, user: 0 },
    s5NodeIds: new Map(),
    stats: {},
  };
  if (kinds.has('S1')) {
    ctx.s1 = new CsvWriter(path.join(out, FILES.S1), options.s1Encoding ?? 'gb18030', '\r\n');
    await ctx.s1.row(ctx.vocab.s1);
  }
  if (kinds.has('S5')) ctx.s5 = new JsonArrayWriter(path.join(out, FILES.S5));
  if (kinds.has('S2')) {
    const dir = fs.mkdtempSync(path.join(out, '.s2-'));
    const open = (k: string) => fs.createWriteStream(path.join(dir, `${k}.jsonl`));
    ctx.s2tmp = { dir, grid: open('grid'), building: open('building'), central: open('central') };
  }

  const total = plan.communities.length;
  for (const c of plan.communities) {
    await generateCommunity(ctx, c);
    options.onProgress?.(c.index + 1, total);
  }
  if (ctx.pending.size) throw new Error('movers left without a destination');

  if (ctx.s1) await ctx.s1.close();
  if (ctx.s5) await ctx.s5.close();
  if (ctx.s2tmp) await writeS2(ctx);
  if (kinds.has('S4')) await writeS4(ctx);
  if (kinds.has('S6')) await writeS6(ctx);
  await writeOrgs(ctx, truthDir);
  await truth.close();

  // stats.json
  const communityStats: Record<string, unknown> = {};
  for (const c of plan.communities) communityStats[c.code] = ctx.stats[c.code];
  const members = plan.communities.reduce((a, c) => a + (ctx.stats[c.code].members as number), 0);
  fs.writeFileSync(
    path.join(truthDir, 'stats.json'),
    JSON.stringify(
      {
        communities: communityStats,
        city: {
          communities: total,
          redPropertyBranches: plan.companies.length,
          organizations: plan.orgs.length,
          members,
        },
      },
      null,
      2,
    ) + '\n',
  );

  // manifest.json
  const files: ManifestFile[] = [];
  const order = (f: string) => ALL_KINDS.indexOf(truth.stats.get(f)!.kind);
  const names = [...truth.stats.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const file of names) {
    const s = truth.stats.get(file)!;
    const format = file.endsWith('.csv') ? 'csv' : file.endsWith('.json') ? 'json' : 'xlsx';
    const entry: ManifestFile = {
      file,
      bytes: fs.statSync(path.join(out, file)).size,
      rows: s.rows,
      validRows: s.valid,
      format,
      kind: s.kind,
    };
    if (format === 'csv') entry.encoding = s.kind === 'S1' ? options.s1Encoding ?? 'gb18030' : 'utf8-bom';
    if (format === 'json') entry.encoding = 'utf8';
    if (s.sheets) entry.sheets = s.sheets;
    if (Object.keys(s.invalid).length) entry.invalid = s.invalid;
    files.push(entry);
  }
  fs.writeFileSync(
    path.join(truthDir, 'manifest.json'),
    JSON.stringify(
      {
        generator: 'qingcheng-registry etl/generate',
        seed,
        communities: total,
        members,
        persons: ctx.ids.personCount,
        kinds: [...kinds],
        communityCodes: plan.communities.map((c) => c.code),
        invalidRowReasons: INVALID,
        files,
      },
      null,
      2,
    ) + '\n',
  );
  const summary = {
    out,
    seed,
    communities: total,
    members,
    persons: ctx.ids.personCount,
    organizations: plan.orgs.length,
    files,
    elapsedMs: Date.now() - started,
  };
  return { summary, plan };
}
