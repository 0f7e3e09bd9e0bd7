// In-memory PGlite databases for tests, used again. Opening one from the migrated template costs
// about 0.35 CPU-seconds (the folder unpacked into PGlite's file system, PostgreSQL started, the
// WebAssembly instantiated) and the suite opened over a hundred; putting one back to the
// template's state costs about 0.05. So a test's `close` resets its database and keeps it for the
// next test of the same thread, and a database is only given out again when that reset is proven
// complete: every table emptied, the session's state discarded, the schema unchanged.
//
// A test keeps no hold on a database it closed: it worked through a lease (a proxy of the PGlite),
// and every call through a lease after its close is refused, so work a test left running in the
// background (a server's queue, a timer) fails there instead of writing into the next test's data.
import type { PGlite } from '@electric-sql/pglite';

/** A reset that has not finished by then is stuck (a transaction left open holds PGlite's lock). */
const RESET_TIMEOUT_MS = 5_000;
/** PostgreSQL's write-ahead log grows in memory between checkpoints: a database serves this many tests. */
const MAX_USES = 25;

interface Pooled {
  pglite: PGlite;
  uses: number;
}

export interface PGliteLease {
  /** The database, for this test only: refused once released. */
  pglite: PGlite;
  /** Ends the lease: the database is reset and kept for another test, or closed. */
  release(): Promise<void>;
}

/** The databases of one thread's tests (testing.ts keeps one), opened by `open` when none is idle. */
export class TestPGlitePool {
  readonly #idle: Pooled[] = [];
  #templateFingerprint: Promise<string> | undefined;

  constructor(
    private readonly open: () => Promise<PGlite>,
    private readonly resetTimeoutMs = RESET_TIMEOUT_MS,
  ) {}

  /** A database in the migrated template's state: a reset one when there is one, else a new one. */
  async lease(): Promise<PGliteLease> {
    let entry = this.#idle.pop();
    if (!entry) {
      entry = { pglite: await this.open(), uses: 0 };
      // A new database is the template's state as it comes: what every reset must match.
      this.#templateFingerprint ??= fingerprint(entry.pglite);
      await this.#templateFingerprint;
    }
    entry.uses++;
    const pooled = entry;
    let released = false;
    const pglite = new Proxy(pooled.pglite, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== 'function') return key === 'closed' && released ? true : value;
        if (released) return () => Promise.reject(new Error('this test database was closed'));
        return value.bind(target);
      },
    });
    return {
      pglite,
      release: async () => {
        if (released) return;
        released = true;
        const verdict = await this.#reset(pooled);
        if (verdict === 'reset') this.#idle.push(pooled);
        // Closing waits for PGlite's lock too: a stuck database is left to the garbage collector.
        else if (verdict === 'stuck') void pooled.pglite.close().catch(() => {});
        else await pooled.pglite.close().catch(() => {});
      },
    };
  }

  /** 'reset' when the database is back in the template's state; else to be closed. */
  async #reset(entry: Pooled): Promise<'reset' | 'discard' | 'stuck'> {
    if (entry.pglite.closed || entry.uses >= MAX_USES) return 'discard';
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => {
      timer = setTimeout(() => resolve('stuck'), this.resetTimeoutMs);
    });
    const reset = resetToTemplate(entry.pglite).then(async (hash) =>
      hash === (await this.#templateFingerprint) ? ('reset' as const) : ('discard' as const),
    );
    try {
      return await Promise.race([reset, stuck]);
    } catch {
      return 'discard';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Empties every table and ends the session's state; resolves with the fingerprint after. */
async function resetToTemplate(pglite: PGlite): Promise<string> {
  // A transaction a test opened with BEGIN and never ended (outside one, only a warning).
  await pglite.exec('ROLLBACK');
  // Session settings, prepared statements, temporary tables, advisory locks, LISTEN.
  await pglite.exec('DISCARD ALL');
  const { rows } = await pglite.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> '_prisma_migrations'`,
  );
  if (rows.length) await pglite.exec(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  return fingerprint(pglite);
}

/**
 * What a test could have changed besides rows: relations and their columns, constraints, indexes,
 * functions, triggers, types and enum labels, sequences' positions, per-database settings, and the
 * migrations recorded. Ordered text hashed in the database itself.
 */
async function fingerprint(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ hash: string }>(`
    SELECT md5(string_agg(item, E'\\n' ORDER BY item)) AS hash FROM (
      SELECT format('rel %s %s %s', c.oid::regclass, c.relkind, c.relpersistence) AS item
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
      UNION ALL
      SELECT format('col %s %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid::regtype, a.attnotnull,
                    a.attisdropped, pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attnum > 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
         AND n.nspname NOT LIKE 'pg_temp%'
      UNION ALL
      SELECT format('con %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) FROM pg_constraint
       WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      UNION ALL
      SELECT format('idx %s', pg_get_indexdef(indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
      UNION ALL
      SELECT format('fn %s %s', p.oid::regprocedure, md5(p.prosrc)) FROM pg_proc p
       WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
      UNION ALL
      SELECT format('trg %s %s %s', tgrelid::regclass, tgname, tgenabled) FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT format('enum %s %s %s', enumtypid::regtype, enumsortorder, enumlabel) FROM pg_enum
      UNION ALL
      SELECT format('type %s %s', t.oid::regtype, t.typtype) FROM pg_type t
       WHERE t.typnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace, 'pg_toast'::regnamespace)
         AND t.typrelid = 0
      UNION ALL
      SELECT format('seq %s %s %s', s.schemaname, s.sequencename, s.last_value) FROM pg_sequences s
      UNION ALL
      SELECT format('set %s %s', setdatabase, setconfig) FROM pg_db_role_setting
      UNION ALL
      SELECT format('ext %s %s', extname, extversion) FROM pg_extension
      UNION ALL
      SELECT format('migration %s %s', migration_name, finished_at IS NOT NULL) FROM _prisma_migrations
    ) items`);
  return rows[0]!.hash;
}
