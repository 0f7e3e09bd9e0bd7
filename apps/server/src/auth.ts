// Who is calling: the API key in `Authorization: Bearer <key>` names a workspace and what the
// caller may do there. Keys are looked up by their hash; a short cache spares the database a
// query per request while keeping a revoked key usable for at most a few seconds.
// Why a lookup is as safe as a constant-time comparison: what is compared (by the index) is the
// SHA-256 of the presented key, never the key itself, so timing can at best reveal how a hash the
// attacker cannot steer relates to stored hashes — nothing that helps forge a key.
import { apiKeyKind, bearerToken, hashApiKey, type ApiKeyKind } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import { isSignedToken, resolveViewToken, ViewTokenError, type ViewGrant } from './view-tokens.ts';

export interface Caller {
  workspaceId: string;
  /** Empty for a view token. */
  apiKeyId: string;
  /** `VIEW`: a short-lived view token signed by the workspace's backend (see view-tokens.ts). */
  kind: ApiKeyKind | 'VIEW';
  allowedOrigins: string[];
  /** For a view token: what it may read. */
  view?: ViewGrant;
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 1_000;

export function createApiKeyResolver(prisma: PrismaClient, now: () => number = Date.now) {
  const cache = new Map<string, { caller: Caller | null; expires: number }>();

  async function lookup(hash: string): Promise<Caller | null> {
    const key = await prisma.apiKey.findUnique({
      where: { hash },
      select: { id: true, workspaceId: true, kind: true, allowedOrigins: true, revokedAt: true, expiresAt: true },
    });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= now())) return null;
    return { workspaceId: key.workspaceId, apiKeyId: key.id, kind: key.kind, allowedOrigins: key.allowedOrigins };
  }

  /** The caller for an Authorization header: null without one; AuthenticationError for a bad one. */
  return async function resolveCaller(authorization: string | null): Promise<Caller | null> {
    if (!authorization) return null;
    const key = bearerToken(authorization);
    if (!key) throw new AuthenticationError('the Authorization header must be "Bearer <API key>"');
    if (isSignedToken(key)) {
      try {
        const { workspaceId, grant } = await resolveViewToken(prisma, key, new Date(now()));
        return { workspaceId, apiKeyId: '', kind: 'VIEW', allowedOrigins: [], view: grant };
      } catch (error) {
        if (error instanceof ViewTokenError) throw new AuthenticationError(error.message);
        throw error;
      }
    }
    if (!apiKeyKind(key)) throw new AuthenticationError('the API key is malformed: Pulso keys start with pulso_sk_, pulso_rk_ or pulso_pk_');
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    let caller: Caller | null;
    if (cached && cached.expires > now()) {
      caller = cached.caller;
    } else {
      caller = await lookup(hash);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(hash, { caller, expires: now() + CACHE_TTL_MS });
    }
    if (!caller) throw new AuthenticationError('the API key is unknown, revoked or expired');
    return caller;
  };
}
