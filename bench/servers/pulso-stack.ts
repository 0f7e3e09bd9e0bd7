// Pulso's server stack with no database work per request: Pulso's own schema builder (its plugins:
// scope-auth, errors, prisma, relay) gains a bench-only `benchItems` field, and the resulting
// schema — every product type plus that field — is served by createPulsoServer, the very server
// Pulso runs (its yoga plugins and guards). The API key is checked as in production; its lookup
// hits an in-memory PGlite database once, then the server's key cache.
import { openDatabase } from '@pulso/database';
import { createWorkspace } from '@pulso/core';
import { builder } from '../../apps/server/src/builder.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import { createPulsoServer } from '../../apps/server/src/server.ts';
import { announce, items, type Item } from './items.ts';

const ItemRef = builder.objectRef<Item>('BenchItem').implement({
  description: 'A benchmark item.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id.' }),
    name: t.exposeString('name', { description: 'Name.' }),
    score: t.exposeFloat('score', { description: 'Score.' }),
    active: t.exposeBoolean('active', { description: 'Active.' }),
    tags: t.exposeStringList('tags', { description: 'Tags.' }),
  }),
});
builder.queryField('benchItems', (t) =>
  t.field({
    type: [ItemRef],
    description: 'Benchmark items, from memory.',
    authScopes: { read: true },
    resolve: () => items(),
  }),
);
const schema = builder.toSchema();

const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
await database.migrate();
const { secretKey } = await createWorkspace(database.prisma, { slug: 'bench', name: 'Bench' });
// BENCH_TRACING=1: OpenTelemetry on, as main.ts starts it (OTEL_EXPORTER_OTLP_ENDPOINT names the
// benchmark's sink), to measure what tracing every request costs.
const tracing = process.env.BENCH_TRACING === '1';
if (tracing) {
  const { startTracing } = await import('../../apps/server/src/tracing/start-tracing.ts');
  startTracing({ serviceVersion: 'bench' });
}
const server = createPulsoServer({ database, logger: createLogger('silent'), graphiql: false, schema, tracing });
const url = await server.listen(0, '127.0.0.1');
announce(url, `key=${secretKey.key}`);
process.on(
  'SIGTERM',
  () =>
    void server
      .close(1_000)
      .then(() => database.close())
      .then(() => process.exit(0)),
);
