import { communityNameKey } from '@qc/naming';
import { cleanText } from '@qc/text';
import { DivisionLevel } from '@qc/database';

/** The key other sources' loose names are matched by: 兴康社区居委会 = 兴康社区 = 兴康. */
export function divisionNameKey(name: string, level: DivisionLevel): string {
  return level === 'community' ? communityNameKey(name) : cleanText(name).replace(/\s+/g, '');
}
