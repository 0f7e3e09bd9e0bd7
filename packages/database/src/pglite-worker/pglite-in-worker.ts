// PGlite in a worker thread of its own. PGlite is PostgreSQL compiled to WebAssembly: in the
// server's thread every statement's execution holds the event loop — HTTP parsing, GraphQL, token
// checks and health probes all wait for it, and on two cores the second sits idle while the first
// does both (bench/RESULTS.md, issue 19: PGlite's engine took about two thirds of the server's
// CPU per rating). Here the engine runs in a worker; the server's thread only sends statements and
// receives rows, and answers other requests meanwhile.
//
// The object below offers the part of PGlite's interface Pulso and its Prisma adapter use: query,
// exec, transaction, dumpDataDir, close and closed. PGlite has one connection: statements take
// turns through one lock here, a transaction holding it from BEGIN to its end, as PGlite's own
// transaction() does. Database errors come back as PGlite's DatabaseError with every field (the
// adapter maps their codes to Prisma's errors: a unique violation stays P2002).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { messages, Mutex, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { WORKER_SOURCE } from './worker-source.ts';

type Parsers = NonNullable<QueryOptions['parsers']>;

interface SentError {
  message: string;
  name?: string;
  stack?: string;
  fields?: Record<string, unknown>;
  databaseError?: boolean;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The embedded database stopped under the server (its thread failed or exited). */
export class EmbeddedDatabaseStoppedError extends Error {
  override readonly name = 'EmbeddedDatabaseStoppedError';
}

function rebuildError(sent: SentError): Error {
  const error = sent.databaseError
    ? new messages.DatabaseError(sent.message, 0, 'error')
    : Object.assign(new Error(sent.message), sent.name ? { name: sent.name } : {});
  Object.assign(error, sent.fields ?? {});
  if (sent.stack) error.stack = sent.stack;
  return error;
}

// The type ids a caller parses itself, per parsers object (the Prisma adapter passes the same one
// with every statement).
const rawTypesOf = new WeakMap<Parsers, number[]>();
function rawTypes(parsers: Parsers): number[] {
  let oids = rawTypesOf.get(parsers);
  if (!oids) {
    oids = Object.keys(parsers).map(Number);
    rawTypesOf.set(parsers, oids);
  }
  return oids;
}

/** Options as they can cross to the worker: parsers become the list of type ids left raw. */
function sendable(options: QueryOptions | undefined): Record<string, unknown> | undefined {
  if (!options) return undefined;
  const { parsers, ...rest } = options;
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value === 'function')
      throw new TypeError(`PGlite's "${key}" option cannot reach the database's worker thread`);
  }
  return parsers ? { ...rest, rawTypes: rawTypes(parsers) } : rest;
}

/** Applies the caller's parsers to the columns the worker left as text. */
function parsed<T>(results: Results<T>, options: QueryOptions | undefined): Results<T> {
  const parsers = options?.parsers;
  if (!parsers || results.rows.length === 0) return results;
  const columns = results.fields
    .map((field, index) => ({ index, name: field.name, oid: field.dataTypeID, parse: parsers[field.dataTypeID] }))
    .filter((c) => c.parse !== undefined);
  if (columns.length === 0) return results;
  const arrays = options?.rowMode === 'array';
  for (const row of results.rows as Record<string | number, unknown>[]) {
    for (const { index, name, oid, parse } of columns) {
      const key = arrays ? index : name;
      const value = row[key];
      // As PGlite calls its parsers: the text, then the type id.
      if (value !== null && value !== undefined)
        row[key] = (parse as (x: string, type: number) => unknown)(value as string, oid);
    }
  }
  return results;
}

