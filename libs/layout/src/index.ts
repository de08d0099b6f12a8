export type { EntityKind, EntityDef, FieldDef } from './vocabulary';
export { ENTITIES, ENTITY_KINDS, COMMON_FIELDS, entityDef, fieldLabel } from './vocabulary';
export type { HeaderForms } from './normalize';
export { normalizeText, headerForms, isEmptyCell, looksLikeData } from './normalize';
export type { LayoutProfile, SheetProfile, ColumnRef } from './profile';
export { loadProfile, parseProfile, resolveSheetProfile, ProfileError } from './profile';
export type { Layout, RowKind } from './detect';
export {
  detectLayout,
  describeLayout,
  classifyRow,
  LayoutError,
  layoutProblem,
  assertLayout,
  cellOf,
  matchScore,
  HEADER_SCAN_ROWS,
} from './detect';
