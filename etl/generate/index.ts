export { generateCity, parseKinds, FILES, INVALID } from './generate';
export type { GenerateOptions, GenerationSummary, ManifestFile } from './generate';
export { isValidCitizenId, isValidUscc, idCheckChar, usccCheckChar, toLegacy15, from15, maskId } from './checks';
export { planCity } from './plan';
export { readRoster, rowsByDistrict, writeRoster } from './split-roster';
export type { Roster } from './split-roster';
