// Starts Pulso: reads the configuration, opens and migrates the database, seeds the demo workspace
// on first run, serves HTTP, and shuts down cleanly on SIGINT/SIGTERM.
import { issueAdminKey } from '@pulso/api-keys';
import {
  DataFolderInUseError,
  DatabaseUnreachableError,
  describeTarget,
  openDatabase,
  removeLocalAdmin,
  writeLocalAdmin,
  type Database,
} from '@pulso/database';
import { DEMO_WORKSPACE_SLUG } from '@pulso/demo-data';
import { pulsoVersion } from '@pulso/version';
import { WebhookWorker } from '@pulso/webhooks';
import {
  failInterruptedEvaluations,
  RescoreRunner,
  startRescoreSchedule,
  upgradeWorkspacesToModelV2,
} from '@pulso/core';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { PulsoMetrics } from './metrics/pulso-metrics.ts';
import { ensureDemoWorkspace } from './demo.ts';
import { createWorkspaceCommand, firstWorkspaceHint } from './first-workspace.ts';
import { startBanner } from './start-banner.ts';
import { createLogger, defaultLogFormat, StdoutLines } from './logger.ts';
import { checkRedis } from './pubsub.ts';
import { createPulsoServer } from './server.ts';
import { rescoreRunnerOptions } from './rescore-runner-options.ts';

function fail(lines: string[], code = 1): never {
  for (const line of lines) process.stderr.write(`pulso: ${line}\n`);
  process.exit(code);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.problems.map((p) => `configuration error: ${p}`));
  throw error;
}

if (config.redisUrl) {
  try {
    await checkRedis(config.redisUrl);
  } catch (error) {
    // Refused rather than started without it: an instance started alone would keep its own rate
    // limits and live events while the others share theirs, and a mistyped REDIS_URL would go
    // unnoticed. Instances already running go on through an outage (pubsub.ts, rate-limits.ts).
    // The URL may carry a password: name the host only.
    fail([
      `REDIS_URL: cannot reach Redis at ${new URL(config.redisUrl).host} (${(error as Error).message}): start it, or correct REDIS_URL (instances already running go on without it, and share again once it is back); a single instance may unset REDIS_URL to keep live events and rate limits in memory`,
    ]);
  }
}

// The logs, the demo's progress and the start banner share one destination, which writes in order
// what it is given (logger.ts): the banner cannot overtake a log line written before it.
const stdout = new StdoutLines();
const logger = createLogger(
  config.logLevel,
  config.logFormat ?? defaultLogFormat(process.env, process.stdout.isTTY),
  stdout,
);

// Traces only when an OTLP endpoint is set: the SDK is imported then, and only then (start-tracing.ts).
const tracing =
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
    ? (await import('./tracing/start-tracing.ts')).startTracing({ serviceVersion: pulsoVersion() })
    : undefined;
// One set of metrics for the process: the server, the rescoring runner and the webhook worker count into it.
const metrics = new PulsoMetrics();
let database: Database;
try {
  database = await openDatabase(config.database);
} catch (error) {
  if (error instanceof DatabaseUnreachableError) {
    fail([`${config.database.kind === 'postgres' ? 'DATABASE_URL' : 'PULSO_DATA_DIR'}: ${error.message}`]);
  }
  if (error instanceof DataFolderInUseError) fail([error.message]);
  throw error;
}

