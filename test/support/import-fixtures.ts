// What the CLI's import tests start from (apps/cli, packages/importer): a data folder an earlier
// Pulso migrated, holding the workspace Acme, and a mapping of plain NPS exports.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '@pulso/core';
import { openMigratedPGliteFolder } from '@pulso/database/testing';

/** Makes `dataDir` a migrated PGlite folder with the workspace Acme (slug `acme`), closed again. */
export async function acmeFolder(dataDir: string): Promise<void> {
  const database = await openMigratedPGliteFolder(dataDir);
  try {
    await createWorkspace(database.prisma, { slug: 'acme', name: 'Acme' });
  } finally {
    await database.close();
  }
}

/** Writes `nps.json` into `dir`: NPS answers with columns id, name, at and score. */
export function writeNpsMapping(dir: string): void {
  writeFileSync(
    join(dir, 'nps.json'),
    JSON.stringify({
      source: 'nps',
      customer: { externalId: 'id', name: 'name' },
      interaction: { type: { value: 'nps' }, occurredAt: 'at', value: 'score' },
    }),
  );
}

/**
 * Watches a command's output and sends it `signal` the first time the output holds `text` (an
 * import stopped at a stage: "Importing <file>", "history:"); `sent` says whether it came.
 */
export function signalOnceSeen(text: string, signal: NodeJS.Signals) {
  const watcher = {
    sent: false,
    watch(output: string, child: ChildProcess): void {
      if (watcher.sent || !output.includes(text)) return;
      watcher.sent = true;
      child.kill(signal);
    },
  };
  return watcher;
}
