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

@Injectable()
export class ApiKeysService {
  /** sha256(token) → the key and until when it is trusted; only verified keys, never the token itself. */
  private readonly verified = new Map<string, { key: ApiKey; until: number }>();
  /**
   * sha256(token) → its database look-up in flight: when a cached key expires under load, the
   * requests arriving meanwhile wait for that one look-up instead of each sending its own.
   */
  private readonly lookingUp = new Map<string, Promise<ApiKey | null>>();
  /** Counts revocations: a look-up that started before one does not cache what it found. */
  private revocations = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(name: string, scopes: Scope[], actor: string): Promise<CreatedKey> {
    if (!/^[\w.-]{1,64}$/.test(name)) throw new ApiKeyError('a key name is 1–64 letters, digits, dots, dashes or underscores');
    if (await this.dataSource.getRepository(ApiKey).existsBy({ name })) throw new ApiKeyError(`a key named ${name} exists already`);
    const prefix = randomBytes(6).toString('hex').slice(0, 8);
    const secret = randomBytes(24).toString('base64url');
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(ApiKey, manager.create(ApiKey, { name, prefix, secretHash: hashSecret(secret), scopes }));
      await manager.insert(AuditLog, { actor, action: 'key.create', entityType: 'api_key', entityId: saved.id, detail: { name, scopes } });
      return { id: saved.id, name, scopes, key: `qc_${prefix}_${secret}` };
    });
  }

  async revoke(name: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const key = await manager.findOneBy(ApiKey, { name, revokedAt: IsNull() });
      if (!key) throw new ApiKeyError(`no active key named ${name}`);
      await manager.update(ApiKey, { id: key.id }, { revokedAt: new Date() });
      await manager.insert(AuditLog, { actor, action: 'key.revoke', entityType: 'api_key', entityId: key.id, detail: { name } });
    });
    // Once committed: look-ups from now on find the key revoked, and none begun before caches what it found.
    this.revocations++;
    this.verified.clear();
    this.lookingUp.clear();
  }

  list(): Promise<ApiKey[]> {
    return this.dataSource.getRepository(ApiKey).find({ order: { createdAt: 'ASC' } });
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
    const revocations = this.revocations;
    const lookUp = this.lookUp(token)
      .then((key) => {
        if (revocations === this.revocations) this.remember(cacheKey, key, now);
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

  private async lookUp(token: string): Promise<ApiKey | null> {
    const match = KEY_FORMAT.exec(token);
    if (!match) return null;
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ prefix: match[1], revokedAt: IsNull() });
    if (!key) return null;
    const expected = Buffer.from(key.secretHash, 'hex');
    const actual = Buffer.from(hashSecret(match[2]), 'hex');
    return timingSafeEqual(expected, actual) ? key : null;
  }
}
