export type { Reason, ReasonCode, ReasonParams, StoredReason } from './catalogue';
export { because, isReasonCode, REASONS, reasonInChinese, reasonText, storedInChinese, toStored } from './catalogue';
