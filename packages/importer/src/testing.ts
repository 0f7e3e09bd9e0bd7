// What the import tests start from: a migrated PGlite database in memory holding one empty
// workspace, Acme. Migrated in place rather than copied from a template (@pulso/database/testing):
// the memory test measures what an import retains in a process like the command's.
import { createWorkspace } from '@pulso/core';
import { openDatabase, type Database } from '@pulso/database';

export async function openAcmeDatabase(): Promise<{ database: Database; workspaceId: string }> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
  await database.migrate();
  const { workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
  return { database, workspaceId };
}
