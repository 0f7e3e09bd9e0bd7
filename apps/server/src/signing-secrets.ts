// The workspaces' token signing secrets, kept a few seconds per workspace. Every rating verifies
// its customer token and every view-token read its view token with one, while a secret changes
// only when it is rotated: a query per request for it was a fifth of a rating's statements outside
// its transaction. Rotating forgets the old secret on this instance at once; another instance may
// go on accepting tokens signed with it for at most CACHE_TTL_MS, as it may a revoked API key
// (auth.ts).
import type { PrismaClient } from '@pulso/database';

export const SIGNING_SECRET_TTL_MS = 5_000;
const CACHE_MAX = 1_000;

export interface SigningSecrets {
  /** The workspace's current secret, or null when there is no such workspace. */
  secretOf(workspaceId: string): Promise<string | null>;
  /** Drops a cached secret (after a rotation on this instance). */
  forget(workspaceId: string): void;
}

export function createSigningSecrets(prisma: PrismaClient, now: () => number = Date.now): SigningSecrets {
  const cache = new Map<string, { secret: string | null; expires: number }>();
  return {
    async secretOf(workspaceId) {
      const cached = cache.get(workspaceId);
      if (cached && cached.expires > now()) return cached.secret;
      const workspace = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { tokenSigningSecret: true } });
      const secret = workspace?.tokenSigningSecret ?? null;
      cache.delete(workspaceId);
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(workspaceId, { secret, expires: now() + SIGNING_SECRET_TTL_MS });
      return secret;
    },
    forget(workspaceId) {
      cache.delete(workspaceId);
    },
  };
}
