import { Role } from '@qc/database';
import { because, Reason, reasonText } from '@qc/reasons';
import { MergeSession, Origin, PersonFacts, RolePlace, RoleScope } from '@qc/registry';
import { MergeOutcome, RecordReference } from './source-definition';

export interface RoleHolderClaim {
  facts: PersonFacts;
  role: Role;
  /** The role as the reviewer reads it: 楼栋长 of 航苑小区10号楼, 书记 of 日富物业党支部. */
  label: string;
  /** Where namesakes are looked for: the organization's members, then the community's members and role holders. */
  scope: { organizationId?: string | null; communityCode: string | null };
  place?: RolePlace;
  recordKey: string;
  origin: Origin;
  /** A bare name matching no one in scope becomes a person of its own (a resident building lead); else stays unresolved. */
  createWhenUnknown: boolean;
}

/** The person found (method: how; outcome and score when the record was resolved like any person's), or why none was: a review task was opened when review is true. */
export type RoleHolder =
  | { personId: string; method: string; review: boolean; outcome?: MergeOutcome['outcome']; score?: number | null }
  | { personId: null; review: boolean; reason: Reason };

/**
 * The person holding a role a record names. With an ID, or a phone the registry has on record, the
 * person is resolved like any other. With a bare name, only as the one person of that name in the
 * role's scope: namesakes the place does not tell apart open a review task and the role stays
 * unassigned, never guessed. A phone no one has on record yet is a bare name plus that phone: the
 * one person of that name in scope gets it (a ledger gives its 中心户 a phone the roster lacked)
 * unless their own phone differs; otherwise the record is resolved like any other.
 */
export async function resolveRoleHolder(session: MergeSession, claim: RoleHolderClaim): Promise<RoleHolder> {
  const { facts, scope, origin } = claim;
  const personClaim = { facts, organizationId: scope.organizationId, communityCode: scope.communityCode, recordKey: claim.recordKey, origin };
  const resolve = async () => (await session.persons.resolveMany([personClaim]))[0];
  if (facts.id || facts.idEvidence) return resolve();
  if (facts.phone && (await session.persons.phoneOnRecord(facts.phone.hmac))) return resolve();
  // Memberships claimed by earlier records of this chunk must be in the registry to be found (the
  // change feed, which the look-up does not read, stays buffered to the end of the chunk).
  await session.memberships.flush();
  const found = await session.persons.namedHolder(facts.name, scope, claim.place);
  if (facts.phone) {
    const given = found.kind === 'unique' ? await session.persons.applyToNamedHolder(found.personId, personClaim) : null;
    return given ? { personId: given.personId, method: 'name-in-scope', review: false, outcome: given.outcome } : resolve();
  }
  if (found.kind === 'unique') return { personId: found.personId, method: 'name-in-scope', review: false };
  if (found.kind === 'none') {
    return claim.createWhenUnknown ? resolve() : { personId: null, review: false, reason: because('role-holder-unknown', { role: claim.label, name: facts.name }) };
  }
  const reason = because('role-holder-ambiguous', { role: claim.label, name: facts.name, persons: found.personIds.length });
  const question = ['role-holder', claim.role, claim.recordKey];
  const asked = await session.reviews.prior(question);
  if (!asked) {
    await session.reviews.open({
      kind: 'conflict', entityType: 'person', leftId: found.personIds[0], rightId: found.personIds[1],
      decisionParts: question, score: null, evidence: [], summary: reasonText(reason),
    }, origin);
  }
  return { personId: null, review: !asked, reason };
}

/**
 * Reads ahead, for a run of records, the registry persons their role holders may be by name in
 * these communities, and the phones they give: one query each for the run instead of one per
 * record (NamedHolderIndex, which answers exactly as the look-up of one name would). Holders with
 * an ID are resolved like any person and need neither.
 */
export async function prepareRoleHolders(session: MergeSession, holders: (PersonFacts | null)[], communities: (string | null)[]): Promise<void> {
  const named = holders.filter((f): f is PersonFacts => !!f && !f.id && !f.idEvidence);
  await session.persons.holders.prepare(
    named.map((f) => f.name), communities.filter((c): c is string => !!c), named.flatMap((f) => (f.phone ? [f.phone.hmac] : [])));
}

/** A person a record knows by name alone (the red-property ledger's 党组织书记). */
export function nameOnly(name: string): PersonFacts {
  return {
    name: name.replace(/\s+/g, ''), gender: null, birthDate: null, birthPrecision: null, ethnicityCode: null,
    education: null, workplace: null, residence: null, id: null, idEvidence: null, phone: null,
  };
}

/**
 * A party-member central household (党员中心户) a record names, by its householder: the grid
 * platform with a phone and a home, a ledger's 组织架构 often with the name alone. Either way the
 * householder is found as a role holder (a bare name is the one person of that name in scope), so
 * two sources naming one household make one person holding one role. The record's subject is the
 * householder; when namesakes leave it open, the community, with the review task that says why.
 */
export async function mergeCentralHousehold(
  session: MergeSession,
  claim: Omit<RoleHolderClaim, 'role' | 'label' | 'createWhenUnknown'> & { at: RoleScope; references: RecordReference[] },
): Promise<MergeOutcome> {
  const { facts, scope, at, references } = claim;
  const holder = await resolveRoleHolder(session, {
    ...claim, role: 'central_household', label: `the party-member central household (党员中心户) of ${facts.name}`, createWhenUnknown: true,
  });
  if (!holder.personId) {
    // Namesakes are only ever found within a community or an organization, so one of them is known.
    const [entityType, entityId] = scope.communityCode ? ['division', scope.communityCode] : ['organization', scope.organizationId!];
    return { entityType, entityId, outcome: 'unchanged', method: 'role-unassigned', references, review: holder.review };
  }
  await session.roles.assign(holder.personId, 'central_household', at, claim.origin);
  return {
    entityType: 'person', entityId: holder.personId, outcome: holder.outcome ?? 'unchanged', method: holder.method, score: holder.score ?? null,
    review: holder.review, references,
  };
}
