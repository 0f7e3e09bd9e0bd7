// PostGraphile V5 (preset amber, served by grafserv on node:http) over the benchmark database:
// the peer of the dashboard benchmark. It reads the same tables Pulso does; it has no notion of
// API keys, so the workspace is a condition in the query.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { announce } from './items.ts';

// PostGraphile 5.1 (grafast 1.1, @dataplan/pg 1.1) declares Node >= 22 and calls
// Promise.withResolvers, which Node 20 lacks: without it every data query silently answers null
// (no SQL is sent). The standard shape of that function, for this process only.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

const connectionString = process.env.BENCH_DATABASE_URL;
if (!connectionString) throw new Error('BENCH_DATABASE_URL is required');

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  // Pulso's foreign keys lead with the workspace, (workspaceId, customerId), and its interaction
  // index with the customer: PostGraphile hides a relation whose keys no index leads with, though
  // PostgreSQL serves it from that index. The benchmark asks for the same relation Pulso answers.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
await pgl.getSchema();
server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on(
  'SIGTERM',
  () =>
    void Promise.resolve(serv.release())
      .then(() => pgl.release())
      .finally(() => process.exit(0)),
);
