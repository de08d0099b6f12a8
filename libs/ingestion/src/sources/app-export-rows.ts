import { maskIdNumber, maskPhone } from '@qc/pii';
import { CellValue, JsonReader, JsonValue, jsonPointer, SourceError } from '@qc/readers';

/** One record of the retired app's export, ready for its source definition's parse. */
export interface AppExportRow {
  entity: 'app-organization' | 'app-member';
  /** JSON pointer: /3 for an organization, /3/members/7 for a member. */
  ref: string;
  cells: Record<string, CellValue>;
  /** The element as it was, personal data masked. */
  raw: Record<string, unknown>;
  /** The organization a member belongs to, part of the member's content hash. */
  context: string;
}

/** Organizations held in memory to order them parents first; members are never held. */
const MAX_ORGANIZATIONS = 200_000;

type JsonObject = { [key: string]: JsonValue };
const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: JsonValue | undefined): CellValue => (v === undefined || typeof v === 'object' ? null : v);

/**
 * Reads the export twice: first the organization nodes (without members), emitted parents before
 * children so that a child's parent is in the registry when the child is merged; then each node's
 * members. Both passes stream the file.
 */
export async function* appExportRows(reader: JsonReader, fileName: string): AsyncGenerator<AppExportRow> {
  const nodes: { ref: string; orgId: string | null; parentOrgId: string | null; row: AppExportRow }[] = [];
  for await (const element of reader.elements()) {
    if (nodes.length >= MAX_ORGANIZATIONS) throw new SourceError('too-large', fileName, `${fileName}: more than ${MAX_ORGANIZATIONS} organizations`);
    const node = isObject(element.value) ? element.value : {};
    const cells: Record<string, CellValue> = {
      orgId: scalar(node.orgId), orgName: scalar(node.orgName), orgType: scalar(node.orgType), parentOrgId: scalar(node.parentOrgId), secretary: scalar(node.secretary),
    };
    const raw: Record<string, unknown> = isObject(element.value) ? { ...cells, members: Array.isArray(node.members) ? node.members.length : 0 } : { value: String(element.value).slice(0, 200) };
    nodes.push({ ref: element.ref, orgId: cells.orgId == null ? null : String(cells.orgId), parentOrgId: cells.parentOrgId == null ? null : String(cells.parentOrgId), row: { entity: 'app-organization', ref: element.ref, cells, raw, context: '' } });
  }
  yield* parentsFirst(nodes).map((n) => n.row);

  for await (const element of reader.elements()) {
    if (!isObject(element.value) || !Array.isArray(element.value.members)) continue;
    const orgId = scalar(element.value.orgId);
    const secretary = scalar(element.value.secretary);
    const members = element.value.members;
    for (let i = 0; i < members.length; i++) {
      const m = isObject(members[i]) ? (members[i] as JsonObject) : {};
      const cells: Record<string, CellValue> = {
        orgId, userId: scalar(m.userId), realName: scalar(m.realName), sex: scalar(m.sex), mobile: scalar(m.mobile), idCard: scalar(m.idCard), joinTime: scalar(m.joinTime),
        isSecretary: secretary !== null && scalar(m.realName) === secretary,
      };
      const raw = {
        userId: cells.userId, realName: cells.realName, sex: cells.sex, joinTime: cells.joinTime,
        mobile: cells.mobile ? maskPhone(String(cells.mobile)) : cells.mobile, idCard: cells.idCard ? maskIdNumber(String(cells.idCard)) : cells.idCard,
      };
      yield { entity: 'app-member', ref: jsonPointer(element.ref, 'members', i), cells, raw, context: String(orgId ?? '') };
    }
  }
}

/** Orders nodes so that each comes after its parent; cycles and unknown parents keep file order. */
function parentsFirst<T extends { orgId: string | null; parentOrgId: string | null }>(nodes: T[]): T[] {
  const byId = new Map(nodes.filter((n) => n.orgId).map((n) => [n.orgId!, n]));
  const placed = new Set<T>();
  const out: T[] = [];
  for (const node of nodes) {
    // Walk up to the first placed ancestor (iteratively: a hostile file may nest very deep), then place downwards.
    const chain: T[] = [];
    const seen = new Set<T>();
    for (let n: T | undefined = node; n && !placed.has(n) && !seen.has(n); n = n.parentOrgId ? byId.get(n.parentOrgId) : undefined) {
      seen.add(n);
      chain.push(n);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      placed.add(chain[i]);
      out.push(chain[i]);
    }
  }
  return out;
}
