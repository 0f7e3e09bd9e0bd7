// What src/memory.test.ts measures, in a process of its own: the test files of this package share
// their worker (vitest.config.ts, isolate: false), and what an earlier file left settling there
// (a database closing, a server's buffers) showed up as 15 MB "retained" once in CI. Run with
// --expose-gc; prints one line of JSON: the retained megabytes after 20,000 and 120,000 rows and
// the run's summary.
import { Readable } from 'node:stream';
import { parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { importCsv } from './import.ts';
import { openAcmeDatabase } from './testing.ts';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('memory-probe.ts needs node --expose-gc');

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

const { database, workspaceId } = await openAcmeDatabase();
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
// A first run warms up what a process keeps once (compiled code, the database's caches): the heap
// grew 7 MB over a first 30,000 rows, then not at all.
await run(30_000);
const retained: Record<number, number> = {};
const summary = await run(120_000, ({ rows }) => {
  if (rows !== 20_000 && rows !== 120_000) return;
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  retained[rows] = (heapUsed + arrayBuffers) / 1_048_576;
});
await database.close();
process.stdout.write(`${JSON.stringify({ retained, summary })}\n`);
