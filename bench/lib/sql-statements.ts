// SQL statements per request, read from PostgreSQL's pg_stat_statements: the counters of the
// benchmark database are reset, a few requests are sent one after another, and the calls recorded
// since are divided by the number of requests. Only this database's statements count.
import pg from 'pg';

export interface StatementCount {
  perRequest: number;
  /** The statements seen, most called first (normalised by PostgreSQL). */
  statements: { calls: number; query: string }[];
}

const ENABLE_HINT = `pg_stat_statements is not available, so SQL statements per request are not counted. To enable it:
  psql -U postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  then restart PostgreSQL (e.g. service postgresql restart) and run the benchmark again.`;

let warned = false;

/** Creates the extension in the database; false (with the hint printed once) when the server lacks it. */
export async function enableStatementCounting(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT 1 FROM pg_stat_statements LIMIT 1');
    return true;
  } catch {
    if (!warned) console.warn(ENABLE_HINT);
    warned = true;
    return false;
  } finally {
    await client.end();
  }
}

/**
 * Waits (up to 60 s) until no other session of this database runs a statement: requests a load run
 * left queued on a contender would otherwise be counted as the next contender's statements.
 */
async function waitUntilQuiet(client: pg.Client): Promise<void> {
  const deadline = Date.now() + 60_000;
  let quietChecks = 0;
  while (quietChecks < 3 && Date.now() < deadline) {
    const { rows } = await client.query<{ busy: string }>(
      `SELECT count(*) AS busy FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
    );
    quietChecks = Number(rows[0]!.busy) === 0 ? quietChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `exclude`: a LIKE pattern of statements left out of the count, e.g. a lookup a server caches for a
 * few seconds whatever the load (Pulso's API-key lookup), which 20 requests may or may not meet.
 */
export async function countStatements(
  url: string,
  send: () => Promise<void>,
  requests = 20,
  exclude?: string,
): Promise<StatementCount | null> {
  if (!(await enableStatementCounting(url))) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ oid: number }>(
      'SELECT oid FROM pg_database WHERE datname = current_database()',
    );
    const dbid = rows[0]!.oid;
    await waitUntilQuiet(client);
    // The first request may set up connections and caches: send one before counting.
    await send();
    await client.query('SELECT pg_stat_statements_reset(0, $1, 0)', [dbid]);
    for (let i = 0; i < requests; i++) await send();
    const stats = await client.query<{ calls: string; query: string }>(
      `SELECT calls, query FROM pg_stat_statements
       WHERE dbid = $1 AND query NOT ILIKE '%pg_stat_statements%' AND ($2::text IS NULL OR query NOT LIKE $2)
       ORDER BY calls DESC`,
      [dbid, exclude ?? null],
    );
    const statements = stats.rows.map((r) => ({
      calls: Number(r.calls),
      query: r.query.replace(/\s+/g, ' ').slice(0, 160),
    }));
    return { perRequest: statements.reduce((s, r) => s + r.calls, 0) / requests, statements };
  } finally {
    await client.end();
  }
}
