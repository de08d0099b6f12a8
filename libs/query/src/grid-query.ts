import { Injectable } from '@nestjs/common';
import { Page } from './cursor';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, pageById, SqlFilter } from './sql';

export interface GridView {
  id: string;
  communityCode: string;
  /** 第一网格 = 1 */
  number: number;
  /** The grid platform's own code, when a source gave one. */
  code: string | null;
  name: string;
  buildings: number;
}

export interface PlaceFilter { divisionCode?: string; after?: string; limit: number }

const SELECT = `SELECT g.id, g.community_code AS "communityCode", g.number, g.code, g.name,
  (SELECT count(*)::int FROM building b WHERE b.grid_id = g.id) AS buildings FROM grid g`;

@Injectable()
export class GridQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  list(filter: PlaceFilter): Promise<Page<GridView>> {
    const f = new SqlFilter();
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`g.community_code BETWEEN ${f.param(from)} AND ${f.param(to)}`);
    }
    return pageById(this.dataSource, 'grids', SELECT, 'g.id', f, filter);
  }

  async get(id: string): Promise<GridView | null> {
    const [row] = await this.dataSource.query(`${SELECT} WHERE g.id = $1`, [id]);
    return row ?? null;
  }
}
