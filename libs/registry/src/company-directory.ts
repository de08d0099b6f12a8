import { newEntityId, PropertyCompany } from '@qc/database';
import { companyNameKey } from '@qc/naming';
import { cleanText } from '@qc/text';
import { EntityManager } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { lineageEntry, Origin } from './origin';
import { SourceRanking, survive } from './survivorship';

/** Property companies, found by their unified social credit code, else by their name without legal suffixes. */
export class CompanyDirectory {
  private cache = new Map<string, PropertyCompany>();

  constructor(private readonly manager: EntityManager, private readonly changes: ChangeBuffer, private readonly rules: SourceRanking) {}

  async resolve(facts: { name: string; creditCode: string | null }, origin: Origin): Promise<{ company: PropertyCompany; created: boolean; method: string }> {
    const nameKey = companyNameKey(facts.name);
    let company = (facts.creditCode ? this.cache.get(`cc:${facts.creditCode}`) ?? (await this.manager.findOneBy(PropertyCompany, { creditCode: facts.creditCode })) : null);
    let method = 'credit-code';
    if (!company && nameKey !== '') {
      company = this.cache.get(`nk:${nameKey}`) ?? (await this.manager.findOne(PropertyCompany, { where: { nameKey }, order: { createdAt: 'ASC' } }));
      // A different valid code means a different company, whatever the name says.
      if (company?.creditCode && facts.creditCode && company.creditCode !== facts.creditCode) company = null;
      method = 'name';
    }
    let created = false;
    if (!company) {
      company = this.manager.create(PropertyCompany, {
        id: newEntityId(), name: cleanText(facts.name), nameKey, creditCode: facts.creditCode, creditCodeValid: facts.creditCode ? true : null,
        lineage: { name: lineageEntry(origin), ...(facts.creditCode ? { creditCode: lineageEntry(origin) } : {}) },
      });
      await this.manager.insert(PropertyCompany, company);
      this.changes.created('property_company', company.id, origin);
      created = true;
      method = 'created';
    } else {
      // The longest name is the full registered one (呼和浩特市日富物业服务有限责任公司 over 日富物业).
      const name = cleanText(facts.name);
      const offered: Partial<PropertyCompany> = { creditCode: facts.creditCode };
      if (name.length > company.name.length) offered.name = name;
      const result = survive(this.rules, 'property_company', company, company.lineage, offered, origin);
      if (result.dirty) {
        await this.manager.update(PropertyCompany, { id: company.id }, { ...result.values, ...(result.values.creditCode ? { creditCodeValid: true } : {}), lineage: result.lineage });
        Object.assign(company, result.values, { lineage: result.lineage });
        this.changes.updated('property_company', company.id, result.changes, origin);
      }
    }
    if (company.creditCode) this.cache.set(`cc:${company.creditCode}`, company);
    this.cache.set(`nk:${nameKey}`, company);
    return { company, created, method };
  }
}
