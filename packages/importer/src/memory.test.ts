// Memory stays flat as a file grows: what the import retains (the heap after a full collection,
// plus typed arrays: fingerprints.ts) after 200,000 rows is within a few megabytes of what it
// retained after 20,000. Held whole, 180,000 more rows would take over 50 MB (a Map of their
// contents alone, about 300 bytes each). A dry run, to stay within seconds: it reads, decodes,
// parses, checks and looks up every batch like an import, and a write holds one batch only.
// The figures for 100,000 and 1,000,000 rows, as processes, are in the README.
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';
import { openAcmeDatabase } from './testing.ts';

// A full collection on demand, without starting the worker with --expose-gc.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

let database: Database;
let workspaceId: string;
beforeAll(async () => {
  ({ database, workspaceId } = await openAcmeDatabase());
});
afterAll(() => database?.close());

/** A tickets export of `count` rows over 5,000 customers, made as it is read: no copy of it is held. */
function tickets(count: number): Readable {
  return Readable.from(
    (function* () {
      yield 'id,org,at,subject,satisfaction\n';
      for (let start = 0; start < count; start += 1_000) {
        let chunk = '';
        for (let i = start; i < Math.min(count, start + 1_000); i++)
          chunk += `${i},org-${i % 5_000},2026-0${1 + (i % 9)}-${10 + (i % 19)}T10:00:00Z,Ticket ${i} about the export,${i % 2 ? 'good' : 'bad'}\n`;
        yield chunk;
      }
    })(),
  );
}

it('retains a few megabytes more after 200,000 rows than after 20,000 (the fingerprints)', async () => {
  const mapping = parseMapping({
    source: 'desk',
    customer: { externalId: 'org' },
    interaction: {
      type: { value: 'support_ticket' },
      occurredAt: 'at',
      comment: 'subject',
      sentiment: { column: 'satisfaction', map: { good: 'LIKED', bad: 'DISLIKED' } },
    },
  });
  const run = (rows: number, onProgress?: (p: { rows: number }) => void) =>
    importCsv({
      sink: directSink(database, { id: workspaceId, slug: 'acme' }, 'PGlite in memory'),
      mapping,
      csv: tickets(rows),
      fileName: 'tickets.csv',
      now: new Date('2026-12-01T00:00:00Z'),
      dryRun: true,
      onProgress,
    });
  // A first run warms up what a process keeps once (compiled code, the database's caches): the
  // heap grew 7 MB over a first 60,000 rows, then not at all.
  await run(60_000);
  const retained = new Map<number, number>();
  const summary = await run(200_000, ({ rows }) => {
    if (rows !== 20_000 && rows !== 200_000) return;
    collect();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    retained.set(rows, heapUsed + arrayBuffers);
  });
  expect(summary).toMatchObject({ rows: 200_000, badCount: 0, interactionsInserted: 200_000, customersCreated: 5_000 });
  const grown = (retained.get(200_000)! - retained.get(20_000)!) / 1_048_576;
  // The fingerprints of 180,000 more rows: about 6 MB (2^19 slots of 12 bytes against 2^15).
  expect(grown).toBeLessThan(10);
}, 60_000);