let demoKeys: string[] = [];
try {
  const applied = await database.migrate((migration, as) =>
    logger.warn(
      { migration, settledAs: as },
      as === 'applied'
        ? 'a stopped process left this migration unfinished with its changes in the database: marked applied'
        : 'a stopped process left this migration unfinished before its changes: applied again',
    ),
  );
  // The names of a first start's migrations would make one line of several hundred characters:
  // their count and the last one at info, each name at debug.
  if (applied.length) {
    logger.info({ count: applied.length, latest: applied.at(-1) }, 'applied database migrations');
    logger.debug({ applied }, 'applied database migrations (names)');
  }
  // Workspaces still on model v1 move to v2 once, as a model change with its history recomputed
  // (the rescoring runner picks the queued runs up once it starts).
  const upgraded = await upgradeWorkspacesToModelV2(database.prisma);
  if (upgraded) logger.info({ upgraded }, 'workspaces moved to scoring model v2 (history being recomputed)');
  if (config.seedDemo)
    demoKeys = await ensureDemoWorkspace(database.prisma, config, (line) => stdout.write(`${line}\n`));
  // Evaluations run in the background of the process that accepted them: one that a stopped
  // process left unfinished is marked failed, so nobody waits on it.
  const interrupted = await failInterruptedEvaluations(database.prisma);
  if (interrupted)
    logger.warn({ interrupted }, 'model evaluations left unfinished by a stopped process were marked failed');
} catch (error) {
  await database.close().catch(() => {});
  fail([
    `could not prepare ${describeTarget(config.database)}: ${error instanceof Error ? error.message : String(error)}`,
  ]);
}

// Rescoring runs in the background of this process (configured before the server, which listens
// to it for live events): runs left unfinished by a previous process resume once the server
// listens, and the schedule queues a rescoring of every workspace as configured.
const runner = new RescoreRunner(database.prisma, {
  ...rescoreRunnerOptions(config),
  metrics: metrics.rescore,
  onChunk: (run) => logger.debug({ run: run.id, done: run.done, total: run.total }, 'rescoring'),
  onError: (err, run) => logger.error({ err, run: run?.id }, 'rescoring failed'),
});
// Webhook events written with score changes are delivered in the background; API writes (through
// the server) and rescoring chunks wake the worker after they commit, the poll finds the rest.
const webhooks = new WebhookWorker(database.prisma, {
  pollIntervalMs: config.webhooks.pollIntervalMs,
  timeoutMs: config.webhooks.timeoutMs,
  retry: { baseMs: config.webhooks.retryBaseMs, giveUpAfterMs: config.webhooks.giveUpAfterMs },
  addresses: { allowPrivateAddresses: config.webhooks.allowPrivateAddresses },
  // A PGlite folder has one process: claims left by a killed one are ours to drop at once.
  releaseClaimsAtStart: config.database.kind === 'pglite',
  metrics: metrics.webhooks,
  onAttempt: (a) =>
    logger[a.status === 'DELIVERED' ? 'debug' : 'warn'](
      { event: a.messageId, endpoint: a.endpointId, attempt: a.attempt, status: a.status, error: a.result.error },
      'webhook attempt',
    ),
  onError: (err) => logger.error({ err }, 'webhook delivery failed'),
});
runner.onScoreChanges(() => webhooks.kick());
// On a PGlite folder the `pulso` command cannot open the folder beside this process: it asks this
// server instead, with a key made for this start and left beside the folder (local-admin-file.ts).
const dataFolder =
  config.database.kind === 'pglite' && !config.database.dataDir.startsWith('memory://')
    ? config.database.dataDir
    : undefined;
