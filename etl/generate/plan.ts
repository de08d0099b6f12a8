/**
 * Plans the city's structure before any person exists: which real communities,
 * their grids, compounds, buildings, organizations and member budgets, and the
 * 27 property companies with red-property branches. Everything here is small
 * (it grows with communities, never with members).
 */
import { Rng } from './rng';
import { usccCheckChar, USCC_ALPHABET } from './checks';
import { candidateCommunities, DivisionRow, readDivisions } from './divisions';
import { chineseNumber, COMPOUND_SUFFIX, COMPOUND_WORDS, PROPERTY_TRADE_NAMES, STREET_WORDS } from './names';
import { Building, Community, Company, Compound, Grid, Org, OrgType } from './model';

export const FACT = {
  xingkang: '150105001019',
  sanshundian: '150103006009',
  hexi: '150102004008',
} as const;

export const RED_PROPERTY_BRANCHES = 27;
export const SANSHUNDIAN_MEMBERS = 596;
export const SANSHUNDIAN_ORGS = 13;
export const XINGKANG = {
  households: 2758,
  minorityShare: 0.2457,
  grids: 5,
  gridBranches: 3,
  buildings: 63,
  buildingLeads: 35,
  buildingGroups: 2,
  centralHouseholds: 6,
  functional: ['志愿服务', '文体曲艺', '同心'],
  workers: 7,
} as const;
export const RIFU = {
  name: '呼和浩特市日富物业服务有限责任公司',
  trade: '日富',
  compound: '航苑小区',
  address: '老缸房街12号',
  founded: [2019, 3] as [number, number],
  members: 10,
  joint: '航苑小区四位一体联合党支部',
};

export interface PlanOptions {
  seed: string;
  communities?: number;
  members?: number;
  s3Rows?: number;
  divisionsCsv?: string;
}

export interface CityPlan {
  seed: string;
  communities: Community[];
  companies: Company[];
  orgs: Org[];
  /** Community whose ledger carries the --s3-rows roster, if asked. */
  bigLedger?: Community;
}

const DEFAULT_MEMBERS_PER_COMMUNITY = 375;
const FUNCTIONAL_POOL = ['志愿服务', '文体曲艺', '同心', '退役军人', '流动党员'];

class OrgIds {
  private n = 0;
  next(): string {
    return 'O' + String(++this.n).padStart(5, '0');
  }
}

function stripSuffix(shortName: string): string {
  return shortName.replace(/(社区|村)$/, '') || shortName;
}

function committeeForm(members: number): string {
  return members >= 100 ? '党委' : members >= 50 ? '党总支' : '党支部';
}

function formalSuffix(form: string): string {
  return form === '党委' ? '委员会' : form === '党总支' ? '总支部委员会' : '支部委员会';
}

/** Splits `total` into `parts` integers ≥ `min` with random weights. */
export function partition(rng: Rng, total: number, parts: number, min: number): number[] {
  if (parts <= 0) return [];
  const base = Math.min(min, Math.floor(total / parts));
  const out = new Array(parts).fill(base);
  let rest = total - base * parts;
  const weights = out.map(() => 0.4 + rng.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < parts; i++) {
    const add = Math.floor((rest * weights[i]) / sum);
    out[i] += add;
  }
  rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i]++;
  return out;
}

