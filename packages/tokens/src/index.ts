// Signed tokens that let a browser do one narrow thing without holding a Pulso key:
// - a customer token names the customer a micro-rating is for (the host site's backend signs it,
//   so nobody can rate on behalf of another customer);
// - a view token lets an internal-portal widget read one customer's score or the at-risk list
//   for a few minutes.
// Both are JWTs signed with HMAC-SHA-256 (HS256) under the workspace's token signing secret. JWT is
// used, rather than a home-made format, because every language has a vetted library for it.
// `jose` signs (maintained, no dependencies, WebCrypto only: the same code signs in Node, Deno, Bun
// and edge runtimes, where company backends run). `fast-jwt` verifies, on the server only
// (maintained by Nearform, behind @fastify/jwt): it checks an HS256 signature with node:crypto's
// HMAC in the calling thread, where jose's WebCrypto check is a job sent to the thread pool and
// awaited — about 20 µs (its verifier made for the call) against 70–110 µs alone, and on a busy
// 2-core server 0.4 ms of the main thread per token, a tenth of a rating's CPU (bench/RESULTS.md,
// issue 19). Both refuse `alg: none` and algorithm swaps when told which algorithms to accept. The
// format is described step by step in the README.
import { randomBytes } from 'node:crypto';
import { createVerifier, TokenError as JwtError } from 'fast-jwt';
import { SignJWT, decodeJwt, type JWTPayload } from 'jose';

export const CUSTOMER_TOKEN_AUDIENCE = 'pulso:customer';
export const VIEW_TOKEN_AUDIENCE = 'pulso:view';
/** Customer tokens live at most 30 days: long enough for a page left open, short enough to expire. */
export const CUSTOMER_TOKEN_MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
/** View tokens live at most an hour: the portal's backend signs a fresh one with each page. */
export const VIEW_TOKEN_MAX_TTL_SECONDS = 60 * 60;
/** Tolerated difference between the signer's clock and Pulso's. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export type TokenErrorReason =
  /** Not a JWT at all, or missing a required claim. */
  | 'MALFORMED'
  /** The signature does not match: another secret signed it, or it was altered. */
  | 'FORGED'
  | 'EXPIRED'
  /** Its expiry is further away than the longest lifetime allowed for its kind. */
  | 'TOO_LONG_LIVED'
  /** A token of another kind (a view token used as a customer token, or the reverse). */
  | 'WRONG_KIND';

export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly reason: TokenErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** What a view token lets its bearer read. */
export type ViewGrant = { kind: 'customer'; externalId: string } | { kind: 'at_risk' };

export interface VerifiedCustomerToken {
  externalId: string;
  expiresAt: Date;
}

export interface VerifiedViewToken {
  workspaceId: string;
  grant: ViewGrant;
  expiresAt: Date;
}

/** A new random token signing secret: `pulso_ts_` and 64 hex characters (256 bits). */
export function generateTokenSigningSecret(): string {
  return `pulso_ts_${randomBytes(32).toString('hex')}`;
}

function keyOf(secret: string): Uint8Array {
  if (typeof secret !== 'string' || secret.length < 32)
    throw new TypeError('the token signing secret must be a string of at least 32 characters');
  return new TextEncoder().encode(secret);
}

function expiry(now: Date, expiresInSeconds: number, max: number, what: string): number {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0 || expiresInSeconds > max) {
    throw new RangeError(
      `${what} lifetime must be a whole number of seconds from 1 to ${max}, got ${expiresInSeconds}`,
    );
  }
  return Math.floor(now.getTime() / 1000) + expiresInSeconds;
}

export interface SignCustomerTokenOptions {
  /** The workspace's token signing secret. */
  secret: string;
  /** The customer's external id: the id your own systems use for it in Pulso. */
  externalId: string;
  /** Seconds until the token expires (default one day, at most 30 days). */
  expiresInSeconds?: number;
  now?: Date;
}

