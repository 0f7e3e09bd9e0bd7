// Liveness and readiness, answered by the Node handler before load shedding and before yoga, so
// that a probe is never refused for the load it is meant to report.
// - /livez: the process answers. No database, no I/O: an orchestrator restarts a process that
//   fails it, and a database outage is no reason to restart every instance.
// - /readyz: this instance can take work now: not shutting down, not shedding, the database
//   answers within READY_TIMEOUT_MS, and every migration this code was built with is applied.
//   Otherwise 503 with a JSON reason; an orchestrator routes around it until it is ready again
//   (while the server drains before it stops, that is what moves its traffic away).
// - /healthz: the same answer as /readyz (the one probe Pulso had before both existed).
import type { ServerResponse } from 'node:http';
import type { PrismaClient } from '@pulso/database';
import type { LoadShedder } from './load-shedding.ts';

/** How long /readyz waits for the database before calling it unavailable: a probe must answer in time. */
export const READY_TIMEOUT_MS = 2_000;

export type ReadyAnswer =
  | { status: 'ok' }
  | { status: 'overloaded'; reason: string }
  | { status: 'unavailable'; reason: 'database' | 'shutting down' }
  | { status: 'unavailable'; reason: 'migrations'; pending: string[] };

export interface ProbeOptions {
  prisma: PrismaClient;
  shedder?: LoadShedder | undefined;
  /** The migration folder names this code expects applied (read once: they ship with the code). */
  expectedMigrations: () => Promise<readonly string[]>;
  /** Added to every answer, so that a probe tells which release answers. */
  version?: string | undefined;
  timeoutMs?: number;
  /** True from the moment the server starts to shut down (its drain included). */
  shuttingDown?: () => boolean;
}

export interface Probes {
  /** Answers a probe path and returns true, or returns false for any other path. */
  handle(path: string, method: string | undefined, res: ServerResponse): boolean;
  /** What /readyz would answer now. */
  ready(): Promise<ReadyAnswer>;
}

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function createProbes({
  prisma,
  shedder,
  expectedMigrations,
  version,
  timeoutMs = READY_TIMEOUT_MS,
  shuttingDown = () => false,
}: ProbeOptions): Probes {
  async function ready(): Promise<ReadyAnswer> {
    if (shuttingDown()) return { status: 'unavailable', reason: 'shutting down' };
    // Cheap and honest while shedding: this instance takes no new work now, and a query would only
    // queue behind the work it has.
    const overloaded = shedder?.state().overloaded;
    if (overloaded) return { status: 'overloaded', reason: overloaded };
    let applied: Set<string>;
    try {
      // One query proves both: the database answers, and which migrations it has finished.
      const rows = await withTimeout(
        prisma.$queryRawUnsafe<{ migration_name: string }[]>(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        ),
        timeoutMs,
      );
      applied = new Set(rows.map((row) => row.migration_name));
    } catch {
      return { status: 'unavailable', reason: 'database' };
    }
    const pending = (await expectedMigrations()).filter((name) => !applied.has(name));
    if (pending.length > 0) return { status: 'unavailable', reason: 'migrations', pending };
    return { status: 'ok' };
  }

  function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
    res.writeHead(status, { ...HEADERS, ...headers }).end(JSON.stringify(version ? { ...body, version } : body));
  }

  return {
    ready,
    handle(path, method, res) {
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (path === '/livez') {
        send(res, 200, { status: 'ok' });
        return true;
      }
      if (path !== '/readyz' && path !== '/healthz') return false;
      void ready().then(
        (answer) =>
          send(
            res,
            answer.status === 'ok' ? 200 : 503,
            answer,
            answer.status === 'overloaded' && shedder ? { 'retry-after': String(shedder.retryAfterSeconds) } : {},
          ),
        () => send(res, 503, { status: 'unavailable', reason: 'database' }),
      );
      return true;
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // A late answer (or failure) of the query is dropped, never left unhandled.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
