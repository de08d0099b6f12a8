import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, KeyObject, randomBytes } from 'node:crypto';
import { maskIdNumber, maskPhone } from './person-disclosure';

/** What the registry stores for one piece of personal data: never the clear value. */
export interface ProtectedValue {
  cipher: string;
  hmac: string;
  masked: string;
}

/**
 * Encrypts personal data at rest (AES-256-GCM) and derives the keyed hash it is matched by.
 * Both keys are derived from one master key, so the hash cannot be recomputed without it.
 */
export class PiiCipher {
  // Key objects, made once: a raw key given to createCipheriv or createHmac is imported again on every call.
  private readonly encryptionKey: KeyObject;
  private readonly hashKey: KeyObject;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('the personal-data key must be at least 32 bytes');
    this.encryptionKey = createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'qingcheng/pii/encrypt', 32)));
    this.hashKey = createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'qingcheng/pii/match', 32)));
  }

  /** Nonces come from a pooled block of random bytes: one system call per 341 values, not one each. */
  private nonces = Buffer.alloc(0);

  private nextNonce(): Buffer {
    if (this.nonces.length < 12) this.nonces = randomBytes(12 * 341);
    const nonce = this.nonces.subarray(0, 12);
    this.nonces = this.nonces.subarray(12);
    return nonce;
  }

  encrypt(clear: string): string {
    const iv = this.nextNonce();
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(stored: string): string {
    if (!stored.startsWith('v1.')) throw new Error('unknown personal-data cipher version');
    const packed = Buffer.from(stored.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, packed.subarray(0, 12));
    decipher.setAuthTag(packed.subarray(12, 28));
    return Buffer.concat([decipher.update(packed.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash: equal values match without the clear value being stored. */
  hmac(kind: 'id' | 'phone' | 'id-digits', clear: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${clear}`).digest('hex');
  }

  /**
   * The matching key of an ID's visible digits (region and last 4, as a masked ID such as
   * 150105********123X shows them): kept instead of the digits, which beside a birth date would
   * give the whole ID.
   */
  idDigitsKey(region: string, last4: string): string {
    return this.hmac('id-digits', `${region.slice(0, 6)}${last4}`);
  }

  protect(kind: 'id' | 'phone', clear: string): ProtectedValue {
    return { cipher: this.encrypt(clear), hmac: this.hmac(kind, clear), masked: kind === 'id' ? maskIdNumber(clear) : maskPhone(clear) };
  }
}
