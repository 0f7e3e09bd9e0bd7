// GET /admin/backup: a consistent backup of the embedded database this server holds, for
// `pulso db backup` (apps/cli), which cannot open a PGlite folder a server holds. The
// administrator key only; PostgreSQL is backed up with pg_dump instead, so it answers 404 there.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pulso/database';
import type { Logger } from 'pino';
import { AuthenticationError, type Caller } from '../auth/api-key-callers.ts';
import { currentRequest } from './request-log.ts';

export const BACKUP_PATH = '/admin/backup';

/** An attempt refused because its address is over its rate-limit budget. */
export interface RateLimitRefusal {
  reason: string;
  retryAfterSeconds: number;
}

export function createBackupRoute(
  database: Database,
  resolveCaller: (authorization: string | null) => Caller | null | Promise<Caller | null>,
  logger: () => Logger,
  /**
   * Charges the attempt to the request's address before the key is looked at (the answer tells a
   * valid key from a guessed one): why it is refused when the address is over its budget, or null.
   */
  chargeAttempt: (req: IncomingMessage) => Promise<RateLimitRefusal | null> = async () => null,
) {
  const refuse = (res: ServerResponse, status: number, message: string): void => {
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ error: message }));
  };

  return async function backup(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    const limited = await chargeAttempt(req);
    if (limited) {
      res.setHeader('retry-after', String(limited.retryAfterSeconds));
      return refuse(res, 429, limited.reason);
    }
    let caller: Caller | null;
    try {
      caller = await resolveCaller(req.headers.authorization ?? null);
    } catch (error) {
      if (error instanceof AuthenticationError) return refuse(res, 401, error.message);
      throw error;
    }
    const record = currentRequest();
    if (record) record.caller = caller ? caller.kind.toLowerCase() : 'anonymous';
    if (caller?.kind !== 'ADMIN') return refuse(res, 403, 'a backup needs the administrator key');
    if (!database.backup) return refuse(res, 404, 'this server runs on PostgreSQL: back it up with pg_dump');
    const started = performance.now();
    try {
      const tarball = Buffer.from(await (await database.backup()).arrayBuffer());
      res
        .writeHead(200, {
          'content-type': 'application/gzip',
          'content-length': String(tarball.length),
          'cache-control': 'no-store',
        })
        .end(tarball);
      logger().info(
        {
          audit: 'admin',
          credential: caller.apiKeyId,
          action: 'backup',
          bytes: tarball.length,
          ms: Math.round(performance.now() - started),
        },
        'admin: backup',
      );
    } catch (err) {
      logger().error({ audit: 'admin', credential: caller.apiKeyId, action: 'backup', err }, 'admin: backup failed');
      if (!res.headersSent) refuse(res, 500, 'the backup failed: see the server log');
      else res.destroy();
    }
  };
}
