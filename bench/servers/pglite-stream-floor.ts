// The PGlite floor of the time-ordered ingestion benchmark, in a process of its own on the server
// core (PGlite runs inside the process that uses it, as it does inside Pulso's server): a fresh
// data folder (BENCH_FLOOR_DIR), the stream of BENCH_STREAM (JSON: sizes, end, batch size)
// inserted by lib/batch-insert-floor.ts over PGlite's one connection; prints `timings <json>`.
import { PGlite } from '@electric-sql/pglite';
import { insertStream } from '../lib/batch-insert-floor.ts';
import { FLOOR_TABLE } from '../lib/insert-floor.ts';
import { interactionStream, type StreamSizes } from '../lib/interaction-stream.ts';

const dataDir = process.env.BENCH_FLOOR_DIR;
if (!dataDir || !process.env.BENCH_STREAM) throw new Error('BENCH_FLOOR_DIR and BENCH_STREAM are required');
const { sizes, end, batchSize } = JSON.parse(process.env.BENCH_STREAM) as {
  sizes: StreamSizes;
  end: number;
  batchSize: number;
};
const { interactions } = interactionStream(sizes, end);
const db = await PGlite.create(dataDir);
await db.exec(FLOOR_TABLE);
const timings = await insertStream([(sql, params) => db.query(sql, params)], interactions, batchSize);
await db.close();
process.stdout.write(`timings ${JSON.stringify(timings)}\n`);
