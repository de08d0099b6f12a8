import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiKey, AuditLog, Scope, SCOPES } from '@qc/database';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';

export class ApiKeyError extends Error {}

export interface CreatedKey { id: string; name: string; scopes: Scope[]; key: string }

/** Keys look like qc_<prefix>_<secret>; the prefix finds the row, only a hash of the secret is stored. */
const KEY_FORMAT = /^qc_([a-z0-9]{8})_([A-Za-z0-9_-]{32,64})$/;

function hashSecret(secret: string): string {
  // The secret is 192 random bits, so a fast hash is enough: nothing to brute-force.
  return hash('sha256', secret, 'hex');
}

export function parseScopes(text: string): Scope[] {
  const scopes = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ApiKeyError(`unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  if (scopes.length === 0) throw new ApiKeyError(`give at least one scope of: ${SCOPES.join(', ')}`);
  return [...new Set(scopes)] as Scope[];
}

/**
 * How long a verified key is trusted without asking the database again: every API request needs
 * its key, and a revocation elsewhere takes effect within this time (at once in the revoking process).
 */
export const KEY_CACHE_MS = 5000;

/**
 * In the last part of its trust, a cached key is looked up again in the background while requests
 * go on using it: a client calling steadily never waits for the re-check (with 50 requests in
 * flight, a look-up queued behind them in the pool held every request arriving meanwhile).
 */
export const KEY_REFRESH_AHEAD_MS = 1000;

/**
 * A token whose prefix no active key has is refused without a database look-up, from the set of
 * active prefixes. The set is changed at once when this process creates or revokes a key; a key
 * created by another process (the CLI) is found by reloading the set when it is older than this.
 */
export const KEY_PREFIXES_MAX_AGE_MS = 1000;

@Injectable()
export class ApiKeysService {
  /** sha256(token) → the key and until when it is trusted; only verified keys, never the token itself. */
  private readonly verified = new Map<string, { key: ApiKey; until: number }>();
  /**
   * sha256(token) → its database look-up in flight: when a cached key expires under load, the
   * requests arriving meanwhile wait for that one look-up instead of each sending its own.
   */
  private readonly lookingUp = new Map<string, Promise<ApiKey | null>>();
  /** Counts keys created and revoked here: a look-up that started before one does not cache what it found. */
  private keyChanges = 0;
  /** The prefixes of the active keys and when they were read (null: read them at the next need). */
  private activePrefixes: { prefixes: Set<string>; readAt: number } | null = null;
  /** Their reading in flight, shared by every request that needs it meanwhile. */
  private readingPrefixes: Promise<Set<string>> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(name: string, scopes: Scope[], actor: string): Promise<CreatedKey> {
    if (!/^[\w.-]{1,64}$/.test(name)) throw new ApiKeyError('a key name is 1–64 letters, digits, dots, dashes or underscores');
    if (await this.dataSource.getRepository(ApiKey).existsBy({ name })) throw new ApiKeyError(`a key named ${name} exists already`);
    const prefix = randomBytes(6).toString('hex').slice(0, 8);
    const secret = randomBytes(24).toString('base64url');
    const created = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(ApiKey, manager.create(ApiKey, { name, prefix, secretHash: hashSecret(secret), scopes }));
      await manager.insert(AuditLog, { actor, action: 'key.create', entityType: 'api_key', entityId: saved.id, detail: { name, scopes } });
      return { id: saved.id, name, scopes, key: `qc_${prefix}_${secret}` };
    });
    // Once committed, the new key works at once here (a reading of the prefixes begun before does not install).
    this.keyChanges++;
    this.activePrefixes?.prefixes.add(prefix);
    return created;
  }

  async revoke(name: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const key = await manager.findOneBy(ApiKey, { name, revokedAt: IsNull() });
      if (!key) throw new ApiKeyError(`no active key named ${name}`);
      await manager.update(ApiKey, { id: key.id }, { revokedAt: new Date() });
      await manager.insert(AuditLog, { actor, action: 'key.revoke', entityType: 'api_key', entityId: key.id, detail: { name } });
    });
    // Once committed: look-ups from now on find the key revoked, and none begun before caches what it found.
    this.keyChanges++;
    this.verified.clear();
    this.lookingUp.clear();
    this.activePrefixes = null;
  }

  list(): Promise<ApiKey[]> {
    return this.dataSource.getRepository(ApiKey).find({ order: { createdAt: 'ASC' } });
  }

  /** Whether verify() would answer the token from a look-up it made earlier (no database look-up now). */
  isTrusted(token: string, now = Date.now()): boolean {
    return (this.verified.get(hashSecret(token))?.until ?? 0) > now;
  }

  /** The active key a bearer token names, or null. */
  async verify(token: string, now = Date.now()): Promise<ApiKey | null> {
    const cacheKey = hashSecret(token);
    const cached = this.verified.get(cacheKey);
    if (cached && cached.until > now) {
      // A failed re-check changes nothing: at expiry the next request looks up in the foreground, and sees the error.
      if (cached.until - now <= KEY_REFRESH_AHEAD_MS && !this.lookingUp.has(cacheKey)) this.lookUpAndRemember(token, cacheKey, now).catch(() => undefined);
      return cached.key;
    }
    return this.lookingUp.get(cacheKey) ?? this.lookUpAndRemember(token, cacheKey, now);
  }

  /** One database look-up of a token at a time, its answer cached unless a revocation came in between. */
  private lookUpAndRemember(token: string, cacheKey: string, now: number): Promise<ApiKey | null> {
    const keyChanges = this.keyChanges;
    const lookUp = this.lookUp(token, now)
      .then((key) => {
        if (keyChanges === this.keyChanges) this.remember(cacheKey, key, now);
        return key;
      })
      .finally(() => {
        if (this.lookingUp.get(cacheKey) === lookUp) this.lookingUp.delete(cacheKey);
      });
    this.lookingUp.set(cacheKey, lookUp);
    return lookUp;
  }

  private remember(cacheKey: string, key: ApiKey | null, now: number): void {
    if (this.verified.size >= 10_000) this.verified.clear();
    if (key) this.verified.set(cacheKey, { key, until: now + KEY_CACHE_MS });
    else this.verified.delete(cacheKey);
  }

  private async lookUp(token: string, now: number): Promise<ApiKey | null> {
    const match = KEY_FORMAT.exec(token);
    if (!match || !(await this.isActivePrefix(match[1], now))) return null;
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ prefix: match[1], revokedAt: IsNull() });
    // Revoked by another process since the prefixes were read: no more look-ups for it until they are read again.
    if (!key) this.activePrefixes?.prefixes.delete(match[1]);
    if (!key) return null;
    const expected = Buffer.from(key.secretHash, 'hex');
    const actual = Buffer.from(hashSecret(match[2]), 'hex');
    return timingSafeEqual(expected, actual) ? key : null;
  }

  private async isActivePrefix(prefix: string, now: number): Promise<boolean> {
    const active = this.activePrefixes;
    if (active && (active.prefixes.has(prefix) || now - active.readAt < KEY_PREFIXES_MAX_AGE_MS)) return active.prefixes.has(prefix);
    return (await this.readActivePrefixes(now)).has(prefix);
  }

  private readActivePrefixes(now: number): Promise<Set<string>> {
    if (this.readingPrefixes) return this.readingPrefixes;
    const keyChanges = this.keyChanges;
    this.readingPrefixes = this.dataSource.getRepository(ApiKey).find({ select: { prefix: true }, where: { revokedAt: IsNull() } })
      .then((keys) => {
        const prefixes = new Set(keys.map((key) => key.prefix));
        if (keyChanges === this.keyChanges) this.activePrefixes = { prefixes, readAt: now };
        return prefixes;
      })
      .finally(() => { this.readingPrefixes = null; });
    return this.readingPrefixes;
  }
}
