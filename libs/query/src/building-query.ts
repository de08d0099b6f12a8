import { Injectable } from '@nestjs/common';
import { Page } from './cursor';
import { PlaceFilter } from './grid-query';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, pageById, SqlFilter } from './sql';

export interface BuildingView {
  id: string;
  compoundId: string;
  communityCode: string;
  /** As the sources wrote it (10号楼); numberKey is the normalised number ('10'). */
  label: string;
  numberKey: string;
  gridId: string | null;
  units: number | null;
  households: number | null;
  /** Whether someone holds the building-lead (楼栋长) role for it. */
  hasLead: boolean;
}

export interface BuildingFilter extends PlaceFilter { compoundId?: string; gridId?: string }

const SELECT = `SELECT b.id, b.compound_id AS "compoundId", k.community_code AS "communityCode", b.label, b.number_key AS "numberKey",
  b.grid_id AS "gridId", b.units, b.households,
  EXISTS (SELECT 1 FROM role_assignment r WHERE r.building_id = b.id AND r.role = 'building_lead') AS "hasLead"
  FROM building b JOIN compound k ON k.id = b.compound_id`;

@Injectable()
export class BuildingQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  list(filter: BuildingFilter): Promise<Page<BuildingView>> {
    const f = new SqlFilter();
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`k.community_code BETWEEN ${f.param(from)} AND ${f.param(to)}`);
    }
    if (filter.compoundId) f.where(`b.compound_id = ${f.param(filter.compoundId)}`);
    if (filter.gridId) f.where(`b.grid_id = ${f.param(filter.gridId)}`);
    return pageById(this.dataSource, 'buildings', SELECT, 'b.id', f, filter);
  }

  async get(id: string): Promise<BuildingView | null> {
    const [row] = await this.dataSource.query(`${SELECT} WHERE b.id = $1`, [id]);
    return row ?? null;
  }
}
