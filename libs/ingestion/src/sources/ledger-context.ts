import { MergeSession } from '@qc/registry';

/**
 * The community a community ledger (S3) is about, read from its title rows or its file name
 * (赛罕区人民路街道兴康社区党建台账.xlsx): its short organization names (第一网格党支部) belong there.
 */
export async function ledgerCommunity(session: MergeSession, ledger: string): Promise<string | null> {
  for (const text of ledger.split(/\s+/).filter(Boolean)) {
    const found = await session.places.communityInText(text);
    if (found.ok) return found.value.code;
  }
  return null;
}
