// The PGlite floor of benchmark 4: PGlite's one connection inserting ratings in a loop, in a
// process of its own on the server core (PGlite runs inside the process that uses it, as it does
// inside Pulso's server). It opens a fresh data folder (BENCH_FLOOR_DIR), prints `ready`, then for
// each line `run <seconds> <tag>` on stdin runs the loop and prints `inserted <rows> <seconds>`.
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { FLOOR_TABLE, insertLoop, type FloorRows } from '../lib/insert-floor.ts';

const dataDir = process.env.BENCH_FLOOR_DIR;
if (!dataDir) throw new Error('BENCH_FLOOR_DIR is required');
const db = await PGlite.create(dataDir);
await db.exec(FLOOR_TABLE);
const rows: FloorRows = {
  workspaceId: randomUUID(),
  typeId: randomUUID(),
  customerIds: Array.from({ length: 10_000 }, () => randomUUID()),
};
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, seconds, tag] = line.split(' ');
  if (command !== 'run') continue;
  const { inserted, elapsed } = await insertLoop([(sql, params) => db.query(sql, params)], rows, tag!, Number(seconds));
  process.stdout.write(`inserted ${inserted} ${elapsed}\n`);
}
await db.close();
