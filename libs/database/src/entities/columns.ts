import { Column, CreateDateColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

/** Where a golden-record field came from: the source record that won it (its batch is the record's). */
export interface FieldSource {
  sourceRecordId: string;
  /** Source kind (S1…S6) of the record, which survivorship ranks. */
  source?: string;
}
export type FieldLineage = Record<string, FieldSource>;

/** Source kinds a lineage slot can name, by code (0: none named). Append only: codes are stored. */
const SOURCE_CODES = ['', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const;
const CODE_BITS = 3;
const CODE_SPAN = 2 ** CODE_BITS;

/**
 * Per-field lineage at rest, as one bigint[] with a slot per field in a fixed order: each slot is
 * the winning source record's id times 8 plus its source code, NULL when no record answers for the
 * field. Survivorship decides at write time from the record and its source alone; the batch, file
 * and row are the record's and are joined on read (LineageReader). This is about 8 bytes a field
 * where the JSON object it replaced repeated keys, a batch uuid and the source per field (1.18 KB a
 * person, 71% of the row). The lists are append only: a slot's position is stored data.
 */
export const LINEAGE_FIELDS = {
  person: ['name', 'gender', 'birthDate', 'birthPrecision', 'ethnicityCode', 'education', 'workplace', 'residence', 'idNumberHmac', 'idEvidence', 'phoneHmac'],
  membership: ['organizationId', 'status', 'category', 'joinedOn', 'joinedPrecision', 'regularizedOn'],
  party_organization: ['type', 'shortName', 'formalName', 'parentId', 'divisionCode', 'gridId', 'buildingId', 'compoundId', 'propertyCompanyId', 'foundedOn', 'foundedPrecision'],
  property_company: ['name', 'creditCode'],
  grid: ['number', 'code'],
  compound: ['name', 'address', 'builtYear', 'buildingCount', 'households', 'propertyCompanyId', 'nameKey', 'formerNameKeys'],
  building: ['numberKey', 'gridId', 'units', 'households'],
  role_assignment: ['role'],
  joint_organization_member: ['jointId'],
  division: ['name', 'households', 'residents', 'minorityResidents', 'reportedGrids', 'reportedBuildings', 'secretaryName', 'communityWorkers'],
} as const satisfies Record<string, readonly string[]>;
export type LineageTable = keyof typeof LINEAGE_FIELDS;

/** The source record id a stored lineage slot names (SQL: slot >> 3). */
export function lineageSlotRecord(slot: string | number): string {
  return String(Math.floor(Number(slot) / CODE_SPAN));
}

/** Encodes and decodes one table's lineage slots. */
export class LineageCodec implements ValueTransformer {
  private readonly slots: Map<string, number>;

  constructor(readonly table: LineageTable) {
    this.slots = new Map(LINEAGE_FIELDS[table].map((f, i) => [f, i]));
  }

  /** FieldLineage → slots (bigint as decimal text, as node-postgres sends and returns it). */
  to(lineage: FieldLineage | null | undefined): (string | null)[] | null | undefined {
    if (lineage === null || lineage === undefined) return lineage;
    const slots: (string | null)[] = [];
    for (const [field, origin] of Object.entries(lineage)) {
      const at = this.slots.get(field);
      if (at === undefined) throw new Error(`${this.table}: no lineage slot for field ${field} (append it to LINEAGE_FIELDS)`);
      const code = SOURCE_CODES.indexOf((origin.source ?? '') as (typeof SOURCE_CODES)[number]);
      if (code === -1) throw new Error(`${this.table}.${field}: unknown source ${origin.source}`);
      const packed = Number(origin.sourceRecordId) * CODE_SPAN + code;
      if (!Number.isSafeInteger(packed)) throw new Error(`${this.table}.${field}: source record id ${origin.sourceRecordId} out of range`);
      while (slots.length < at) slots.push(null);
      slots[at] = String(packed);
    }
    return slots;
  }

  /** Slots → FieldLineage, in the table's field order. */
  from(slots: (string | number | null)[] | null | undefined): FieldLineage {
    const lineage: FieldLineage = {};
    if (!slots) return lineage;
    const fields = LINEAGE_FIELDS[this.table];
    for (let i = 0; i < slots.length && i < fields.length; i++) {
      const slot = slots[i];
      if (slot === null || slot === undefined) continue;
      const packed = Number(slot);
      const source = SOURCE_CODES[packed % CODE_SPAN];
      lineage[fields[i]] = source ? { sourceRecordId: lineageSlotRecord(packed), source } : { sourceRecordId: lineageSlotRecord(packed) };
    }
    return lineage;
  }
}

const CODECS = new Map<LineageTable, LineageCodec>();

/** The one codec of a table's lineage column, for code that reads the column with raw SQL. */
export function lineageCodec(table: LineageTable): LineageCodec {
  let codec = CODECS.get(table);
  if (!codec) CODECS.set(table, (codec = new LineageCodec(table)));
  return codec;
}

/**
 * The lineage column of a golden-record table (see LineageCodec). NULL is no lineage, and there is
 * no default: TypeORM's insert merges RETURNING values of defaulted columns back into the entity
 * without its transformer, which would leave raw slots where the code reads FieldLineage.
 */
export function LineageColumn(table: LineageTable): PropertyDecorator {
  return Column({ name: 'lineage', type: 'bigint', array: true, nullable: true, transformer: lineageCodec(table) });
}

/** created_at / updated_at shared by every canonical entity. */
export abstract class Timestamps {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
