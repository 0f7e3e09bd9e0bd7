// Pulso's server as `npm start` runs it on PostgreSQL (createPulsoServer over its own schema), on the
// benchmark database. The API key comes from the harness, which created the workspace.
import { openDatabase } from '@pulso/database';
import { createLogger } from '../../apps/server/src/logger.ts';
import { createPulsoServer } from '../../apps/server/src/server.ts';
import { startCpuProfile } from './cpu-profile.ts';
import { announce } from './items.ts';

const writeProfile = await startCpuProfile();

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is required');
const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
const server = createPulsoServer({ database, logger: createLogger('silent'), graphiql: false });
announce(await server.listen(0, '127.0.0.1'));
process.on(
  'SIGTERM',
  () =>
    void server
      .close(1_000)
      .then(() => database.close())
      .then(writeProfile)
      .then(() => process.exit(0)),
);
