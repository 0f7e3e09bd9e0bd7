// The driver adapter the schema engine uses on a PostgreSQL server.
//
// @prisma/adapter-pg 7.10 cannot describe columns of PostgreSQL's internal one-byte type "char"
// (OID 18), and the schema engine reads such columns (pg_constraint.contype and friends) when it
// inspects a database: every diff fails with "Column type 'char' could not be deserialized".
// The values arrive as one-character strings either way, so this client reports those columns as
// text. It is used for migrations and diffs only; the application's own queries never see "char".
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const CHAR_OID = 18;
const TEXT_OID = 25;

function reportCharAsText<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  return result;
}

class SchemaEngineClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (error: Error | null, result: unknown) => void;
      args[args.length - 1] = (error: Error | null, result: unknown) =>
        callback(error, error ? result : reportCharAsText(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    return (pending instanceof Promise ? pending.then(reportCharAsText) : pending) as never;
  }
}

/** An adapter factory for the schema engine, with `close()` to end its pool afterwards. */
export function postgresSchemaEngineAdapter(url: string): PrismaPg & { close(): Promise<void> } {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    connectionTimeoutMillis: 5_000,
    Client: SchemaEngineClient,
  });
  // An idle connection the server ends (the database dropped, a restart) is an 'error' event on the
  // pool, which would otherwise be an uncaught exception; the pool has discarded that connection.
  pool.on('error', () => {});
  return Object.assign(new PrismaPg(pool), { close: () => pool.end() });
}
