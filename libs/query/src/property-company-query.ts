import { Injectable } from '@nestjs/common';
import { Page } from './cursor';
import { PlaceFilter } from './grid-query';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, pageById, SqlFilter } from './sql';

export interface PropertyCompanyView {
  id: string;
  name: string;
  /** Unified social credit code (GB 32100), when known. */
  creditCode: string | null;
  creditCodeValid: boolean | null;
  /** The company's red-property party branches. */
  branchIds: string[];
}

const SELECT = `SELECT c.id, c.name, c.credit_code AS "creditCode", c.credit_code_valid AS "creditCodeValid",
  ARRAY(SELECT o.id::text FROM party_organization o WHERE o.property_company_id = c.id ORDER BY o.id) AS "branchIds"
  FROM property_company c`;

@Injectable()
export class PropertyCompanyQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  /** With a division: the companies whose branch is placed in it. */
  list(filter: PlaceFilter): Promise<Page<PropertyCompanyView>> {
    const f = new SqlFilter();
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`c.id IN (SELECT o.property_company_id FROM party_organization o WHERE o.division_code BETWEEN ${f.param(from)} AND ${f.param(to)})`);
    }
    return pageById(this.dataSource, 'property-companies', SELECT, 'c.id', f, filter);
  }

  async get(id: string): Promise<PropertyCompanyView | null> {
    const [row] = await this.dataSource.query(`${SELECT} WHERE c.id = $1`, [id]);
    return row ?? null;
  }
}
