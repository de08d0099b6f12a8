import { compoundNameKey, namesMayBeOnePerson, personNameKeys } from '@qc/naming';

/** A registry person named like a role holder (the same name or the same sound), as seen from the role's place. */
export interface NamedCandidate {
  id: string;
  name: string;
  /** A current member of the organization the role is held for (its secretary, group leader, …). */
  inOrganization: boolean;
  /** compound/building/unit/room of the person's residence (residenceKey), or null. */
  residenceKey: string | null;
}

/** Where a role is held: narrows namesakes down to the one living there. */
export interface RolePlace {
  compound?: string | null;
  /** Building number key (parseBuilding's key); only with compound. */
  buildingKey?: string | null;
}

export type NamedHolder = { kind: 'unique'; personId: string } | { kind: 'ambiguous'; personIds: string[] } | { kind: 'none' };

/**
 * The one person a role holder named without a phone or ID is, among the registry's persons of
 * that name within the role's scope: the organization's own members first, then the community's
 * members and role holders. A spelling of the name (a homophone or transliteration: 额尔顿 for
 * 额尔敦, namesMayBeOnePerson) is looked at only when no one in scope bears the name as written.
 * Namesakes are told apart only by the place (the compound, the building) they live in; whatever
 * stays more than one is ambiguous, never guessed.
 */
export function pickNamedHolder(name: string, candidates: NamedCandidate[], place: RolePlace = {}): NamedHolder {
  const written = personNameKeys(name).exact;
  const sameName = candidates.filter((c) => personNameKeys(c.name).exact === written);
  const named = sameName.length > 0 ? sameName : candidates.filter((c) => namesMayBeOnePerson(name, c.name));
  if (named.length === 0) return { kind: 'none' };
  const members = named.filter((c) => c.inOrganization);
  const tier = members.length > 0 ? members : named;
  if (tier.length === 1) return { kind: 'unique', personId: tier[0].id };
  const living = livingAt(tier, place);
  if (living.length === 1) return { kind: 'unique', personId: living[0].id };
  return { kind: 'ambiguous', personIds: tier.map((c) => c.id) };
}

function livingAt(candidates: NamedCandidate[], place: RolePlace): NamedCandidate[] {
  const compound = compoundNameKey(place.compound);
  if (!compound) return [];
  const prefix = place.buildingKey ? `${compound}/${place.buildingKey}/` : `${compound}/`;
  return candidates.filter((c) => c.residenceKey?.startsWith(prefix));
}
