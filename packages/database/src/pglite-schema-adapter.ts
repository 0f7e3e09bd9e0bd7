// The driver adapter the schema engine uses on PGlite.
//
// pglite-prisma-adapter 0.7.2 (the latest) starts a script without waiting for it: `executeScript`
// calls `exec` and returns at once. PGlite runs statements in turn, so the engine's bookkeeping
// still follows the script, but a script that fails is never seen by the engine — its rejection
// goes unhandled and ends the process with a stack trace instead of the engine's error (a migration
// applied again after a crash printed "column ... already exists" that way). This adapter waits for
// the script and reports its failure the way the adapter reports a failed query.
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type Adapter = Awaited<ReturnType<PrismaPGlite['connect']>>;

export class PGliteSchemaEngineAdapter extends PrismaPGlite {
  constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    // The adapter's own error conversion (DatabaseError → DriverAdapterError) is not exported.
    const reportError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script: string) => {
      try {
        await this.pglite.exec(script);
      } catch (error) {
        reportError(error);
      }
    };
    return adapter;
  }
}
