import { describe, expect, it } from 'vitest';
import { apiKeyKind, bearerToken, hashApiKey, isAdminKey, issueAdminKey, issueApiKey } from './index.ts';

describe('API keys', () => {
  it('issues keys with the prefix of their kind and 32 random characters', () => {
    const secret = issueApiKey('SECRET');
    expect(secret.key).toMatch(/^pulso_sk_[0-9A-Za-z]{32}$/);
    expect(issueApiKey('PUBLISHABLE').key).toMatch(/^pulso_pk_[0-9A-Za-z]{32}$/);
    expect(issueApiKey('READ_ONLY').key).toMatch(/^pulso_rk_[0-9A-Za-z]{32}$/);
    expect(secret.prefix).toBe(secret.key.slice(0, 13));
    expect(issueApiKey('SECRET').key).not.toBe(secret.key);
  });

  it('stores a hash that is not the key', () => {
    const { key, hash } = issueApiKey('SECRET');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(9));
    expect(hashApiKey(key)).toBe(hash);
  });

  it('accepts a fixed key only in the format of its kind', () => {
    expect(issueApiKey('SECRET', 'pulso_sk_demo0000000000000001').key).toBe('pulso_sk_demo0000000000000001');
    expect(() => issueApiKey('SECRET', 'pulso_pk_demo0000000000000001')).toThrow(/pulso_sk_/);
    expect(() => issueApiKey('PUBLISHABLE', 'short')).toThrow(/pulso_pk_/);
  });

  it('tells the kind of a key and rejects anything else', () => {
    expect(apiKeyKind('pulso_pk_abcdefghijklmnop')).toBe('PUBLISHABLE');
    expect(apiKeyKind('pulso_xx_abcdefghijklmnop')).toBeNull();
    expect(apiKeyKind('pulso_sk_abc')).toBeNull();
    expect(apiKeyKind("pulso_sk_abcdefghijklmnop' OR 1=1")).toBeNull();
  });

  it('reads a bearer token', () => {
    expect(bearerToken('Bearer pulso_sk_x')).toBe('pulso_sk_x');
    expect(bearerToken('bearer   pulso_sk_x ')).toBe('pulso_sk_x');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('issues administrator keys that no workspace key format accepts', () => {
    const admin = issueAdminKey();
    expect(admin).toMatch(/^pulso_ak_[0-9A-Za-z]{32}$/);
    expect(isAdminKey(admin)).toBe(true);
    expect(apiKeyKind(admin)).toBeNull();
    expect(isAdminKey('pulso_ak_tooShort0000000000')).toBe(false);
    expect(isAdminKey(issueApiKey('SECRET').key)).toBe(false);
  });
});