/** Signs a customer token, for your backend to put in the page that shows the rating widget. */
export async function signCustomerToken({
  secret,
  externalId,
  expiresInSeconds = 24 * 60 * 60,
  now = new Date(),
}: SignCustomerTokenOptions): Promise<string> {
  if (typeof externalId !== 'string' || externalId.length === 0)
    throw new TypeError('externalId must be a non-empty string');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(CUSTOMER_TOKEN_AUDIENCE)
    .setSubject(externalId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(expiry(now, expiresInSeconds, CUSTOMER_TOKEN_MAX_TTL_SECONDS, 'a customer token'))
    .sign(keyOf(secret));
}

export interface SignViewTokenOptions {
  secret: string;
  /** The workspace's id (`workspace { id }` in the API). */
  workspaceId: string;
  /** One customer's score (by external id), or the at-risk list. */
  grant: ViewGrant;
  /** Seconds until the token expires (default 10 minutes, at most one hour). */
  expiresInSeconds?: number;
  now?: Date;
}

/** Signs a view token, for your portal's backend to hand to a gauge or an at-risk list. */
export async function signViewToken({
  secret,
  workspaceId,
  grant,
  expiresInSeconds = 10 * 60,
  now = new Date(),
}: SignViewTokenOptions): Promise<string> {
  const jwt = new SignJWT({ view: grant.kind })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(VIEW_TOKEN_AUDIENCE)
    .setIssuer(workspaceId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(expiry(now, expiresInSeconds, VIEW_TOKEN_MAX_TTL_SECONDS, 'a view token'));
  if (grant.kind === 'customer') {
    if (typeof grant.externalId !== 'string' || grant.externalId.length === 0)
      throw new TypeError('grant.externalId must be a non-empty string');
    jwt.setSubject(grant.externalId);
  }
  return jwt.sign(keyOf(secret));
}

/** True for a string shaped like a JWT (three base64url parts), without checking anything else. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

/**
 * The workspace a view token claims to come from, read WITHOUT verifying it: only to find the
 * secret to verify it with. Null when the token is not a view token.
 */
export function unverifiedViewTokenWorkspace(token: string): string | null {
  try {
    const claims = decodeJwt(token);
    const aud = claims.aud;
    if (aud !== VIEW_TOKEN_AUDIENCE && !(Array.isArray(aud) && aud.includes(VIEW_TOKEN_AUDIENCE))) return null;
    return typeof claims.iss === 'string' ? claims.iss : null;
  } catch {
    return null;
  }
}

/**
 * The kind a view token claims (`customer` or `at_risk`), read WITHOUT verifying it, or null when it
 * is not a view token. Only for narrowing before a verification that follows: what a claim lets an
 * operation select still needs the token to verify before anything is read.
 */
export function unverifiedViewTokenKind(token: string): ViewGrant['kind'] | null {
  if (unverifiedViewTokenWorkspace(token) == null) return null;
  const view = decodeJwt(token).view;
  return view === 'customer' || view === 'at_risk' ? view : null;
}

/**
 * The secrets a workspace verifies with: its current one first, then, during a rotation's grace
 * period, the one before it. A token signed with any of them is genuine.
 */
export type VerifyingSecrets = string | readonly string[];

async function verify(
  token: string,
  secrets: VerifyingSecrets,
  audience: string,
  maxTtl: number,
  now: Date,
  what: string,
): Promise<JWTPayload & { exp: number }> {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0)
    throw new TokenError(
      'FORGED',
      `the ${what} signature is invalid: it was not signed with this workspace's token signing secret`,
    );
  for (let i = 0; ; i++) {
    try {
      return await verifyWith(token, list[i]!, audience, maxTtl, now, what);
    } catch (error) {
      // Only a signature made with another secret is worth trying the next one for.
      if (!(error instanceof TokenError && error.reason === 'FORGED') || i >= list.length - 1) throw error;
    }
  }
}

async function verifyWith(
  token: string,
  secret: string,
  audience: string,
  maxTtl: number,
  now: Date,
  what: string,
): Promise<JWTPayload & { exp: number }> {
  if (typeof token !== 'string' || !looksLikeToken(token))
    throw new TokenError('MALFORMED', `the ${what} is malformed: expected a signed JWT`);
  let payload: JWTPayload;
  try {
    // A verifier per call, for the caller's `now` (about 20 µs; one per secret would fix the clock).
    const verifier = createVerifier({
      key: Buffer.from(keyOf(secret)),
      algorithms: ['HS256'],
      clockTimestamp: now.getTime(),
      clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
      requiredClaims: ['exp'],
      cache: false,
    });
    payload = verifier(token) as JWTPayload;
  } catch (error) {
    const code = error instanceof JwtError ? error.code : undefined;
    if (code === JwtError.codes.expired) throw new TokenError('EXPIRED', `the ${what} has expired: sign a new one`);
    if (code === JwtError.codes.invalidSignature) {
      throw new TokenError(
        'FORGED',
        `the ${what} signature is invalid: it was not signed with this workspace's token signing secret`,
      );
    }
    throw new TokenError('MALFORMED', `the ${what} is malformed: ${(error as Error).message}`);
  }
  const aud = payload.aud;
  if (aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) {
    throw new TokenError(
      'WRONG_KIND',
      `this is not a ${what} (its audience is ${JSON.stringify(aud ?? null)}, expected "${audience}")`,
    );
  }
  const exp = payload.exp as number;
  if (exp - now.getTime() / 1000 > maxTtl + CLOCK_TOLERANCE_SECONDS) {
    throw new TokenError('TOO_LONG_LIVED', `the ${what} expires too late: it may live at most ${maxTtl} seconds`);
  }
  return payload as JWTPayload & { exp: number };
}

/** Checks a customer token: signature, kind, expiry. Throws a TokenError saying what is wrong. */
export async function verifyCustomerToken(
  token: string,
  secret: VerifyingSecrets,
  now: Date = new Date(),
): Promise<VerifiedCustomerToken> {
  const payload = await verify(
    token,
    secret,
    CUSTOMER_TOKEN_AUDIENCE,
    CUSTOMER_TOKEN_MAX_TTL_SECONDS,
    now,
    'customer token',
  );
  if (typeof payload.sub !== 'string' || payload.sub.length === 0)
    throw new TokenError('MALFORMED', 'the customer token names no customer (claim "sub")');
  return { externalId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
}

/** Checks a view token signed for `workspaceId`. Throws a TokenError saying what is wrong. */
export async function verifyViewToken(
  token: string,
  secret: VerifyingSecrets,
  workspaceId: string,
  now: Date = new Date(),
): Promise<VerifiedViewToken> {
  const payload = await verify(token, secret, VIEW_TOKEN_AUDIENCE, VIEW_TOKEN_MAX_TTL_SECONDS, now, 'view token');
  if (payload.iss !== workspaceId)
    throw new TokenError('MALFORMED', 'the view token names another workspace (claim "iss")');
  const expiresAt = new Date(payload.exp * 1000);
  if (payload.view === 'at_risk') return { workspaceId, grant: { kind: 'at_risk' }, expiresAt };
  if (payload.view === 'customer' && typeof payload.sub === 'string' && payload.sub.length > 0) {
    return { workspaceId, grant: { kind: 'customer', externalId: payload.sub }, expiresAt };
  }
  throw new TokenError('MALFORMED', 'the view token must have "view": "customer" with a "sub", or "view": "at_risk"');
}
