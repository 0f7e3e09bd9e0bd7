// Who is calling: the API key in `Authorization: Bearer <key>` names a workspace and what the
// caller may do there. Keys are looked up by their hash; a short cache spares the database a
// query per request while keeping a revoked key usable for at most a few seconds.
// Why a lookup is as safe as a constant-time comparison: what is compared (by the index) is the
// SHA-256 of the presented key, never the key itself, so timing can at best reveal how a hash the
// attacker cannot steer relates to stored hashes — nothing that helps forge a key.
// The cache is keyed by the presented key itself, so a cached caller costs one map lookup and no
// hashing (benchmark 1 in bench/ measured the hash and the promise around it at ~6 % of a trivial
// request). That map only ever holds keys callers presented in the last few seconds, and the map's
// own string comparison happens only for keys whose internal hash already collides with one of
// them: it reveals nothing a forger could use either.
import { ADMIN_KEY_PREFIX, apiKeyKind, bearerToken, hashApiKey, isAdminKey, type ApiKeyKind } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import type { SigningSecrets } from './signing-secrets.ts';
import {
  isSignedToken,
  isUnsignedToken,
  resolveViewToken,
  ViewTokenError,
  type ViewGrant,
} from './view-token-callers.ts';

/**
 * How a request without a key, or with one Pulso refuses, is answered over HTTP: 401 naming the
 * scheme to use (RFC 9110), whether the refusal comes before execution (a refused key) or from a
 * field that needs a key (none sent). Both were once 401 and 200 respectively.
 */
export const UNAUTHENTICATED_HTTP = { status: 401, headers: { 'www-authenticate': 'Bearer' } };

export interface Caller {
  /** Empty for the instance administrator, who belongs to no workspace. */
  workspaceId: string;
  /** Empty for a view token; `admin:configured` or `admin:local` for the administrator. */
  apiKeyId: string;
  /**
   * `VIEW`: a short-lived view token signed by the workspace's backend (see view-tokens.ts).
   * `ADMIN`: the instance administrator (PULSO_ADMIN_KEY, or the per-start key of a server on a
   * PGlite folder), who may use the admin fields and nothing of any workspace.
   */
  kind: ApiKeyKind | 'VIEW' | 'ADMIN';
  allowedOrigins: string[];
  /** For a view token: what it may read. */
  view?: ViewGrant;
  /**
   * When the credential stops being valid (ms since the epoch): a view token's `exp`, an API key's
   * expiry. Absent when it never expires. Live streams end then (plugins/end-on-refused-credential.ts).
   */
  expiresAt?: number;
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** How long a looked-up key is trusted by default: a revoked key keeps working at most this long. */
export const API_KEY_CACHE_MS = 5_000;
const CACHE_MAX = 1_000;

export interface ApiKeyResolverOptions {
  /** The administrator keys this instance accepts, by what they are (PULSO_ADMIN_KEY, the per-start one). */
  adminKeys?: { configured?: string | undefined; local?: string | undefined };
  /** How long a looked-up key (or its absence) is trusted before it is looked up again (default API_KEY_CACHE_MS). */
  cacheMs?: number;
  /** The clock, in milliseconds since the epoch (tests move it). */
  now?: () => number;
}

export function createApiKeyResolver(
  prisma: PrismaClient,
  signingSecrets: SigningSecrets,
  { adminKeys = {}, cacheMs = API_KEY_CACHE_MS, now = Date.now }: ApiKeyResolverOptions = {},
) {
  const cache = new Map<string, { caller: Caller | null; expires: number }>();
  // Compared by their hashes, for the reason given above for workspace keys.
  const admins = new Map<string, string>();
  if (adminKeys.configured) admins.set(hashApiKey(adminKeys.configured), 'admin:configured');
  if (adminKeys.local) admins.set(hashApiKey(adminKeys.local), 'admin:local');

  function admin(key: string): Caller {
    const id = isAdminKey(key) ? admins.get(hashApiKey(key)) : undefined;
    if (!id)
      throw new AuthenticationError(
        admins.size === 0
          ? 'this instance has no administrator key: set PULSO_ADMIN_KEY when starting the server'
          : "the administrator key is not this instance's",
      );
    return { workspaceId: '', apiKeyId: id, kind: 'ADMIN', allowedOrigins: [] };
  }

  async function lookup(hash: string): Promise<Caller | null> {
    const key = await prisma.apiKey.findUnique({
      where: { hash },
      select: { id: true, workspaceId: true, kind: true, allowedOrigins: true, revokedAt: true, expiresAt: true },
    });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= now())) return null;
    return {
      workspaceId: key.workspaceId,
      apiKeyId: key.id,
      kind: key.kind,
      allowedOrigins: key.allowedOrigins,
      ...(key.expiresAt ? { expiresAt: key.expiresAt.getTime() } : {}),
    };
  }

  function known(caller: Caller | null): Caller {
    // A key found before its expiry is refused from that instant, not up to cacheMs after it.
    if (!caller || (caller.expiresAt !== undefined && caller.expiresAt <= now()))
      throw new AuthenticationError('the API key is unknown, revoked or expired');
    return caller;
  }

  async function lookupAndCache(key: string): Promise<Caller> {
    const caller = await lookup(hashApiKey(key));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, { caller, expires: now() + cacheMs });
    return known(caller);
  }

  /**
   * The caller for an Authorization header: null without one; AuthenticationError for a bad one.
   * Answers at once (no promise) for an API key seen in the last few seconds.
   */
  return function resolveCaller(authorization: string | null): Caller | null | Promise<Caller | null> {
    if (!authorization) return null;
    const key = bearerToken(authorization);
    if (!key) throw new AuthenticationError('the Authorization header must be "Bearer <API key>"');
    const cached = cache.get(key);
    if (cached && cached.expires > now()) return known(cached.caller);
    if (key.startsWith(ADMIN_KEY_PREFIX)) return admin(key);
    if (isSignedToken(key)) return resolveView(key);
    if (isUnsignedToken(key))
      throw new AuthenticationError(
        'the bearer token is an unsigned JWT ("alg": "none", no signature): view tokens must be signed with HS256 and the workspace\'s token signing secret',
      );
    if (!apiKeyKind(key))
      throw new AuthenticationError(
        'the API key is malformed: Pulso keys start with pulso_sk_, pulso_rk_, pulso_pk_ (or pulso_ak_, the administrator key)',
      );
    return lookupAndCache(key);
  };

  async function resolveView(key: string): Promise<Caller> {
    try {
      const view = await resolveViewToken(prisma, signingSecrets, key, new Date(now()));
      return {
        workspaceId: view.workspaceId,
        apiKeyId: '',
        kind: 'VIEW',
        allowedOrigins: [],
        view: view.grant,
        expiresAt: view.expiresAt.getTime(),
      };
    } catch (error) {
      if (error instanceof ViewTokenError) throw new AuthenticationError(error.message);
      throw error;
    }
  }
}
