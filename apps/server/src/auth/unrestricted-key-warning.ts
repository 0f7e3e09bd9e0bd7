// A publishable key with no allowed origins works from any site: anyone who copies it from a page
// can send ratings in the workspace's name from their own. That is the default (a key must work
// before the company knows its origins), so the server says so where operators look: one warning
// in the log the first time such a key is used from a browser (a request with an Origin header),
// once per key per process, not per request (a busy widget would drown the log).
import type { Logger } from '../logger.ts';
import type { Caller } from './api-key-callers.ts';

/** Keys warned about, at most: beyond, the oldest is forgotten (and may be warned about again). */
const REMEMBERED = 10_000;

/**
 * A function to call with each request's caller, Origin header and logger (the request's, so the
 * line carries its id); it logs when it should.
 */
export function createUnrestrictedKeyWarning() {
  const warned = new Set<string>();
  return function warnIfUnrestricted(caller: Caller | null, origin: string | null, logger: Logger): void {
    if (caller?.kind !== 'PUBLISHABLE' || caller.allowedOrigins.length > 0 || !origin) return;
    if (warned.has(caller.apiKeyId)) return;
    if (warned.size >= REMEMBERED) warned.delete(warned.values().next().value as string);
    warned.add(caller.apiKeyId);
    logger.warn(
      { apiKeyId: caller.apiKeyId, workspaceId: caller.workspaceId, origin },
      'a publishable key that accepts any origin is used from a browser: limit it to your sites (pulso key create --kind publishable --origin https://your.site, then revoke this one)',
    );
  };
}
