import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChangeEntry, ChangeRecorder, diffFields } from '@qc/changes';
import { Division, DIVISION_LEVELS } from '@qc/database';
import { DataSource, EntityManager } from 'typeorm';
import { because, Reason } from '@qc/reasons';
import { levelOfCode, parentOfCode } from './division-code';
import { divisionNameKey } from './division-name';
import { readReferenceDivisions } from './reference-divisions';

export interface SeedResult { created: number; updated: number; unchanged: number }

/** A community's basic figures as the civil-affairs system (S6) reports them. */
export interface CommunityBasics {
  code: string;
  name: string;
  households: number | null;
  residents: number | null;
  minorityResidents: number | null;
  reportedGrids: number | null;
  reportedBuildings: number | null;
  secretaryName: string | null;
  communityWorkers: number | null;
}

export type CommunityOutcome =
  | { ok: true; code: string; outcome: 'created' | 'updated' | 'unchanged' }
  | { ok: false; reason: Reason };

const REFERENCE_FIELDS = ['name', 'shortName', 'level', 'parentCode', 'provenance'] as const;
const BASICS_FIELDS = ['name', 'households', 'residents', 'minorityResidents', 'reportedGrids', 'reportedBuildings', 'secretaryName', 'communityWorkers'] as const;

@Injectable()
export class DivisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangeRecorder,
  ) {}

  /** Loads the shipped reference divisions; running it again changes nothing. */
  async seedReference(): Promise<SeedResult> {
    const reference = readReferenceDivisions().sort((a, b) => DIVISION_LEVELS.indexOf(a.level) - DIVISION_LEVELS.indexOf(b.level));
    return this.dataSource.transaction(async (manager) => {
      const existing = new Map((await manager.find(Division)).map((d) => [d.code, d]));
      const result: SeedResult = { created: 0, updated: 0, unchanged: 0 };
      const log: ChangeEntry[] = [];
      const rows: Partial<Division>[] = [];
      for (const ref of reference) {
        const before = existing.get(ref.code) ?? null;
        // A name an import set is newer than the shipped list and stays: a division an import created,
        // or one whose name a row renamed (its lineage names the batch).
        const namedByImport = before && (!before.provenance.startsWith('reference:') || before.lineage?.name !== undefined);
        const after = namedByImport ? { ...ref, name: before.name, provenance: before.provenance } : ref;
        const changes = diffFields<Division>(before, after, REFERENCE_FIELDS);
        if (before && Object.keys(changes).length === 0) { result.unchanged++; continue; }
        rows.push({ ...after, nameKey: divisionNameKey(after.name, after.level) });
        log.push({ entityType: 'division', entityId: ref.code, action: before ? 'update' : 'create', changes, actor: 'seed' });
        if (before) result.updated++; else result.created++;
      }
      for (let i = 0; i < rows.length; i += 500) await manager.upsert(Division, rows.slice(i, i + 500), ['code']);
      await this.changes.record(manager, log);
      return result;
    });
  }

  async findWithChildren(code: string): Promise<{ division: Division; children: Division[]; ancestors: Division[] } | null> {
    const division = await this.dataSource.getRepository(Division).findOneBy({ code });
    if (!division) return null;
    const children = await this.dataSource.getRepository(Division).find({ where: { parentCode: code }, order: { code: 'ASC' } });
    const ancestors: Division[] = [];
    for (let parent = division.parentCode; parent; ) {
      const found = await this.dataSource.getRepository(Division).findOneBy({ code: parent });
      if (!found) break;
      ancestors.unshift(found);
      parent = found.parentCode;
    }
    return { division, children, ancestors };
  }

  /**
   * Applies one S6 row: updates the community its official code names, or creates it under its
   * street when the street is known (a community newer than the reference list).
   */
  async applyCommunityBasics(manager: EntityManager, basics: CommunityBasics, source: { sourceRecordId: string; batchId: string }): Promise<CommunityOutcome> {
    if (levelOfCode(basics.code) !== 'community') {
      return { ok: false, reason: because('division-not-community', { code: basics.code, level: levelOfCode(basics.code) }) };
    }
    const before = await manager.findOneBy(Division, { code: basics.code });
    const parentCode = parentOfCode(basics.code)!;
    if (!before && !(await manager.existsBy(Division, { code: parentCode }))) {
      return { ok: false, reason: because('division-unlisted', { code: basics.code, parent: parentCode }) };
    }
    const after: Partial<Division> = { ...basics };
    const changes = diffFields<Division>(before, after, BASICS_FIELDS);
    if (before && Object.keys(changes).length === 0) return { ok: true, code: basics.code, outcome: 'unchanged' };
    const lineage = { ...(before?.lineage ?? {}) };
    for (const field of Object.keys(changes)) lineage[field] = source;
    const shortName = before?.shortName ?? basics.name;
    await manager.upsert(Division, {
      ...after,
      code: basics.code,
      shortName,
      level: 'community',
      parentCode,
      nameKey: divisionNameKey(basics.name, 'community'),
      provenance: before?.provenance ?? 'import',
      lineage,
    }, ['code']);
    await this.changes.record(manager, [{
      entityType: 'division', entityId: basics.code, action: before ? 'update' : 'create', changes, batchId: source.batchId, actor: `batch:${source.batchId}`,
    }]);
    return { ok: true, code: basics.code, outcome: before ? 'updated' : 'created' };
  }
}
