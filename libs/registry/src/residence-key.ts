import { parseAddress } from '@qc/fields';
import { compoundNameKey } from '@qc/naming';

/** compound/building/unit/room of an address, or null when it names no compound. */
export function residenceKey(text: string | null): string | null {
  if (!text) return null;
  const known = residenceKeys.get(text);
  if (known !== undefined) return known;
  const address = parseAddress(text);
  const compound = address.ok ? compoundNameKey(address.value.compound) : null;
  const key = address.ok && compound ? [compound, address.value.building?.key ?? '', address.value.unit ?? '', address.value.room ?? ''].join('/') : null;
  // A merge compares each record's address, and each candidate's, again and again: remember a bounded number.
  if (residenceKeys.size >= RESIDENCE_KEYS_REMEMBERED) residenceKeys.clear();
  residenceKeys.set(text, key);
  return key;
}

const RESIDENCE_KEYS_REMEMBERED = 50_000;
const residenceKeys = new Map<string, string | null>();