export class PGliteInWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #lock = new Mutex();
  #next = 0;
  #stopped: Error | null = null;
  #closed = false;
  #onStopped!: (error: Error) => void;
  /**
   * Settles, with why, when the database stops under its owner: its thread failed or exited
   * without close(). Never when closed. Nothing can bring it back in this process (PostgreSQL's
   * memory went with the thread); its owner decides what to do, the server exits so that a
   * supervisor starts it again (PostgreSQL then recovers the folder as after a crash).
   */
  readonly stopped = new Promise<Error>((resolve) => {
    this.#onStopped = resolve;
  });

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: { id?: number; result?: unknown; error?: SentError }) => {
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.error) pending.reject(rebuildError(message.error));
      else pending.resolve(message.result);
    });
    const stop = (reason: string) => {
      if (this.#closed) return;
      this.#stopped ??= new EmbeddedDatabaseStoppedError(`the embedded database stopped: ${reason}`);
      for (const pending of this.#pending.values()) pending.reject(this.#stopped);
      this.#pending.clear();
      this.#onStopped(this.#stopped);
    };
    worker.on('error', (error) => stop(error.message));
    worker.on('exit', (code) => stop(`its thread exited with code ${code}`));
  }

  /** Opens the database in `dataDir` in a new worker thread; rejects with PGlite's error when it cannot. */
  static async open(dataDir: string): Promise<PGliteInWorker> {
    const pgliteModule = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pgliteModule, dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; failed?: SentError }) => {
        if (message.ready) done(null);
        else if (message.failed) done(rebuildError(message.failed));
      };
      const onError = (error: Error) => done(error);
      const onExit = (code: number) => done(new Error(`the database's thread exited with code ${code} while opening`));
      const done = (error: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new PGliteInWorker(worker);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #call<T>(op: string, args: Record<string, unknown>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('PGlite is closed'));
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, op, ...args });
    });
  }

  async #query<T>(sql: string, params: unknown[] | undefined, options?: QueryOptions): Promise<Results<T>> {
    const results = await this.#call<Results<T>>('query', { sql, params, options: sendable(options) });
    return parsed(results, options);
  }

  async #exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    const results = await this.#call<Results[]>('exec', { sql, options: sendable(options) });
    return results.map((r) => parsed(r, options));
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#lock.runExclusive(() => this.#query<T>(sql, params, options));
  }

  exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    return this.#lock.runExclusive(() => this.#exec(sql, options));
  }

  /** As PGlite's: COMMIT when `callback` resolves, ROLLBACK when it throws or calls `rollback()`. */
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#lock.runExclusive(async () => {
      await this.#exec('BEGIN');
      let closed = false;
      const open = () => {
        if (closed) throw new Error('Transaction is closed');
      };
      const tx = {
        query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
          open();
          return this.#query<R>(sql, params, options);
        },
        exec: async (sql: string, options?: QueryOptions) => {
          open();
          return this.#exec(sql, options);
        },
        rollback: async () => {
          open();
          // Closed at once: a caller that does not await it (Prisma's adapter) must not COMMIT after it.
          closed = true;
          await this.#exec('ROLLBACK');
        },
        get closed() {
          return closed;
        },
      } as unknown as Transaction;
      try {
        const result = await callback(tx);
        if (!closed) {
          closed = true;
          await this.#exec('COMMIT');
        }
        return result;
      } catch (error) {
        if (!closed) {
          closed = true;
          await this.#exec('ROLLBACK');
        }
        throw error;
      }
    });
  }

  /** A tarball of the data folder (PGlite's dumpDataDir); between statements, inside a transaction too. */
  async dumpDataDir(compression?: 'auto' | 'gzip' | 'none'): Promise<File> {
    const { bytes, type } = await this.#call<{ bytes: Uint8Array; type: string }>('dump', { compression });
    return new File([bytes as Uint8Array<ArrayBuffer>], 'pgdata.tar.gz', { type });
  }

  /** Flushes and closes the database, then ends its thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#stopped) await this.#lock.runExclusive(() => this.#call('close', {}));
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  /** This object where PGlite's type is expected (the Prisma adapter, migrations, backups). */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}
