// Pulso's server configured from the environment the way `npm start` / main.ts does it (loadConfig:
// DATABASE_URL or PULSO_DATA_DIR, rate limits, operation limits), with main.ts's background
// rescoring runner, on a benchmark database that is already migrated and populated. The harness
// sets PULSO_RATE_LIMIT_PER_*=0 (limits off) and says so in the results.
import { openDatabase } from '@pulso/database';
import { RescoreRunner } from '@pulso/core';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import { createPulsoServer } from '../../apps/server/src/server.ts';
import { rescoreRunnerOptions } from '../../apps/server/src/rescore-runner-options.ts';
import { startCpuProfile } from './cpu-profile.ts';
import { announce } from './items.ts';

const writeProfile = await startCpuProfile();

const config = loadConfig();
const database = await openDatabase(config.database);
// As main.ts does: a dataset generated before the latest migrations gets them.
await database.migrate();
const logger = createLogger(config.logLevel);
const rescoreRunner = new RescoreRunner(database.prisma, {
  ...rescoreRunnerOptions(config),
  onError: (err) => logger.error({ err }, 'rescoring failed'),
});
const server = createPulsoServer({
  database,
  logger,
  graphiql: false,
  rateLimits: config.rateLimits,
  limits: config.limits,
  introspection: config.introspection,
  rescoreRunner,
});
announce(await server.listen(0, '127.0.0.1'));
process.on(
  'SIGTERM',
  () =>
    void server
      .close(1_000)
      .then(() => rescoreRunner.stop())
      .then(() => database.close())
      .then(writeProfile)
      .then(() => process.exit(0)),
);
