// graphql-yoga with its defaults over a plain SDL schema: the baseline of the GraphQL-overhead
// benchmark. BENCH_YOGA_JIT=1 adds @envelop/graphql-jit, to see what JIT compilation pays alone.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { announce, items } from './items.ts';

const plugins: Plugin[] = [];
if (process.env.BENCH_YOGA_JIT === '1') {
  // Resolved as the server package resolves it: that package depends on it, the bench does not.
  const fromServer = createRequire(new URL('../../apps/server/package.json', import.meta.url));
  const { useGraphQlJit } = (await import(fromServer.resolve('@envelop/graphql-jit'))) as {
    useGraphQlJit: () => Plugin;
  };
  plugins.push(useGraphQlJit());
}

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type Item { id: ID! name: String! score: Float! active: Boolean! tags: [String!]! }
      type Query { benchItems: [Item!]! }
    `,
    resolvers: { Query: { benchItems: () => items() } },
  }),
  plugins,
  graphiql: false,
  landingPage: false,
  logging: false,
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
