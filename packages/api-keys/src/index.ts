// API keys: `pulso_sk_` (secret), `pulso_rk_` (read-only) and `pulso_pk_` (publishable), followed by
// 32 random base62 characters (about 190 bits). Only a SHA-256 hash is stored: with that much
// entropy a slow password hash adds nothing, and a fast one lets every request find its key by an
// indexed lookup.
import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyKind = 'SECRET' | 'READ_ONLY' | 'PUBLISHABLE';

export const API_KEY_PREFIXES: Record<ApiKeyKind, string> = {
  SECRET: 'pulso_sk_',
  READ_ONLY: 'pulso_rk_',
  PUBLISHABLE: 'pulso_pk_',
};

const BODY_LENGTH = 32;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^pulso_(sk|rk|pk)_([0-9A-Za-z]{16,128})$/;
/** How many characters of a key are kept in clear to tell keys apart in a list. */
const DISPLAY_PREFIX_LENGTH = 13;

export interface IssuedApiKey {
  kind: ApiKeyKind;
  /** The key itself: shown once, never stored. */
  key: string;
  /** The part shown in listings, e.g. `pulso_sk_3f9a`. */
  prefix: string;
  /** What is stored: hex SHA-256 of the key. */
  hash: string;
}

function randomBody(): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let body = '';
  while (body.length < BODY_LENGTH) {
    for (const byte of randomBytes(BODY_LENGTH)) {
      if (byte < 248 && body.length < BODY_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return body;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The kind a well-formed key announces, or null for anything that is not a Pulso key. */
export function apiKeyKind(key: string): ApiKeyKind | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  return match[1] === 'sk' ? 'SECRET' : match[1] === 'rk' ? 'READ_ONLY' : 'PUBLISHABLE';
}

/** Issues a new random key of a kind, or wraps a given one after checking its format. */
export function issueApiKey(kind: ApiKeyKind, fixedKey?: string): IssuedApiKey {
  const key = fixedKey ?? `${API_KEY_PREFIXES[kind]}${randomBody()}`;
  if (apiKeyKind(key) !== kind) {
    throw new Error(
      `an API key of kind ${kind} must look like ${API_KEY_PREFIXES[kind]} followed by 16 to 128 letters and digits`,
    );
  }
  return { kind, key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashApiKey(key) };
}

// The instance administrator key (PULSO_ADMIN_KEY, and the per-start key a server on a PGlite
// folder leaves for the `pulso` command) has a prefix of its own, so it is never mistaken for a
// workspace key: it names no workspace and is never stored in the database. It is longer (at least
// 32 characters after the prefix) because it opens every workspace of the instance.
export const ADMIN_KEY_PREFIX = 'pulso_ak_';
const ADMIN_KEY_PATTERN = /^pulso_ak_[0-9A-Za-z]{32,128}$/;

/** True for a well-formed administrator key (pulso_ak_ + 32 to 128 letters and digits). */
export function isAdminKey(key: string): boolean {
  return ADMIN_KEY_PATTERN.test(key);
}

/** A new random administrator key. */
export function issueAdminKey(): string {
  return `${ADMIN_KEY_PREFIX}${randomBody()}`;
}

/** The key in an `Authorization: Bearer <key>` header, or null when there is none. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}
