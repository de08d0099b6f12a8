import { randomUUID } from 'node:crypto';
import { validCitizenId, WANG_ID, writeS1, XINGKANG_FOUR } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

/** Requests that try to get personal data out of the API sideways: echoed in errors, or read without an audit row. */
describe('requests that probe for personal data', () => {
  let registry: RegistryUnderTest;
  let piiKey: string;
  let readKey: string;
  let wangId: string;

  const auditRows = async () => Number((await registry.db.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'read-pii'`))[0].n);
  const lookup = (payload: string, contentType: string) => registry.app.inject({
    method: 'POST', url: '/v1/persons/lookup', payload, headers: { authorization: `Bearer ${piiKey}`, 'content-type': contentType },
  });

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    await registry.importFile(writeS1(XINGKANG_FOUR, '党员信息.csv'));
    [wangId] = await registry.personsNamed('王建国');
    piiKey = await registry.key('pii-reader', ['registry:read', 'registry:read-pii']);
    readKey = await registry.key('reader', ['registry:read']);
  }, 60_000);

  afterAll(() => registry.close());

  it('refuses a form, text or multipart body with 415 before validation could echo it', async () => {
    const boundary = `qc${randomUUID()}`;
    const bodies: [string, string][] = [
      [`idNumber=${WANG_ID}&phone=13912345678`, 'application/x-www-form-urlencoded'],
      [`${WANG_ID}`, 'text/plain'],
      [`--${boundary}\r\nContent-Disposition: form-data; name="idNumber"\r\n\r\n${WANG_ID}\r\n--${boundary}--\r\n`, `multipart/form-data; boundary=${boundary}`],
    ];
    for (const [payload, contentType] of bodies) {
      const response = await lookup(payload, contentType);
      expect({ contentType, status: response.statusCode }).toEqual({ contentType, status: 415 });
      expect(response.body).not.toContain(WANG_ID);
      expect(response.body).not.toContain('13912345678');
    }
  });

  it('never echoes an ID number or phone in a validation error, not even as the name of an unknown property', async () => {
    for (const payload of [{ [WANG_ID]: 1 }, { idNumber: WANG_ID, [`${WANG_ID}`]: '13912345678' }, { idNumber: `${WANG_ID} ` }, { idNumber: ['13912345678'] }]) {
      const response = await lookup(JSON.stringify(payload), 'application/json');
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain(WANG_ID);
      expect(response.body).not.toContain('13912345678');
    }
  });

  it('audits a look-up that finds nobody as well as one that finds the person', async () => {
    const before = await auditRows();
    const nobody = validCitizenId('150105', '19900101', '777');
    expect((await lookup(JSON.stringify({ idNumber: nobody }), 'application/json')).statusCode).toBe(404);
    const [miss] = await registry.db.query(`SELECT api_key_id, entity_type, entity_id, fields, detail FROM audit_log WHERE action = 'read-pii' ORDER BY id DESC LIMIT 1`);
    expect(miss).toMatchObject({ entity_type: 'person', entity_id: null, fields: ['idNumber'], detail: { purpose: expect.stringContaining('nobody found') } });
    expect(JSON.stringify(miss)).not.toContain(nobody);

    expect((await lookup(JSON.stringify({ idNumber: WANG_ID }), 'application/json')).statusCode).toBe(200);
    expect(await auditRows()).toBe(before + 2);
  });

  it('writes an audit row for a clear read only when the data is sent: not for a 304, If-None-Match: * included', async () => {
    const read = (headers: Record<string, string> = {}) => registry.app.inject({
      method: 'GET', url: `/v1/persons/${wangId}`, headers: { authorization: `Bearer ${piiKey}`, ...headers },
    });
    const before = await auditRows();
    const first = await read();
    expect(first.statusCode).toBe(200);
    expect(await auditRows()).toBe(before + 1);

    for (const condition of ['*', String(first.headers.etag), `W/"other", ${first.headers.etag}`]) {
      const conditional = await read({ 'if-none-match': condition });
      expect({ condition, status: conditional.statusCode, body: conditional.body }).toEqual({ condition, status: 304, body: '' });
    }
    expect(await auditRows()).toBe(before + 1);
    expect((await read({ 'if-none-match': 'W/"stale"' })).statusCode).toBe(200);
    expect(await auditRows()).toBe(before + 2);
  });

  it('answers 404 to a report path whose ending is no report format, instead of serving another format', async () => {
    for (const path of ['roster.xml', 'roster.xlsx.exe', 'structure.', 'roster.CSVX']) {
      expect({ path, status: (await registry.call('GET', `/v1/reports/${path}`, readKey)).statusCode }).toEqual({ path, status: 404 });
    }
    const csv = await registry.call('GET', '/v1/reports/roster.csv?scope=150105', readKey);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
  });
});
