import { insertRows, newEntityId, Role, RoleAssignment, updateRow } from '@qc/database';
import { EntityManager } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { lineageEntry, Origin, recordClaims } from './origin';

export interface RoleScope {
  organizationId?: string | null;
  divisionCode?: string | null;
  gridId?: string | null;
  compoundId?: string | null;
  buildingId?: string | null;
  unit?: number | null;
  address?: string | null;
}

const SCOPE_KEYS = ['organizationId', 'divisionCode', 'gridId', 'compoundId', 'buildingId'] as const;

/** Roles (building lead, grid worker, secretary, central household, …): one assignment per person, role and place. */
export class RoleDesk {
  /** personTouched: a person took a role or a role of theirs gained a place (which may make them a named role holder somewhere). */
  constructor(private readonly manager: EntityManager, private readonly changes: ChangeBuffer, private readonly personTouched: (personId: string) => void) {}

  async assign(personId: string, role: Role, scope: RoleScope, origin: Origin): Promise<{ id: string; created: boolean }> {
    const candidates = await this.manager.find(RoleAssignment, { where: { personId, role } });
    // The same role at the same place, described more or less precisely by another source.
    const existing = candidates.find((r) => SCOPE_KEYS.every((k) => !scope[k] || !r[k] || r[k] === scope[k]));
    if (existing) {
      await recordClaims(this.manager, 'role_assignment', [[existing.id, origin.batchId]]);
      const fill: Partial<RoleAssignment> = {};
      for (const key of [...SCOPE_KEYS, 'unit', 'address'] as const) if (scope[key] && !existing[key]) (fill as Record<string, unknown>)[key] = scope[key];
      if (Object.keys(fill).length > 0) {
        await updateRow(this.manager, RoleAssignment, existing.id, fill);
        this.personTouched(personId);
        this.changes.updated('role', existing.id, Object.fromEntries(Object.entries(fill).map(([k, v]) => [k, [null, v]])), origin);
      }
      return { id: existing.id, created: false };
    }
    const assignment = this.manager.create(RoleAssignment, {
      id: newEntityId(), personId, role, organizationId: scope.organizationId ?? null, divisionCode: scope.divisionCode ?? null,
      gridId: scope.gridId ?? null, compoundId: scope.compoundId ?? null, buildingId: scope.buildingId ?? null,
      unit: scope.unit ?? null, address: scope.address ?? null, lineage: { role: lineageEntry(origin) }, batchIds: [origin.batchId],
    });
    await insertRows(this.manager, RoleAssignment, [assignment]);
    this.personTouched(personId);
    this.changes.created('role', assignment.id, origin);
    return { id: assignment.id, created: true };
  }
}
