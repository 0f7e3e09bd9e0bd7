import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TokenError,
  generateTokenSigningSecret,
  signCustomerToken,
  signViewToken,
  unverifiedViewTokenWorkspace,
  verifyCustomerToken,
  verifyViewToken,
} from './index.ts';

const secret = generateTokenSigningSecret();
const now = new Date('2026-06-01T12:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return (error as TokenError).reason;
  }
}

describe('customer tokens', () => {
  it('round-trips the external id and expiry', async () => {
    const token = await signCustomerToken({ secret, externalId: 'cus_42', expiresInSeconds: 600, now });
    expect(await verifyCustomerToken(token, secret, later(10))).toEqual({
      externalId: 'cus_42',
      expiresAt: later(600),
    });
  });

  it('refuses a token signed with another secret, or altered', async () => {
    const token = await signCustomerToken({ secret: generateTokenSigningSecret(), externalId: 'cus_42', now });
    expect(await reason(verifyCustomerToken(token, secret, now))).toBe('FORGED');
    const good = await signCustomerToken({ secret, externalId: 'cus_42', now });
    const [header, , signature] = good.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ aud: 'pulso:customer', sub: 'cus_43', exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(await reason(verifyCustomerToken(`${header}.${otherPayload}.${signature}`, secret, now))).toBe('FORGED');
  });

  it("verifies with any of several secrets (a rotation's grace period), and refuses what none of them signed", async () => {
    const previous = generateTokenSigningSecret();
    const signedBefore = await signCustomerToken({ secret: previous, externalId: 'cus_old', now });
    const signedAfter = await signCustomerToken({ secret, externalId: 'cus_new', now });
    expect((await verifyCustomerToken(signedBefore, [secret, previous], now)).externalId).toBe('cus_old');
    expect((await verifyCustomerToken(signedAfter, [secret, previous], now)).externalId).toBe('cus_new');
    expect(await reason(verifyCustomerToken(signedBefore, [secret], now))).toBe('FORGED');
    expect(await reason(verifyCustomerToken(signedBefore, [], now))).toBe('FORGED');
    const stranger = await signCustomerToken({ secret: generateTokenSigningSecret(), externalId: 'cus_x', now });
    expect(await reason(verifyCustomerToken(stranger, [secret, previous], now))).toBe('FORGED');
    // Another refusal than the signature is final: an expired token is not retried with the next secret.
    const expired = await signCustomerToken({ secret, externalId: 'cus_new', expiresInSeconds: 60, now });
    expect(await reason(verifyCustomerToken(expired, [secret, previous], later(120)))).toBe('EXPIRED');
  });

  it('refuses an expired token, an overlong one, garbage and a view token', async () => {
    const token = await signCustomerToken({ secret, externalId: 'cus_42', expiresInSeconds: 60, now });
    expect(await reason(verifyCustomerToken(token, secret, later(60 + 31)))).toBe('EXPIRED');
    // Within the 30 seconds of clock difference tolerated, still good.
    expect((await verifyCustomerToken(token, secret, later(60 + 29))).externalId).toBe('cus_42');
    expect(await reason(verifyCustomerToken('nope', secret, now))).toBe('MALFORMED');
    const view = await signViewToken({ secret, workspaceId: 'w1', grant: { kind: 'at_risk' }, now });
    expect(await reason(verifyCustomerToken(view, secret, now))).toBe('WRONG_KIND');
    const forever = handMade({
      aud: 'pulso:customer',
      sub: 'cus_42',
      exp: Math.floor(now.getTime() / 1000) + 365 * 86400,
    });
    expect(await reason(verifyCustomerToken(forever, secret, now))).toBe('TOO_LONG_LIVED');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"aud":"pulso:customer","sub":"x","exp":9999999999}').toString('base64url')}.x`;
    expect(await reason(verifyCustomerToken(none, secret, now))).toBe('MALFORMED');
    const seconds = Math.floor(now.getTime() / 1000);
    // Claims the signature does not save: no expiry, an expiry that is no number, not valid yet.
    expect(await reason(verifyCustomerToken(handMade({ aud: 'pulso:customer', sub: 'c' }), secret, now))).toBe(
      'MALFORMED',
    );
    const wordy = handMade({ aud: 'pulso:customer', sub: 'c', exp: 'tomorrow' });
    expect(await reason(verifyCustomerToken(wordy, secret, now))).toBe('MALFORMED');
    const early = handMade({ aud: 'pulso:customer', sub: 'c', exp: seconds + 3600, nbf: seconds + 600 });
    expect(await reason(verifyCustomerToken(early, secret, now))).toBe('MALFORMED');
    // HS512 under the same secret: a genuine signature, of an algorithm not accepted.
    const hs512 = handMade({ aud: 'pulso:customer', sub: 'c', exp: seconds + 60 }, 'sha512');
    expect(await reason(verifyCustomerToken(hs512, secret, now))).toBe('MALFORMED');
    await expect(signCustomerToken({ secret, externalId: 'x', expiresInSeconds: 31 * 86400 })).rejects.toThrow(
      RangeError,
    );
  });

  it('accepts a token made by hand exactly as the README tells other languages to', async () => {
    const token = handMade({ aud: 'pulso:customer', sub: 'cus_7', exp: Math.floor(now.getTime() / 1000) + 300 });
    expect((await verifyCustomerToken(token, secret, now)).externalId).toBe('cus_7');
  });
});

describe('view tokens', () => {
  it('carry a workspace and a grant', async () => {
    const token = await signViewToken({
      secret,
      workspaceId: 'w1',
      grant: { kind: 'customer', externalId: 'cus_1' },
      now,
    });
    expect(unverifiedViewTokenWorkspace(token)).toBe('w1');
    expect((await verifyViewToken(token, secret, 'w1', now)).grant).toEqual({ kind: 'customer', externalId: 'cus_1' });
    expect(await reason(verifyViewToken(token, secret, 'w2', now))).toBe('MALFORMED');
    const customer = await signCustomerToken({ secret, externalId: 'cus_1', now });
    expect(unverifiedViewTokenWorkspace(customer)).toBeNull();
    expect(await reason(verifyViewToken(customer, secret, 'w1', now))).toBe('WRONG_KIND');
  });

  it('are short-lived', async () => {
    await expect(
      signViewToken({ secret, workspaceId: 'w1', grant: { kind: 'at_risk' }, expiresInSeconds: 7200 }),
    ).rejects.toThrow(RangeError);
    const token = await signViewToken({
      secret,
      workspaceId: 'w1',
      grant: { kind: 'at_risk' },
      expiresInSeconds: 600,
      now,
    });
    expect(await reason(verifyViewToken(token, secret, 'w1', later(700)))).toBe('EXPIRED');
  });
});

/** The algorithm of the README, with nothing but HMAC-SHA-256 and base64url. */
function handMade(claims: Record<string, unknown>, hash: 'sha256' | 'sha512' = 'sha256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${part({ alg: hash === 'sha256' ? 'HS256' : 'HS512', typ: 'JWT' })}.${part(claims)}`;
  return `${signingInput}.${createHmac(hash, secret).update(signingInput).digest('base64url')}`;
}
