import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ApiKeysService } from './libs/auth/src';
import { dataSourceOptions } from './libs/database/src';
import { runLoad } from './bench/api-load';
async function main() {
  const ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!)); await ds.initialize();
  const key = (await new ApiKeysService(ds).create('prof' + Date.now(), ['registry:read'], 'x')).key;
  const ids = (await ds.query('select id::text from person limit 500')).map((r: { id: string }) => `/v1/persons/${r.id}`);
  await ds.destroy();
  const r = await runLoad({ port: Number(process.env.PORT), paths: ids, headers: { authorization: `Bearer ${key}` }, connections: 50, seconds: 8 });
  console.log(JSON.stringify(r));
}
main();
