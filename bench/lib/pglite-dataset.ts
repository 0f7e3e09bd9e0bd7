// The benchmark dataset in a PGlite data folder: the same rows as lib/dataset.ts generates on
// PostgreSQL (its set-based SQL runs unchanged on PGlite), scored by the same rescoreWorkspace call.
// Kept in bench/.data/ between runs (marked complete only at the end), rebuilt with --fresh.
// Benchmarks never write into it: they work on a copy (lib/dataset-copy.ts).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@pulso/database';
import { createWorkspace, rescoreWorkspace } from '@pulso/core';
import { generateRows } from './dataset.ts';
import { DAY_MS } from '@pulso/scoring';

export interface PgliteDataset {
  dataDir: string;
  workspaceId: string;
  secretKey: string;
  customers: number;
  interactions: number;
}

export const dataRoot = fileURLToPath(new URL('../.data/', import.meta.url));

export async function pgliteDataset(sizes: {
  customers: number;
  interactions: number;
  fresh: boolean;
}): Promise<PgliteDataset> {
  const dataDir = `${dataRoot}pglite_c${sizes.customers}_i${sizes.interactions}`;
  const marker = `${dataDir}.complete.json`;
  if (!sizes.fresh && existsSync(marker) && existsSync(dataDir)) {
    console.log(`using the existing PGlite benchmark folder ${dataDir} (--fresh rebuilds it)`);
    return {
      dataDir,
      ...(JSON.parse(readFileSync(marker, 'utf8')) as { workspaceId: string; secretKey: string }),
      ...sizes,
    };
  }
  rmSync(marker, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`generating PGlite ${dataDir}: ${sizes.customers} customers, ${sizes.interactions} interactions`);
  const started = Date.now();
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await database.migrate();
    const { workspaceId, secretKey } = await createWorkspace(database.prisma, { slug: 'bench', name: 'Bench' });
    await generateRows(
      { query: (sql, params = []) => database.prisma.$executeRawUnsafe(sql, ...params) },
      workspaceId,
      sizes.customers,
      sizes.interactions,
    );
    console.log(`  rows in ${((Date.now() - started) / 1000).toFixed(1)} s; scoring...`);
    const scoring = Date.now();
    const asOf = new Date();
    await rescoreWorkspace(database.prisma, workspaceId, {
      asOf,
      historyAt: [new Date(asOf.getTime() - 30 * DAY_MS), new Date(asOf.getTime() - 7 * DAY_MS)],
      chunkSize: 1_000,
    });
    await database.prisma.$executeRawUnsafe('ANALYZE');
    console.log(`  scored in ${((Date.now() - scoring) / 1000).toFixed(1)} s`);
    await database.close();
    writeFileSync(marker, JSON.stringify({ workspaceId, secretKey: secretKey.key }));
    return { dataDir, workspaceId, secretKey: secretKey.key, ...sizes };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}
