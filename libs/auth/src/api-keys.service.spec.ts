import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeysService, KEY_CACHE_MS, KEY_PREFIXES_MAX_AGE_MS, KEY_REFRESH_AHEAD_MS } from './api-keys.service';

const SECRET = 'a'.repeat(32);
const TOKEN = `qc_abcd1234_${SECRET}`;
const KEY = { id: 'k1', name: 'reader', prefix: 'abcd1234', secretHash: createHash('sha256').update(SECRET).digest('hex'), scopes: ['registry:read'], revokedAt: null };

/**
 * A data source whose api_key table holds KEY until revoked (and any key created), counting key
 * look-ups and readings of the active prefixes; `answer` delays the look-ups' answers while set.
 */
function fakeDataSource() {
  const state = { lookups: 0, prefixReadings: 0, revoked: false, created: [] as (typeof KEY)[], answer: null as Promise<void> | null };
  const findOneBy = async ({ prefix }: { prefix?: string }) => state.created.find((key) => key.prefix === prefix) ?? (state.revoked ? null : KEY);
  const dataSource = {
    getRepository: () => ({
      findOneBy: async (where: { prefix: string }) => {
        state.lookups++;
        const found = await findOneBy(where);
        await state.answer;
        return found;
      },
      find: async () => {
        state.prefixReadings++;
        return [...(state.revoked ? [] : [KEY]), ...state.created];
      },
      existsBy: async () => false,
    }),
    transaction: async (work: (manager: unknown) => Promise<unknown>) => work({
      findOneBy,
      update: async () => { state.revoked = true; },
      insert: async () => undefined,
      create: (_entity: unknown, fields: typeof KEY) => ({ ...fields, id: 'k2', revokedAt: null }),
      save: async (_entity: unknown, key: typeof KEY) => {
        state.created.push(key);
        return key;
      },
    }),
  } as unknown as DataSource;
  return { dataSource, state };
}

describe('ApiKeysService.verify', () => {
  it('trusts a verified key for a few seconds, then asks the database again', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    expect(await keys.verify(TOKEN, 0)).toBe(KEY);
    expect(await keys.verify(TOKEN, KEY_CACHE_MS - KEY_REFRESH_AHEAD_MS - 1)).toBe(KEY);
    expect(state.lookups).toBe(1);
    expect(await keys.verify(TOKEN, KEY_CACHE_MS)).toBe(KEY);
    expect(state.lookups).toBe(2);
  });

  it('forgets every cached key when a key is revoked, and never caches the refusal of an active prefix', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    await keys.verify(TOKEN, 0);
    await keys.revoke('reader', 'test');
    expect(await keys.verify(TOKEN, 1)).toBeNull();
    state.revoked = false;
    const later = 2 + KEY_PREFIXES_MAX_AGE_MS;
    expect(await keys.verify(`qc_abcd1234_${'b'.repeat(32)}`, later)).toBeNull();
    expect(await keys.verify(TOKEN, later + 1)).toBe(KEY);
  });

  it('refuses 2,000 tokens of unknown prefixes without looking any of them up, reading the active prefixes once', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    const tokens = Array.from({ length: 2000 }, (_, i) => `qc_${i.toString(36).padStart(8, 'z')}_${SECRET}`);
    const answers = await Promise.all(tokens.map((token, i) => keys.verify(token, i % 100)));
    expect(answers.every((key) => key === null)).toBe(true);
    expect(state.lookups).toBe(0);
    expect(state.prefixReadings).toBe(1);
    expect(await keys.verify(TOKEN, 100)).toBe(KEY);
    expect(state.lookups).toBe(1);
  });

  it('takes a key created here at once, and one created by another process once the prefixes it read have aged', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    expect(await keys.verify(`qc_zzzzzzzz_${SECRET}`, 0)).toBeNull();
    const created = await keys.create('writer', ['imports:write'], 'test');
    expect(await keys.verify(created.key, 1)).toMatchObject({ name: 'writer' });

    // Another process's key: unknown here until the prefixes are read again.
    state.created.push({ ...KEY, id: 'k3', prefix: 'elsewhe1' });
    const elsewhere = `qc_elsewhe1_${SECRET}`;
    expect(await keys.verify(elsewhere, 2)).toBeNull();
    expect(state.lookups).toBe(1);
    expect(await keys.verify(elsewhere, KEY_PREFIXES_MAX_AGE_MS + 1)).toMatchObject({ id: 'k3' });
    expect(state.prefixReadings).toBe(2);
  });

  it('sends one look-up for the requests that find the cached key expired at the same time', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => keys.verify(TOKEN, i)));
    expect(answers.every((key) => key === KEY)).toBe(true);
    expect(state.lookups).toBe(1);
    expect(await Promise.all([keys.verify(TOKEN, KEY_CACHE_MS + 1), keys.verify(TOKEN, KEY_CACHE_MS + 2)])).toEqual([KEY, KEY]);
    expect(state.lookups).toBe(2);
  });

  it('looks a key up again in the background shortly before its trust ends, answering from the cache meanwhile', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    await keys.verify(TOKEN, 0);
    let answer!: () => void;
    state.answer = new Promise((resolve) => { answer = resolve; });
    const early = KEY_CACHE_MS - KEY_REFRESH_AHEAD_MS / 2;
    // The re-check is pending: the cached key answers at once, and a second request starts no second look-up.
    expect(await keys.verify(TOKEN, early)).toBe(KEY);
    expect(await keys.verify(TOKEN, early + 1)).toBe(KEY);
    expect(state.lookups).toBe(2);
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    // Trusted again from the re-check: past the first expiry, no look-up.
    expect(await keys.verify(TOKEN, KEY_CACHE_MS + 1)).toBe(KEY);
    expect(state.lookups).toBe(2);
  });

  it('stops trusting a key as soon as a background look-up finds it revoked by another process', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    await keys.verify(TOKEN, 0);
    state.revoked = true;
    expect(await keys.verify(TOKEN, KEY_CACHE_MS - 1)).toBe(KEY);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await keys.verify(TOKEN, KEY_CACHE_MS - 1)).toBeNull();
  });

  it('does not cache what a look-up begun before a revocation found', async () => {
    const { dataSource, state } = fakeDataSource();
    const keys = new ApiKeysService(dataSource);
    let answer!: () => void;
    state.answer = new Promise((resolve) => { answer = resolve; });
    const before = keys.verify(TOKEN, 0);
    await new Promise((resolve) => setImmediate(resolve));
    await keys.revoke('reader', 'test');
    answer();
    expect(await before).toBe(KEY);
    state.answer = null;
    // Asked again (the revocation made this process read the active prefixes again), not answered from a cache.
    expect(await keys.verify(TOKEN, 1)).toBeNull();
    expect(state.prefixReadings).toBe(2);
  });
});
