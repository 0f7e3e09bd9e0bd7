// What the import tests start from: a migrated PGlite database in memory holding one empty
// workspace, Acme, copied from the migrated template (@pulso/database/testing): migrating a fresh
// one took about ten seconds of CPU per file.
import { createWorkspace } from '@pulso/core';
import type { Database } from '@pulso/database';
import { openTestDatabase } from '@pulso/database/testing';

export async function openAcmeDatabase(): Promise<{ database: Database; workspaceId: string }> {
  const { database } = await openTestDatabase('pglite');
  const { workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
  return { database, workspaceId };
}
