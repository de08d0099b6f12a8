export type { Cell, Ok, Fail, ParseResult } from './result';
export { cellText } from './result';
export type {
  CitizenIdEvidence,
  CitizenIdOptions,
  DamagedCitizenId,
  MaskedCitizenId,
  MistypedCitizenId,
  ValidCitizenId,
} from './citizen-id';
export { citizenIdCheckChar, citizenIdNearMisses, parseCitizenId } from './citizen-id';
export { creditCodeCheckChar, parseCreditCode } from './credit-code';
export type { DateOptions, DatePrecision, ParsedDate } from './date';
export { firstDay, parseDate } from './date';
export type { Sex } from './gender';
export { parseGender } from './gender';
export type { EthnicGroup } from './ethnic';
export { parseEthnicGroup } from './ethnic';
export type { Phone } from './phone';
export { parsePhone } from './phone';
export type { PartyMemberCategory } from './party-category';
export { parsePartyCategory } from './party-category';
export type { Building } from './building';
export { parseBuilding } from './building';
export type { Address } from './address';
export { parseAddress } from './address';
export { parseCount, parseShare } from './number';