export function planCity(opts: PlanOptions): CityPlan {
  const rows = readDivisions(opts.divisionsCsv);
  const byCode = new Map<string, DivisionRow>(rows.map((r) => [r.code, r]));
  const { urban, rural } = candidateCommunities(rows);
  const available = urban.length + rural.length;
  const rng = Rng.derive(opts.seed, 'plan');

  let n =
    opts.communities ??
    (opts.members ? Math.round(opts.members / DEFAULT_MEMBERS_PER_COMMUNITY) : 8);
  n = Math.max(3, Math.min(n, available));
  const totalMembers = opts.members ?? n * DEFAULT_MEMBERS_PER_COMMUNITY;

  const factCodes: string[] = [FACT.xingkang, FACT.sanshundian, FACT.hexi];
  const others = rng.shuffle(urban.filter((r) => !factCodes.includes(r.code)));
  const villages = rng.shuffle(rural.slice());
  const chosen: DivisionRow[] = factCodes.map((c) => {
    const r = byCode.get(c);
    if (!r) throw new Error(`division ${c} missing from the division list`);
    return r;
  });
  for (const r of [...others, ...villages]) {
    if (chosen.length >= n) break;
    chosen.push(r);
  }
  chosen.sort((a, b) => a.code.localeCompare(b.code));

  const ids = new OrgIds();
  const communities: Community[] = chosen.map((row, index) =>
    planCommunity(Rng.derive(opts.seed, 'community/' + row.code), row, index, byCode),
  );
  const hexi = communities.find((c) => c.code === FACT.hexi)!;
  const ssd = communities.find((c) => c.code === FACT.sanshundian)!;
  const xk = communities.find((c) => c.code === FACT.xingkang)!;

  // ---- property companies with red-property branches (27) -------------------
  const crng = Rng.derive(opts.seed, 'companies');
  const trades = crng.sample(PROPERTY_TRADE_NAMES, RED_PROPERTY_BRANCHES - 1);
  const usedUscc = new Set<string>();
  const hosts = communities.filter((c) => c !== xk && c !== ssd);
  const companies: Company[] = [];
  for (let i = 0; i < RED_PROPERTY_BRANCHES; i++) {
    const community = i === 0 ? hexi : i === 1 ? ssd : crng.pick(hosts);
    const trade = i === 0 ? RIFU.trade : trades[i - 1];
    const name =
      i === 0
        ? RIFU.name
        : `${crng.chance(0.75) ? '呼和浩特市' : '内蒙古'}${trade}物业${crng.pick(['服务', '管理'])}${crng.pick([
            '有限公司',
            '有限责任公司',
          ])}`;
    let uscc = '';
    do {
      let body = '91' + community.districtCode;
      for (let k = 0; k < 9; k++) body += USCC_ALPHABET[crng.int(0, k === 8 ? 30 : 9)];
      uscc = body + usccCheckChar(body);
    } while (usedUscc.has(uscc));
    usedUscc.add(uscc);
    const first = i === 0 ? community.compounds[0] : crng.pick(community.compounds);
    const served = [first];
    if (i !== 0 && crng.chance(0.35)) {
      const second = crng.pick(community.compounds);
      if (second !== first) served.push(second);
    }
    const company: Company = {
      truthId: 'PC' + String(i + 1).padStart(2, '0'),
      name,
      trade,
      uscc,
      districtCode: community.districtCode,
      compounds: served,
      community,
      org: undefined as unknown as Org,
    };
    companies.push(company);
  }

  // ---- member budgets --------------------------------------------------------
  const brng = Rng.derive(opts.seed, 'budgets');
  const redSize = companies.map((c, i) => (i === 0 ? RIFU.members : brng.int(5, 15)));
  const minBudget = (c: Community) => {
    let red = 0;
    companies.forEach((co, i) => {
      if (co.community === c) red += redSize[i];
    });
    return red + 3 * (1 + c.gridBranchCount + c.functionalNames.length) + 2;
  };
  const xkBudget = brng.int(300, 380);
  const rest = communities.filter((c) => c !== xk && c !== ssd);
  let remaining = totalMembers - SANSHUNDIAN_MEMBERS - xkBudget;
  let bigLedger: Community | undefined;
  if (opts.s3Rows) {
    bigLedger = rest.find((c) => !c.fact) ?? hexi;
    bigLedger.memberBudget = Math.max(minBudget(bigLedger), Math.round(opts.s3Rows / 1.0145));
    remaining -= bigLedger.memberBudget;
  }
  const free = rest.filter((c) => c !== bigLedger);
  const shares = partition(brng, Math.max(0, remaining), free.length, 0);
  free.forEach((c, i) => (c.memberBudget = shares[i]));
  for (const c of communities) {
    if (c === ssd) c.memberBudget = SANSHUNDIAN_MEMBERS;
    else if (c === xk) c.memberBudget = xkBudget;
    c.memberBudget = Math.max(c.memberBudget, minBudget(c));
    if (bigLedger === c) c.ledger = true;
  }

  // ---- organizations -----------------------------------------------------------
  const orgs: Org[] = [];
  const mkOrg = (c: Community, type: OrgType, o: Omit<Org, 'truthId' | 'type' | 'communityCode'>): Org => {
    const org: Org = { truthId: ids.next(), type, communityCode: c.code, ...o };
    orgs.push(org);
    return org;
  };
  const place = (c: Community) => `呼和浩特市${c.districtName}${c.streetName}`;

  // red-property branches first (as the samples' ledger order), then per community
  companies.forEach((co, i) => {
    co.org = mkOrg(co.community, 'red_property_branch', {
      form: '党支部',
      name: `${co.name}党支部`,
      formal: `中共${co.name}支部委员会`,
      label: `${co.name}党支部`,
      members: redSize[i],
      company: co,
      founded: i === 0 ? RIFU.founded : [crng.int(2017, 2022), crng.int(1, 12)],
    });
    co.community.redProperty.push(co.org);
  });

  for (const c of communities) {
    const r = Rng.derive(opts.seed, 'orgs/' + c.code);
    const red = c.redProperty.reduce((a, o) => a + o.members, 0);
    const form = committeeForm(c.memberBudget);
    c.committee = mkOrg(c, 'community_committee', {
      form,
      name: `${c.name}${form}`,
      formal: `中共${place(c)}${c.name}${formalSuffix(form)}`,
      label: `${c.name}${form}`,
      members: 0,
    });
    for (const o of c.redProperty) o.parent = c.committee;
    // functional branches
    let pool = c.memberBudget - red;
    const funcSizes = c.functionalNames.map(() =>
      Math.max(3, Math.min(r.int(8, 40), Math.floor((pool * 0.25) / Math.max(1, c.functionalNames.length)))),
    );
    c.functional = c.functionalNames.map((fn, i) =>
      mkOrg(c, 'functional_branch', {
        parent: c.committee,
        form: '党支部',
        name: `${c.name}${fn}党支部`,
        formal: `中共${place(c)}${c.name}${fn}支部委员会`,
        label: `${fn}党支部`,
        members: funcSizes[i],
      }),
    );
    pool -= funcSizes.reduce((a, b) => a + b, 0);
    // grid branches
    const branchGrids = r
      .sample(c.grids, c.gridBranchCount)
      .sort((a, b) => a.no - b.no);
    const committeeDirect = Math.max(3, Math.round(pool * (0.15 + r.next() * 0.15)));
    const gridSizes = partition(r, Math.max(0, pool - committeeDirect), branchGrids.length, 3);
    c.committee.members = pool - gridSizes.reduce((a, b) => a + b, 0);
    c.gridBranches = branchGrids.map((g, i) => {
      const cn = chineseNumber(g.no);
      g.branch = mkOrg(c, 'grid_branch', {
        parent: c.committee,
        form: '党支部',
        name: `${c.name}第${cn}网格党支部`,
        formal: `中共${place(c)}${c.name}第${cn}网格支部委员会`,
        label: `第${cn}网格党支部`,
        members: gridSizes[i],
        grid: g,
      });
      return g.branch;
    });
    // building party groups inside grid branches
    const groupable = c.buildings.filter((b) => b.grid.branch);
    c.groups = r
      .sample(groupable, c.groupCount)
      .sort((a, b) => a.truthId.localeCompare(b.truthId))
      .map((b) => {
        const branch = b.grid.branch!;
        b.group = mkOrg(c, 'building_group', {
          parent: branch,
          form: '党小组',
          name: `${c.name}${b.compound.name}${b.no}号楼党小组`,
          formal: `${branch.formal}${b.compound.name}${b.no}号楼党小组`,
          label: `${b.compound.name}${b.no}号楼党小组`,
          members: 0,
          building: b,
        });
        return b.group;
      });
  }

  // joint organizations: 日富 + 航苑小区 (河西), one in 三顺店, and some others
  companies.forEach((co, i) => {
    const c = co.community;
    const wantJoint = i === 0 || i === 1 || (c.fact === undefined && crng.chance(0.15));
    if (!wantJoint) return;
    const compound = co.compounds[0];
    const name = i === 0 ? RIFU.joint : `${compound.name}联合党支部`;
    co.joint = mkOrg(c, 'joint', {
      parent: c.committee,
      form: '联合党支部',
      name,
      formal: `中共${place(c)}${compound.name}联合支部委员会`,
      label: name,
      members: 0,
    });
    c.joints.push(co.joint);
  });

  // 三顺店 must come out at 13 organizations exactly
  const ssdOrgs =
    1 + ssd.gridBranches.length + ssd.functional.length + ssd.groups.length + ssd.redProperty.length + ssd.joints.length;
  if (ssdOrgs !== SANSHUNDIAN_ORGS) throw new Error(`三顺店 planned with ${ssdOrgs} organizations`);

  // movers between communities: a few members of earlier communities now belong here
  const mrng = Rng.derive(opts.seed, 'movers');
  for (const c of communities) {
    if (c.index === 0) continue;
    const movable = c.committee.members + c.gridBranches.reduce((a, o) => a + o.members, 0);
    c.incoming = Math.min(Math.floor(c.memberBudget * 0.02), Math.max(0, movable - 10));
    for (let k = 0; k < c.incoming; k++) {
      const from = mrng.int(Math.max(0, c.index - 3), c.index - 1);
      communities[from].outgoing.push(c.index);
    }
  }
  return { seed: opts.seed, communities, companies, orgs, bigLedger };
}

