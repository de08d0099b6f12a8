import { Injectable } from '@nestjs/common';
import { Page } from './cursor';
import { PlaceFilter } from './grid-query';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, pageById, SqlFilter } from './sql';

export interface CompoundView {
  id: string;
  communityCode: string;
  name: string;
  address: string | null;
  builtYear: number | null;
  /** The property company serving it, as a compound list says. */
  propertyCompanyId: string | null;
  buildings: number;
}

const SELECT = `SELECT k.id, k.community_code AS "communityCode", k.name, k.address, k.built_year AS "builtYear",
  k.property_company_id AS "propertyCompanyId", (SELECT count(*)::int FROM building b WHERE b.compound_id = k.id) AS buildings FROM compound k`;

@Injectable()
export class CompoundQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  list(filter: PlaceFilter): Promise<Page<CompoundView>> {
    const f = new SqlFilter();
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`k.community_code BETWEEN ${f.param(from)} AND ${f.param(to)}`);
    }
    return pageById(this.dataSource, 'compounds', SELECT, 'k.id', f, filter);
  }

  async get(id: string): Promise<CompoundView | null> {
    const [row] = await this.dataSource.query(`${SELECT} WHERE k.id = $1`, [id]);
    return row ?? null;
  }
}
