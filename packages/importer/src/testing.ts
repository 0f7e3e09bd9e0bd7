// What the import tests start from: a migrated PGlite database in memory holding one empty
// workspace, Acme, copied from the migrated template (@pulso/database/testing): migrating a fresh
// one took about ten seconds of CPU per file.
import { createWorkspace } from '@pulso/core';
import type { Database } from '@pulso/database';
import { openTestDatabase } from '@pulso/database/testing';
import { afterAll, beforeAll } from 'vitest';
import { directSink } from './direct-sink.ts';
import type { ImportSink } from './sink.ts';

export async function openAcmeDatabase(): Promise<{ database: Database; workspaceId: string }> {
  const { database } = await openTestDatabase('pglite');
  const { workspaceId } = await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
  return { database, workspaceId };
}

/**
 * For a describe block: Acme's database, opened before its tests and closed after them, and a sink
 * writing into it directly, which most import tests write through.
 */
export function acmeImports(): { database: () => Database; workspaceId: () => string; into: () => ImportSink } {
  let opened: { database: Database; workspaceId: string } | undefined;
  beforeAll(async () => {
    opened = await openAcmeDatabase();
  });
  afterAll(() => opened?.database.close());
  const acme = () => {
    if (!opened) throw new Error('acmeImports(): its database opens before the tests of its describe block');
    return opened;
  };
  return {
    database: () => acme().database,
    workspaceId: () => acme().workspaceId,
    into: () => directSink(acme().database, { id: acme().workspaceId, slug: 'acme' }, 'PGlite in memory'),
  };
}
