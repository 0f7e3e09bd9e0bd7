// Which addresses may receive webhooks. A workspace's admins choose the URLs, and Pulso's server
// POSTs to them from inside its own network: without a check, a URL could aim it at cloud metadata
// (169.254.169.254), a database's HTTP port, or an admin page on loopback (server-side request
// forgery). By default only public unicast addresses receive webhooks; a self-hosted Pulso whose
// receivers live on its private network allows those (PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES).
//
// The check runs twice: when a URL is registered (its literal address, or what its name resolves
// to then: an early, clear refusal), and on every connection, against the address actually
// connected to, so that a name re-pointed after registration (DNS rebinding) reaches nothing.
//
// ipaddr.js classifies addresses by the IANA special-purpose registries (private, loopback,
// link-local, carrier-grade NAT, unique local, multicast, reserved, IPv4 inside IPv6...): it is
// what Express's proxy-addr relies on, and such a table is easy to get subtly wrong by hand.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /** Let webhooks reach loopback, private, link-local and other non-public addresses. */
  allowPrivateAddresses: boolean;
}

/** Public addresses only: the default. */
export const PUBLIC_ONLY: AddressPolicy = { allowPrivateAddresses: false };

/** How long a registration waits for a name to resolve before letting it through unchecked. */
const REGISTRATION_LOOKUP_TIMEOUT_MS = 3_000;

/** Why `address` may not receive webhooks under `policy` ("10.0.0.5 is a private network address..."), or null when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | null {
  const kind = nonPublicKind(address, policy);
  return kind && `${address} is ${kind}`;
}

/** What kind of non-public address `address` is ("a loopback address"), or null when it may receive webhooks. */
function nonPublicKind(address: string, policy: AddressPolicy): string | null {
  if (policy.allowPrivateAddresses) return null;
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // ipaddr.js reads ::a.b.c.d as ::ffff:a.b.c.d (IPv4-mapped): told apart here (see below).
  if (/^::\d+\.\d+\.\d+\.\d+$/.test(address)) return IPV4_COMPATIBLE;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1: judge the IPv4 address inside.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  // ::a.b.c.d, the deprecated IPv4-compatible form (RFC 4291 2.5.5.1), is "unicast" to ipaddr.js,
  // yet a host may route it to the IPv4 address inside (::127.0.0.1 to loopback). No receiver
  // needs it: refused whatever address it holds (:: and ::1 are judged above as what they are).
  if (range === 'unicast' && parsed.kind() === 'ipv6' && isIPv4Compatible(parsed as ipaddr.IPv6))
    return IPV4_COMPATIBLE;
  if (range === 'unicast') return null;
  return `${RANGE_NAMES[range] ?? `a ${range} address`}, not a public one`;
}

const IPV4_COMPATIBLE = 'an IPv4-compatible IPv6 address (::/96, deprecated), not a public one';

/** Whether an IPv6 address is in ::/96 (its first 96 bits zero). */
function isIPv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((part) => part === 0);
}

/** A name's addresses judged one by one: why the first refused one is, or null. */
function refusedResolution(
  hostname: string,
  addresses: readonly LookupAddress[],
  policy: AddressPolicy,
): string | null {
  for (const { address } of addresses) {
    const kind = nonPublicKind(address, policy);
    if (kind) return `${hostname} resolves to ${address}, ${kind}`;
  }
  return null;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  linkLocal: 'a link-local address (where cloud metadata lives)',
  uniqueLocal: 'a unique local (private) IPv6 address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};

/** The host of a URL as an address when it is one (`[::1]` → `::1`), else null. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : null;
}

/**
 * Why `url` may not receive webhooks, checked now: its literal address, or every address its name
 * resolves to. A name that does not resolve (within 3 s) is let through (the receiver may not exist yet): each
 * connection is checked again when it is made.
 */
export async function refusedUrl(url: URL, policy: AddressPolicy): Promise<string | null> {
  if (policy.allowPrivateAddresses) return null;
  const literal = literalAddress(url);
  if (literal) return refusedAddress(literal, policy);
  let addresses: LookupAddress[];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // A slow resolver must not hold the registration: unresolved in time counts as unresolved.
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('DNS timeout')), REGISTRATION_LOOKUP_TIMEOUT_MS)),
    );
    addresses = await Promise.race([dns.lookup(url.hostname, { all: true }), late]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
  return refusedResolution(url.hostname, addresses, policy);
}

/** A refused connection: the error a delivery attempt records. */
export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
  readonly code = 'PULSO_REFUSED_ADDRESS';
}

/** net's `lookup` for connections under `policy`: resolves as usual, then refuses what it must. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = refusedResolution(hostname, list, policy);
      if (refused) return callback(new RefusedAddressError(refused), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Why a connection to `url` is refused before any lookup (a literal address), or null. */
export function refusedLiteral(url: URL, policy: AddressPolicy): string | null {
  const literal = literalAddress(url);
  return literal ? refusedAddress(literal, policy) : null;
}
