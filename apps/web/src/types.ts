import { BatchProgress } from './lib/progress';

/** A reason as the API gives it: English text, and its code and parameters (absent or null on ones stored before codes). */
export interface StoredReason { reason: string; reasonCode?: string | null; reasonParams?: object | null }

export interface SheetAccount {
  sheet: string | null; status: string; kind: string | null; label: string | null; score: number | null; reason: string | null; rows: number;
  reasonCode?: string | null; reasonParams?: object | null;
  used: { header: string; field: string; label: string; evidence: string }[];
  ignored: ({ header: string } & StoredReason)[];
  warnings: string[];
  warningReasons?: StoredReason[];
}

export interface Batch {
  id: string; file: string; bytes: number; sourceKind: string | null; status: string; trigger: string;
  counts: { rows: number; accepted: number; rejected: number; skipped: number; created: number; matched: number; updated: number; reviewPending: number; warnings: number };
  progress: BatchProgress;
  sheets: SheetAccount[];
  error: string | null; createdAt: string; finishedAt: string | null;
}

export interface BatchDetail extends Batch {
  firstRejections: Rejection[];
  firstWarnings: ({ sheet: string | null; recordRef: string; column: string | null } & StoredReason)[];
}

export interface Rejection extends StoredReason { id: string; sheet: string | null; recordRef: string | null; column: string | null; raw: Record<string, unknown> | null }

export interface Page<T> { items: T[]; nextCursor: string | null }

/** Times come as ISO 8601 in Hohhot time (+08:00): shown as the wall clock. */
export function wallClock(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '';
}
