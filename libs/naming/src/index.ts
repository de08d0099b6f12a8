// @qc/naming: domain-aware name normalisers for Hohhot party-building data. Pure functions.
export { normalizePersonName, personNameKeys, nameSimilarity, namesMayBeOnePerson, namesShareACharacter, foldSyllable } from './person-name';
export type { PersonNameKeys } from './person-name';
export { jaroWinkler } from './similarity';
export { parseOrgName, orgNameKey } from './org-name';
export type { OrgForm, OrgTag, ParsedOrgName, OrgNameContext } from './org-name';
export { companyNameKey, looksLikeCompanyName } from './company-name';
export { communityNameKey, knownResidentialArea } from './community-name';
export { parseGridName } from './grid-name';
export type { ParsedGridName } from './grid-name';
export { compoundNameKey, compoundNamesMeet, compoundStem, formerCompoundKeys, readCompoundName } from './compound-name';
export type { CompoundName } from './compound-name';
export { BUILDING_WORD, buildingKey, buildingNumber, parseBuildingNumber } from './building';
export type { BuildingNumber } from './building';
export { createPlaceIndex, splitPlacePrefix } from './place';
export type { PlaceIndex, PlaceSplit } from './place';
export { damagedKeyPattern, isDamaged } from './damaged-text';
