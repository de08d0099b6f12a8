export type { EntityKind, EntityDef, FieldDef } from './vocabulary';
export { ENTITIES, ENTITY_KINDS, COMMON_FIELDS, entityDef, fieldLabel, fieldValueKind } from './vocabulary';
export type { HeaderForms } from './normalize';
export { normalizeText, headerForms, headerStem, isEmptyCell, looksLikeData } from './normalize';
export type { LayoutProfile, SheetProfile, ColumnRef } from './profile';
export { loadProfile, parseProfile, resolveSheetProfile, ProfileError } from './profile';
export type { Layout, RowKind, Evidence, IgnoredColumn, SheetVerdict } from './detect';
export type { ValueKind, ColumnValues } from './values';
export { valueKind, profileColumns } from './values';
export {
  detectLayout,
  describeLayout,
  classifyRow,
  LayoutError,
  layoutProblem,
  assertLayout,
  cellOf,
  matchScore,
  sheetVerdict,
  describeCandidates,
  DEFAULT_KIND_MARGIN,
  MIN_KIND_SCORE,
  HEADER_SCAN_ROWS,
} from './detect';