const localAdminKey = dataFolder ? issueAdminKey() : undefined;
const server = createPulsoServer({
  database,
  logger,
  graphiql: config.graphiql,
  redisUrl: config.redisUrl,
  redisPrefix: config.redisPrefix,
  rateLimits: config.rateLimits,
  maxStreamsPerCredential: config.maxStreamsPerCredential,
  limits: config.limits,
  introspection: config.introspection,
  loadShedding: config.loadShedding,
  webhookAddresses: { allowPrivateAddresses: config.webhooks.allowPrivateAddresses },
  createWorkspaceCommand: createWorkspaceCommand(config.database),
  onScoreChanges: () => webhooks.kick(),
  rescoreRunner: runner,
  adminKeys: { configured: config.adminKey, local: localAdminKey },
  metrics,
  metricsToken: config.metrics.token,
  tracing: tracing !== undefined,
});
let url: string;
try {
  url = await server.listen(config.port, config.host);
} catch (error) {
  await database.close().catch(() => {});
  const { code } = error as NodeJS.ErrnoException;
  fail([
    code === 'EADDRINUSE'
      ? `PORT: ${config.port} is already in use on ${config.host}`
      : `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  ]);
}

let metricsUrl: string | undefined;
if (config.metrics.port !== undefined) {
  try {
    metricsUrl = `${await server.listenMetrics(config.metrics.port, config.metrics.host)}/metrics`;
  } catch (error) {
    await server.close(0).catch(() => {});
    await database.close().catch(() => {});
    fail([
      `PULSO_METRICS_PORT: cannot listen on ${config.metrics.host}:${config.metrics.port}: ${(error as Error).message}`,
    ]);
  }
}

if (dataFolder && localAdminKey)
  writeLocalAdmin(dataFolder, { pid: process.pid, url: loopback(url), key: localAdminKey });

const workspaces = await database.prisma.workspace.count();
const hasDemo = (await database.prisma.workspace.count({ where: { slug: DEMO_WORKSPACE_SLUG } })) > 0;

/** Where Prometheus reads the metrics, if anywhere, and whether traces go out. */
function observabilityLines(): string[] {
  const where = [metricsUrl, config.metrics.token ? `${url}/metrics (with PULSO_METRICS_TOKEN)` : undefined].filter(
    Boolean,
  );
  const lines = where.length ? [`  Metrics:  ${where.join(', ')}`] : [];
  if (tracing)
    lines.push(
      `  Traces:   OTLP to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()}`,
    );
  return lines;
}

await webhooks.start().catch((err: unknown) => logger.error({ err }, 'webhook delivery could not start'));

// Without a schedule, the runner still picks up work queued before this start.
if (config.rescoreIntervalMs === 0) runner.kick();
const schedule =
  config.rescoreIntervalMs > 0
    ? startRescoreSchedule(database.prisma, {
        intervalMs: config.rescoreIntervalMs,
        runner,
        onError: (err) => logger.error({ err }, 'rescoring schedule failed'),
      })
    : null;

let stopping = false;
/** Stops serving, lets the work in progress end, closes the database and exits: 0 after a signal. */
async function stop(signal: NodeJS.Signals | null, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  logger.info(signal ? { signal } : {}, 'shutting down');
  try {
    await server.close(config.shutdownTimeoutMs, config.shutdownDrainMs);
    if (dataFolder) removeLocalAdmin(dataFolder);
    await webhooks.stop();
    // The chunk in progress commits; the run resumes at the next start.
    await schedule?.stop();
    await runner.stop();
    await database.close();
    // The spans still buffered go out before the process ends.
    await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'traces could not be flushed'));
    logger.info('stopped');
    process.exit(exitCode);
  } catch (error) {
    logger.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
// Not `stop` itself: Node passes a signal's listener the signal's number too.
process.on('SIGINT', (signal) => stop(signal));
process.on('SIGTERM', (signal) => stop(signal));
// The embedded database's thread gone (PGlite failing inside, out of memory): this process cannot
// answer anything any more, yet /livez would say it is alive, and nothing would start it again.
// Exiting with an error lets a supervisor (systemd, an orchestrator, `npm start` in a loop) start
// it again; PGlite recovers its folder at the next start as PostgreSQL does after a crash.
void database.stopped?.then((error) => {
  logger.fatal({ err: error }, 'the embedded database stopped: exiting so that Pulso can be started again');
  void stop(null, 1);
});

logger.info(
  { url, database: describeTarget(config.database), version: pulsoVersion(), metrics: metricsUrl, tracing: !!tracing },
  'listening',
);
// Last (after the signal handlers: a Ctrl-C as soon as the URL shows stops cleanly), and in one
// write, so that whoever waits for the URL gets the keys and the hint with it.
stdout.write(
  startBanner({
    database: describeTarget(config.database),
    version: pulsoVersion(),
    url,
    hasDemo,
    observability: observabilityLines(),
    keys: demoKeys,
    firstWorkspaceHint: workspaces === 0 ? firstWorkspaceHint(config.database) : undefined,
  }),
);
stdout.serving();

/** The URL the `pulso` command on this machine reaches the server at (a wildcard host is not one). */
function loopback(listening: string): string {
  const parsed = new URL(listening);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed.origin;
}
