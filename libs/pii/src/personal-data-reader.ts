import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DisclosedPersonalData, maskBirthDate } from './person-disclosure';
import { PiiCipher } from './pii-cipher';

/** Who is reading: an API key, or a person at the command line. */
export interface PersonalDataReaderContext {
  actor: string;
  apiKeyId: string | null;
  /** Whether this caller may see ID numbers and phones in clear (scope registry:read-pii or admin). */
  mayReadPii: boolean;
  /**
   * Set when the answer may end up not being sent (a conditional GET answered 304): audit entries
   * are collected here, and written by writePendingAudit only if the data is sent.
   */
  pendingAudit?: PendingAudit[];
}

/** One audit entry: the entity read (null: a look-up that found nobody) and the fields. */
export interface AuditEntry { entityId: string | null; fields: string[] }

export interface PendingAudit { entityType: string; entries: AuditEntry[]; purpose: string }

/** The stored, protected columns of one person. */
export interface ProtectedPersonalData {
  id: string;
  idNumberCipher: string | null;
  idNumberMasked: string | null;
  phoneCipher: string | null;
  phoneMasked: string | null;
  /** YYYY-MM-DD (the first day of the period when only the month or year is known). */
  birthDate: string | null;
  birthPrecision: DisclosedPersonalData['birthPrecision'];
}

export type ShownPersonalData = DisclosedPersonalData;

/**
 * The one door to personal data in clear. Everything that shows an ID number, a phone or a birth
 * date (API, reports, exports) asks here: a caller without the right gets the masked forms of
 * person-disclosure.ts, a caller with it gets the clear values and an audit entry per person read
 * (key, entity, fields, time).
 */
@Injectable()
export class PersonalDataReader {
  constructor(private readonly cipher: PiiCipher, private readonly dataSource: DataSource) {}

  async show(reader: PersonalDataReaderContext, people: ProtectedPersonalData[], purpose: string): Promise<Map<string, ShownPersonalData>> {
    const shown = new Map<string, ShownPersonalData>();
    if (!reader.mayReadPii) {
      for (const p of people) shown.set(p.id, masked(p));
      return shown;
    }
    const audited: { entityId: string; fields: string[] }[] = [];
    for (const p of people) {
      shown.set(p.id, this.clear(p));
      const fields = [p.idNumberCipher ? 'idNumber' : null, p.phoneCipher ? 'phone' : null].filter((f): f is string => f !== null);
      if (fields.length) audited.push({ entityId: p.id, fields });
    }
    await this.audit(reader, 'person', audited, purpose);
    return shown;
  }

  /** The clear values, for a caller who may see them and whose read is audited (by show, or once for a whole roster). */
  clear(p: ProtectedPersonalData): ShownPersonalData {
    return {
      idNumber: p.idNumberCipher ? this.cipher.decrypt(p.idNumberCipher) : p.idNumberMasked,
      phone: p.phoneCipher ? this.cipher.decrypt(p.phoneCipher) : p.phoneMasked,
      birthDate: p.birthDate, birthPrecision: p.birthPrecision,
    };
  }

  /**
   * Records a read of personal data in clear. For bulk reads (a whole-city roster) callers pass one
   * entry naming the scope instead of one per person.
   */
  async audit(reader: PersonalDataReaderContext, entityType: string, entries: AuditEntry[], purpose: string): Promise<void> {
    if (reader.pendingAudit) {
      reader.pendingAudit.push({ entityType, entries, purpose });
      return;
    }
    await this.writeAudit(reader, entityType, entries, purpose);
  }

  /** Writes what was collected for an answer whose data is being sent (see pendingAudit). */
  async writePendingAudit(reader: PersonalDataReaderContext): Promise<void> {
    for (const { entityType, entries, purpose } of reader.pendingAudit ?? []) await this.writeAudit(reader, entityType, entries, purpose);
  }

  private async writeAudit(reader: PersonalDataReaderContext, entityType: string, entries: AuditEntry[], purpose: string): Promise<void> {
    const chunk = 1000;
    for (let start = 0; start < entries.length; start += chunk) {
      const slice = entries.slice(start, start + chunk);
      const values: unknown[] = [];
      const rows = slice.map((entry, i) => {
        values.push(reader.apiKeyId, reader.actor, entityType, entry.entityId, entry.fields, { purpose });
        const o = i * 6;
        return `($${o + 1}, $${o + 2}, 'read-pii', $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
      });
      await this.dataSource.query(
        `INSERT INTO audit_log (api_key_id, actor, action, entity_type, entity_id, fields, detail) VALUES ${rows.join(', ')}`,
        values,
      );
    }
  }
}

function masked(p: ProtectedPersonalData): ShownPersonalData {
  return { idNumber: p.idNumberMasked, phone: p.phoneMasked, ...maskBirthDate(p.birthDate) };
}
