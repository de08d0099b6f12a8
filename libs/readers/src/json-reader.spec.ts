import { JsonReader, jsonPointer } from './json-reader';
import { collect, tempDir } from './testing/fixtures';

describe('JsonReader', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const org = (i: number) => ({
    orgId: `ORG${i}`,
    orgName: `第${i}网格党支部`,
    members: [{ userId: `U${i}a`, realName: '张三', sex: 1, idCard: '150105********123X', joinTime: 1241366400000 }],
  });

  it('yields each top-level element with its pointer and start line', async () => {
    const p = tmp.file('orgs.json', '\uFEFF[\n ' + JSON.stringify(org(0)) + ',\n ' + JSON.stringify(org(1)) + '\n]\n');
    const els = await collect(new JsonReader(p).elements());
    expect(els.map((e) => [e.ref, e.line])).toEqual([
      ['/0', 2],
      ['/1', 3],
    ]);
    expect(els[1].value).toEqual(org(1));
    expect(jsonPointer(els[1].ref, 'members', 0)).toBe('/1/members/0');
  });

  it('streams a file much larger than one read chunk', async () => {
    const orgs = Array.from({ length: 3000 }, (_, i) => org(i));
    const p = tmp.file('big.json', JSON.stringify(orgs, null, 1));
    let n = 0;
    for await (const el of new JsonReader(p)) {
      expect(el.value).toEqual(orgs[n]);
      n++;
    }
    expect(n).toBe(3000);
  });

  it('handles strings with brackets, escapes and scalars as elements', async () => {
    const p = tmp.file('tricky.json', '[{"a":"]}\\"[{"}, 12 ,"x,y", null, [1,[2]]]');
    const els = await collect(new JsonReader(p));
    expect(els.map((e) => e.value)).toEqual([{ a: ']}"[{' }, 12, 'x,y', null, [1, [2]]]);
  });

  it('refuses deeply nested JSON before parsing it', async () => {
    const deep = '['.repeat(1) + '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}]';
    const p = tmp.file('deep.json', deep);
    await expect(collect(new JsonReader(p))).rejects.toThrow('file deep.json line 1: JSON nesting is deeper than 64 levels');
  });

  it('refuses truncated and malformed files, naming the line', async () => {
    const cut = tmp.file('cut.json', '[\n{"a":1},\n{"b":');
    await expect(collect(new JsonReader(cut))).rejects.toThrow(/cut\.json line 3: the JSON ends before the top-level value is closed/);
    const bad = tmp.file('bad.json', '[\n{"a":1}\n{"b":2}]');
    await expect(collect(new JsonReader(bad))).rejects.toThrow(/bad\.json line 3: expected "," or "\]" after element 0/);
    const broken = tmp.file('broken.json', '[{"a":tru}]');
    await expect(collect(new JsonReader(broken))).rejects.toThrow(/broken\.json line 1: element 0 is not valid JSON/);
  });

  it('enforces the element size limit', async () => {
    const p = tmp.file('huge.json', '[' + JSON.stringify({ s: 'x'.repeat(200_000) }) + ']');
    await expect(collect(new JsonReader(p, { maxElementChars: 100_000 }))).rejects.toThrow(/element 0 starting at line 1 is larger than 100000 characters/);
  });

  it('unwraps a top-level object holding the array', async () => {
    const p = tmp.file('wrapped.json', JSON.stringify({ code: 0, data: [org(0), org(1)] }));
    const els = await collect(new JsonReader(p));
    expect(els.map((e) => e.ref)).toEqual(['/data/0', '/data/1']);
  });

  it('accepts an empty array and escapes pointer tokens', async () => {
    expect(await collect(new JsonReader(tmp.file('empty.json', ' [ ] ')))).toEqual([]);
    expect(jsonPointer('', 'a/b', 'm~n', 3)).toBe('/a~1b/m~0n/3');
  });
});
