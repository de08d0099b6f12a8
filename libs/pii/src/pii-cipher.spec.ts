import { randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher';

describe('PiiCipher', () => {
  const cipher = new PiiCipher(randomBytes(32));

  it('round-trips and never stores the clear value', () => {
    const stored = cipher.encrypt('150105198503121234');
    expect(stored).not.toContain('150105198503121234');
    expect(cipher.decrypt(stored)).toBe('150105198503121234');
    expect(cipher.encrypt('150105198503121234')).not.toBe(stored);
  });

  it('hashes equal values equally and separates kinds and keys', () => {
    expect(cipher.hmac('id', '150105198503121234')).toBe(cipher.hmac('id', '150105198503121234'));
    expect(cipher.hmac('id', '13812345678')).not.toBe(cipher.hmac('phone', '13812345678'));
    expect(new PiiCipher(randomBytes(32)).hmac('id', 'x')).not.toBe(cipher.hmac('id', 'x'));
  });

  it('keys the visible digits of an ID like a masked ID shows them, without keeping them', () => {
    expect(cipher.idDigitsKey('15010519850312123X', '123X')).toBe(cipher.idDigitsKey('150105', '123X'));
    expect(cipher.idDigitsKey('150105', '123X')).not.toContain('123X');
    expect(cipher.idDigitsKey('150105', '123X')).not.toBe(cipher.idDigitsKey('150105', '1234'));
  });

  it('rejects a tampered cipher text', () => {
    const stored = cipher.encrypt('13812345678');
    const tampered = `${stored.slice(0, -2)}${stored.endsWith('A') ? 'B' : 'A'}${stored.slice(-1)}`;
    expect(() => cipher.decrypt(tampered)).toThrow();
  });
});