function planCommunity(
  r: Rng,
  row: DivisionRow,
  index: number,
  byCode: Map<string, DivisionRow>,
): Community {
  const street = byCode.get(row.parentCode);
  const district = street ? byCode.get(street.parentCode) : undefined;
  const fact =
    row.code === FACT.xingkang ? 'xingkang' : row.code === FACT.sanshundian ? 'sanshundian' : row.code === FACT.hexi ? 'hexi' : undefined;
  const districtCode = row.code.slice(0, 6);
  const name = row.shortName || row.name;
  const nbsName = /居委会|委员会|村委会/.test(row.name) ? row.name : row.name + '居委会';

  let households = r.int(900, 4500);
  let residents = Math.round(households * (2.3 + r.next() * 0.6));
  let minority = Math.round(residents * (0.05 + r.next() * 0.2));
  let workers = Math.max(3, Math.min(12, Math.round(residents / 1000) + r.int(-1, 1)));
  let gridCount = r.int(3, 8);
  let gridBranchCount = Math.max(1, gridCount - r.int(0, 4));
  let compoundCount = r.int(3, 11);
  let buildingCount = Math.max(compoundCount * 3, r.int(40, 75));
  let leads = Math.round(buildingCount * (0.5 + r.next() * 0.4));
  let groupCount = r.int(0, 4);
  let centralCount = r.int(2, 9);
  let functionalNames = r.sample(FUNCTIONAL_POOL, r.int(0, 3));
  if (fact === 'xingkang') {
    households = XINGKANG.households;
    residents = r.int(7001, 7150);
    minority = Math.round(residents * XINGKANG.minorityShare);
    while (Math.round((minority / residents) * 10000) / 10000 !== XINGKANG.minorityShare) {
      residents++;
      minority = Math.round(residents * XINGKANG.minorityShare);
    }
    workers = XINGKANG.workers;
    gridCount = XINGKANG.grids;
    gridBranchCount = XINGKANG.gridBranches;
    compoundCount = r.int(5, 7);
    buildingCount = XINGKANG.buildings;
    leads = XINGKANG.buildingLeads;
    groupCount = XINGKANG.buildingGroups;
    centralCount = XINGKANG.centralHouseholds;
    functionalNames = [...XINGKANG.functional];
  } else if (fact === 'sanshundian') {
    gridCount = 6;
    gridBranchCount = 5;
    functionalNames = ['志愿服务', '同心'];
    groupCount = 3; // + committee + 5 + 2 + 1 red-property + 1 joint = 13
    centralCount = 6;
  } else if (fact === 'hexi') {
    functionalNames = functionalNames.slice(0, 2);
  }

  const grids: Grid[] = [];
  for (let g = 1; g <= gridCount; g++) {
    grids.push({ truthId: `G${row.code}-${String(g).padStart(2, '0')}`, code: row.code + String(g).padStart(3, '0'), no: g });
  }
  const compounds: Compound[] = [];
  const usedNames = new Set<string>();
  for (let k = 1; k <= compoundCount; k++) {
    let cname = '';
    let address = '';
    if (fact === 'hexi' && k === 1) {
      cname = RIFU.compound;
      address = RIFU.address;
    } else {
      do {
        cname = r.pick(COMPOUND_WORDS) + r.pick(COMPOUND_SUFFIX);
      } while (usedNames.has(cname) || cname === RIFU.compound);
      address = `${r.pick(STREET_WORDS)}${r.int(1, 199)}号`;
    }
    usedNames.add(cname);
    compounds.push({ truthId: `C${row.code}-${String(k).padStart(2, '0')}`, name: cname, address, no: k });
  }
  // buildings: every compound gets ≥ 3, grids cut contiguous ranges
  const perCompound = partition(r, buildingCount, compoundCount, 3);
  const householdsPer = partition(r, households, buildingCount, 8);
  const buildings: Building[] = [];
  let bi = 0;
  compounds.forEach((cp, k) => {
    for (let no = 1; no <= perCompound[k]; no++, bi++) {
      const hh = householdsPer[bi];
      buildings.push({
        truthId: `B${row.code}-${String(bi + 1).padStart(3, '0')}`,
        compound: cp,
        no,
        units: Math.max(1, Math.min(8, Math.round(hh / (12 + r.int(0, 24))))),
        households: hh,
        grid: grids[Math.floor((bi * gridCount) / buildingCount)],
      });
    }
  });
  for (const b of r.sample(buildings, leads)) b.leadKind = r.chance(0.55) ? 'member' : 'resident';
  for (const b of r.sample(buildings, centralCount)) b.centralPlanned = true;

  return {
    index,
    code: row.code,
    nbsName,
    name,
    short: stripSuffix(name),
    streetCode: row.parentCode,
    streetName: street?.shortName ?? street?.name ?? '',
    districtCode,
    districtName: district?.shortName ?? district?.name ?? '',
    idRegion: districtCode === '150172' ? '150105' : districtCode,
    households,
    residents,
    minorityResidents: minority,
    workers,
    grids,
    compounds,
    buildings,
    committee: undefined as unknown as Org,
    gridBranches: [],
    functional: [],
    groups: [],
    redProperty: [],
    joints: [],
    memberBudget: 0,
    probationaryShare: 0.02 + r.next() * 0.04,
    ledger: fact !== undefined || r.chance(0.8),
    fact,
    incoming: 0,
    outgoing: [],
    deceased: r.int(0, 3),
    gridBranchCount,
    groupCount,
    functionalNames,
    centralCount,
  };
}
