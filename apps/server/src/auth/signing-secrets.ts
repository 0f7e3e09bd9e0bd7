// The workspaces' token signing secrets, kept a few seconds per workspace. Every rating verifies
// its customer token and every view-token read its view token with one, while a secret changes
// only when it is rotated: a query per request for it was a fifth of a rating's statements outside
// its transaction. Rotating forgets the old secret on this instance at once; another instance may
// go on accepting tokens signed with it for at most SIGNING_SECRET_TTL_MS, as it may a revoked API
// key (auth.ts). A rotation with a grace period keeps the old secret verifying until its end.
import type { PrismaClient } from '@pulso/database';

export const SIGNING_SECRET_TTL_MS = 5_000;
const CACHE_MAX = 1_000;

export interface SigningSecrets {
  /**
   * The secrets the workspace's tokens verify with now: its current one, then the one before it
   * while a rotation's grace period lasts. Null when there is no such workspace.
   */
  secretsOf(workspaceId: string): Promise<string[] | null>;
  /** Drops a cached secret (after a rotation on this instance). */
  forget(workspaceId: string): void;
}

interface Entry {
  current: string;
  previous: string | null;
  /** Until when (ms) the previous secret verifies. */
  previousUntil: number;
  expires: number;
}

export function createSigningSecrets(prisma: PrismaClient, now: () => number = Date.now): SigningSecrets {
  const cache = new Map<string, Entry | { missing: true; expires: number }>();
  return {
    async secretsOf(workspaceId) {
      let entry = cache.get(workspaceId);
      if (!entry || entry.expires <= now()) {
        const workspace = await prisma.workspace.findUnique({
          where: { id: workspaceId },
          select: { tokenSigningSecret: true, previousTokenSigningSecret: true, previousTokenSigningSecretUntil: true },
        });
        entry = workspace
          ? {
              current: workspace.tokenSigningSecret,
              previous: workspace.previousTokenSigningSecret,
              previousUntil: workspace.previousTokenSigningSecretUntil?.getTime() ?? 0,
              expires: now() + SIGNING_SECRET_TTL_MS,
            }
          : { missing: true, expires: now() + SIGNING_SECRET_TTL_MS };
        cache.delete(workspaceId);
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
        cache.set(workspaceId, entry);
      }
      if ('missing' in entry) return null;
      // The grace period is judged at each use, not when the entry was read.
      return entry.previous !== null && entry.previousUntil > now() ? [entry.current, entry.previous] : [entry.current];
    },
    forget(workspaceId) {
      cache.delete(workspaceId);
    },
  };
}
