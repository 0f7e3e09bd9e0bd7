import pg from 'pg';
import { openDatabase } from '@pulso/database';
import { enqueueRescore, rescoreChunk } from '@pulso/core';
const url = 'postgres://postgres@127.0.0.1:5432/pulso_bench_c10000_i1000000';
const client = new pg.Client(url);
await client.connect();
const db = await openDatabase({ kind: 'postgres', url });
const ws = (await client.query('select id from "Workspace" limit 1')).rows[0].id;
const chunk = Number(process.env.CHUNK ?? 200);
for (let r = 0; r < 3; r++) {
  let run = await enqueueRescore(db.prisma, { workspaceId: ws, reason: 'probe' });
  await client.query('select pg_stat_statements_reset()');
  const t0 = performance.now();
  let n = 0;
  for (;;) {
    const next = await rescoreChunk(db.prisma, run, chunk, () => {});
    if (!next) break;
    run = next;
    n++;
  }
  const secs = (performance.now() - t0) / 1000;
  await client.query(`update "RescoreRun" set status='SUCCEEDED', "finishedAt"=now() where id=$1`, [run.id]);
  console.log(`chunk ${chunk} run ${r}: ${n} chunks, ${secs.toFixed(2)} s`);
}
const { rows } = await client.query(
  `select calls, round(total_exec_time::numeric,1) ms, left(regexp_replace(query,'\\s+',' ','g'),90) q from pg_stat_statements where dbid=(select oid from pg_database where datname=current_database()) order by total_exec_time desc limit 4`,
);
for (const r of rows) console.log(r.calls, r.ms, r.q);
await client.end();
await db.close();
process.exit(0);
