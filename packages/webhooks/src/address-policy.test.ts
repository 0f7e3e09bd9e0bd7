// Which addresses receive webhooks: the classification (by ipaddr.js's registries) and the check of
// a URL when it is registered. Delivery-time checks run in worker.test.ts against a real receiver.
import { describe, expect, it } from 'vitest';
import { PUBLIC_ONLY, refusedAddress, refusedUrl } from './address-policy.ts';

const ALLOW = { allowPrivateAddresses: true };

describe('refusedAddress', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private network address'],
    ['172.16.0.1', 'a private network address'],
    ['192.168.1.10', 'a private network address'],
    ['169.254.169.254', 'a link-local address (where cloud metadata lives)'],
    ['fe80::1', 'a link-local address (where cloud metadata lives)'],
    ['fd00::1', 'a unique local (private) IPv6 address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'the unspecified address'],
    ['::', 'the unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
  ])('refuses %s, %s', (address, kind) => {
    expect(refusedAddress(address, PUBLIC_ONLY)).toBe(`${address} is ${kind}, not a public one`);
    expect(refusedAddress(address, ALLOW)).toBeNull();
  });

  it.each(['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::93.184.215.14'])(
    'refuses %s, an IPv4-compatible IPv6 address a host may route to the IPv4 address inside',
    (address) => {
      expect(refusedAddress(address, PUBLIC_ONLY)).toBe(
        `${address} is an IPv4-compatible IPv6 address (::/96, deprecated), not a public one`,
      );
      expect(refusedAddress(address, ALLOW)).toBeNull();
    },
  );

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.215.14'])(
    'lets the public address %s through',
    (address) => {
      expect(refusedAddress(address, PUBLIC_ONLY)).toBeNull();
    },
  );
});

describe('refusedUrl', () => {
  it('judges a literal address, bracketed IPv6 included', async () => {
    expect(await refusedUrl(new URL('http://169.254.169.254/latest/meta-data'), PUBLIC_ONLY)).toMatch(
      /^169\.254\.169\.254 is a link-local address/,
    );
    expect(await refusedUrl(new URL('http://[::1]:8080/hooks'), PUBLIC_ONLY)).toMatch(/^::1 is a loopback address/);
    expect(await refusedUrl(new URL('https://93.184.215.14/hooks'), PUBLIC_ONLY)).toBeNull();
    expect(await refusedUrl(new URL('http://[::1]:8080/hooks'), ALLOW)).toBeNull();
    // Other spellings of an address are made canonical by the URL parser first.
    expect(await refusedUrl(new URL('http://2130706433/hooks'), PUBLIC_ONLY)).toMatch(
      /^127\.0\.0\.1 is a loopback address/,
    );
    expect(await refusedUrl(new URL('http://0x7f.1/hooks'), PUBLIC_ONLY)).toMatch(
      /^127\.0\.0\.1 is a loopback address/,
    );
    expect(await refusedUrl(new URL('http://[0:0:0:0:0:ffff:a00:1]/hooks'), PUBLIC_ONLY)).toMatch(
      /is a private network address/,
    );
  });

  it('judges what a name resolves to now, and lets through a name that does not resolve (checked again at each connection)', async () => {
    expect(await refusedUrl(new URL('http://localhost:3000/hooks'), PUBLIC_ONLY)).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address, not a public one$/,
    );
    expect(await refusedUrl(new URL('https://receiver.invalid/hooks'), PUBLIC_ONLY)).toBeNull();
  });
});
