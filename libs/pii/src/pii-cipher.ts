import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

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
  private readonly encryptionKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('the personal-data key must be at least 32 bytes');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'qingcheng/pii/encrypt', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'qingcheng/pii/match', 32));
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
  hmac(kind: 'id' | 'phone', clear: string): string {
    return createHmac('sha256', this.hashKey).update(`${kind}:${clear}`).digest('hex');
  }

  protect(kind: 'id' | 'phone', clear: string): ProtectedValue {
    return { cipher: this.encrypt(clear), hmac: this.hmac(kind, clear), masked: kind === 'id' ? maskIdNumber(clear) : maskPhone(clear) };
  }
}

/** 150105198503121234 → 150105********1234 (the form officials are used to). */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 13812345678 → 138****5678; landlines keep their area code and last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const head = phone.includes('-') ? phone.slice(0, phone.indexOf('-') + 1) : '';
  return `${head}****${digits.slice(-4)}`;
}
