// Configuration comes from environment variables only, validated at start: every problem is
// reported on its own line, and the server does not start with any of them.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { isAdminKey } from '@pulso/api-keys';
import { databaseTargetFromEnv, type DatabaseTarget } from '@pulso/database';
import { DEFAULT_OPERATION_LIMITS as LIMITS, type OperationLimits } from './plugins/operation-limits.ts';
import { DEFAULT_LOAD_SHEDDING as SHEDDING, type LoadSheddingOptions } from './http/load-shedding.ts';
import { redisUrlProblem } from './redis-options.ts';

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * PULSO_LOG_FORMAT: `json` (one object a line) or `pretty` (for a person at a terminal); unset,
   * pretty when stdout is a terminal outside production, JSON otherwise (logger.ts, defaultLogFormat).
   */
  logFormat: 'json' | 'pretty' | undefined;
  /** Seed the demo workspace when the database has no workspace yet (default on, off when NODE_ENV=production). */
  seedDemo: boolean;
  /**
   * PULSO_ADMIN_KEY: the instance administrator key (pulso_ak_ + 32 to 128 letters and digits),
   * opening the admin GraphQL fields (workspaces and their keys); unset, they refuse everyone.
   */
  adminKey: string | undefined;
  demoSecretKey: string | undefined;
  demoPublishableKey: string | undefined;
  /** PULSO_GRAPHIQL: serve GraphiQL (default on unless NODE_ENV=production). */
  graphiql: boolean;
  /** PULSO_INTROSPECTION: answer introspection queries (default on unless NODE_ENV=production). */
  introspection: boolean;
  /** PULSO_MAX_DEPTH, PULSO_MAX_ALIASES, PULSO_MAX_TOKENS, PULSO_MAX_COST, PULSO_MAX_BODY_BYTES (operation-limits.ts). */
  limits: Pick<OperationLimits, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxCost' | 'maxBodyBytes'>;
  /** How long a shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /**
   * How long a stopping server keeps serving while /readyz says 503, before it stops accepting: at
   * least a load balancer's health-check interval, so that it moves the traffic away first.
   */
  shutdownDrainMs: number;
  /** PULSO_MAX_STREAMS_PER_CREDENTIAL: live streams one key or view token may hold open (0: no limit). */
  maxStreamsPerCredential: number;
  /**
   * PULSO_RESCORE_INTERVAL_MINUTES: every customer of every workspace is rescored "as of now" this
   * often (default 1440, daily), so silence and decay show without new interactions; 0 turns the
   * schedule off (on-demand rescoring still works). At most 10080 (a week).
   * PULSO_RESCORE_INTERVAL_SECONDS: the same in seconds (1 to 604800), for tests and demos that
   * cannot wait minutes; set one or the other. Intervals are aligned to the clock (a daily one
   * starts at 00:00 UTC), so instances sharing a database agree on them. 0 when off.
   */
  rescoreIntervalMs: number;
  /**
   * PULSO_BACKFILL_QUIET_SECONDS: a history backfill (interactions recorded for the past) starts once
   * no backdated write has joined it for this long (default 10; 0 = at once), and at the latest 10
   * minutes after the write that queued it: an import or a replayed stream has its history written
   * once rather than rewritten between its batches. 0 to 3600.
   */
  backfillQuietMs: number;
  /** Redis for live events shared by several instances; in memory when unset. */
  redisUrl: string | undefined;
  /** PULSO_REDIS_PREFIX: before every Redis key and channel (default "pulso"), so deployments can share a Redis. */
  redisPrefix: string;
  /**
   * Webhook delivery (@pulso/webhooks): PULSO_WEBHOOK_POLL_INTERVAL_MS (default 1000) between looks
   * for due events, PULSO_WEBHOOK_TIMEOUT_MS (default 10000) for an endpoint to answer,
   * PULSO_WEBHOOK_RETRY_BASE_MS (default 5000) before the first retry (doubling, at most an hour),
   * PULSO_WEBHOOK_GIVE_UP_HOURS (default 72) of retries before an event is FAILED,
   * PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES (default false): let endpoints on loopback, private and
   * link-local addresses receive webhooks (a self-hosted Pulso whose receivers are on its network;
   * refused otherwise, against server-side request forgery).
   */
  webhooks: {
    pollIntervalMs: number;
    timeoutMs: number;
    retryBaseMs: number;
    giveUpAfterMs: number;
    allowPrivateAddresses: boolean;
  };
  /**
   * Operations (root fields) a minute per API key, per client address and per customer token, 0 for
   * none (PULSO_RATE_LIMIT_PER_*); trustProxy (PULSO_TRUST_PROXY) takes the client address from
   * X-Forwarded-For. Shared through REDIS_URL when set.
   */
  rateLimits: { perKey: number; perAddress: number; perCustomerToken: number; trustProxy: boolean };
  /**
   * Beyond capacity new requests get 503 + Retry-After before any work starts (load-shedding.ts):
   * PULSO_MAX_REQUESTS_IN_FLIGHT (default 1000) and PULSO_MAX_EVENT_LOOP_DELAY_MS (default 500),
   * each off at 0.
   */
  loadShedding: LoadSheddingOptions;
  /**
   * Prometheus metrics (http/metrics-route.ts): PULSO_METRICS_TOKEN (16 to 256 visible characters)
   * opens /metrics on the public port to `Authorization: Bearer <token>`; PULSO_METRICS_PORT serves
   * /metrics on a listener of its own, on PULSO_METRICS_HOST (default 127.0.0.1). Neither: /metrics
   * is not served (404).
   */
  metrics: { token: string | undefined; port: number | undefined; host: string };
}

const flag = <F extends boolean | undefined>(name: string, fallback: F) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      if (/^(1|true|yes|on)$/i.test(value)) return true;
      if (/^(0|false|no|off)$/i.test(value)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${value}"` });
      return z.NEVER;
    });

const integer = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number from ${min} to ${max}, got "${value}"`,
        });
        return z.NEVER;
      }
      return n;
    });

const optionalKey = (name: string, prefix: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      if (!new RegExp(`^${prefix}[0-9A-Za-z]{16,128}$`).test(value)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be ${prefix} followed by 16 to 128 letters and digits` });
        return z.NEVER;
      }
      return value;
    });

const envSchema = z.object({
  PORT: integer('PORT', 4000, 0, 65535),
  HOST: z
    .string()
    .optional()
    .transform((v) => v?.trim() || '127.0.0.1'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: (issue) =>
        `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${String(issue.input)}"`,
    })
    .optional()
    .transform((v) => v ?? 'info'),
  PULSO_LOG_FORMAT: z
    .enum(['json', 'pretty'], {
      error: (issue) => `PULSO_LOG_FORMAT must be json or pretty, got "${String(issue.input)}"`,
    })
    .optional(),
  // Unset, it follows NODE_ENV (see loadConfig): a production instance starts empty.
  PULSO_SEED_DEMO: flag('PULSO_SEED_DEMO', undefined),
  PULSO_ADMIN_KEY: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || isAdminKey(v), {
      message:
        'PULSO_ADMIN_KEY must be pulso_ak_ followed by 32 to 128 letters and digits (e.g. pulso_ak_$(openssl rand -hex 32))',
    }),
  // Unset, these follow NODE_ENV (see loadConfig): off in production, where the schema is not for browsing.
  PULSO_GRAPHIQL: flag('PULSO_GRAPHIQL', undefined),
  PULSO_INTROSPECTION: flag('PULSO_INTROSPECTION', undefined),
  PULSO_MAX_DEPTH: integer('PULSO_MAX_DEPTH', LIMITS.maxDepth, 1, 1_000),
  PULSO_MAX_ALIASES: integer('PULSO_MAX_ALIASES', LIMITS.maxAliases, 0, 100_000),
  PULSO_MAX_TOKENS: integer('PULSO_MAX_TOKENS', LIMITS.maxTokens, 1, 10_000_000),
  PULSO_MAX_COST: integer('PULSO_MAX_COST', LIMITS.maxCost, 1, 1_000_000_000),
  PULSO_MAX_BODY_BYTES: integer('PULSO_MAX_BODY_BYTES', LIMITS.maxBodyBytes, 1_024, 104_857_600),
  PULSO_DEMO_SECRET_KEY: optionalKey('PULSO_DEMO_SECRET_KEY', 'pulso_sk_'),
  PULSO_DEMO_PUBLISHABLE_KEY: optionalKey('PULSO_DEMO_PUBLISHABLE_KEY', 'pulso_pk_'),
  PULSO_SHUTDOWN_TIMEOUT_MS: integer('PULSO_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
  PULSO_SHUTDOWN_DRAIN_MS: integer('PULSO_SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
  PULSO_MAX_STREAMS_PER_CREDENTIAL: integer('PULSO_MAX_STREAMS_PER_CREDENTIAL', 100, 0, 1_000_000),
  PULSO_RESCORE_INTERVAL_MINUTES: integer('PULSO_RESCORE_INTERVAL_MINUTES', 1440, 0, 10_080),
  // 0 stands for unset: the schedule then follows PULSO_RESCORE_INTERVAL_MINUTES.
  PULSO_RESCORE_INTERVAL_SECONDS: integer('PULSO_RESCORE_INTERVAL_SECONDS', 0, 1, 604_800),
  PULSO_BACKFILL_QUIET_SECONDS: integer('PULSO_BACKFILL_QUIET_SECONDS', 10, 0, 3_600),
  // A busy product page rates through one publishable key from many customers: the key's budget is
  // wide, an address's narrower (a shared office NAT still fits), a customer token's a human's pace.
  PULSO_RATE_LIMIT_PER_KEY: integer('PULSO_RATE_LIMIT_PER_KEY', 6_000, 0, 10_000_000),
  PULSO_RATE_LIMIT_PER_ADDRESS: integer('PULSO_RATE_LIMIT_PER_ADDRESS', 600, 0, 10_000_000),
  PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN: integer('PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN', 30, 0, 10_000_000),
  PULSO_TRUST_PROXY: flag('PULSO_TRUST_PROXY', false),
  PULSO_WEBHOOK_POLL_INTERVAL_MS: integer('PULSO_WEBHOOK_POLL_INTERVAL_MS', 1_000, 10, 600_000),
  PULSO_WEBHOOK_TIMEOUT_MS: integer('PULSO_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
  PULSO_WEBHOOK_RETRY_BASE_MS: integer('PULSO_WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
  PULSO_WEBHOOK_GIVE_UP_HOURS: integer('PULSO_WEBHOOK_GIVE_UP_HOURS', 72, 1, 720),
  PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: flag('PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES', false),
  PULSO_MAX_REQUESTS_IN_FLIGHT: integer('PULSO_MAX_REQUESTS_IN_FLIGHT', SHEDDING.maxRequestsInFlight, 0, 1_000_000),
  PULSO_MAX_EVENT_LOOP_DELAY_MS: integer('PULSO_MAX_EVENT_LOOP_DELAY_MS', SHEDDING.maxEventLoopDelayMs, 0, 600_000),
  PULSO_METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || /^[\x21-\x7e]{16,256}$/.test(v), {
      message: 'PULSO_METRICS_TOKEN must be 16 to 256 visible characters without spaces (e.g. $(openssl rand -hex 32))',
    }),
  // 0 stands for unset: no listener of its own.
  PULSO_METRICS_PORT: integer('PULSO_METRICS_PORT', 0, 1, 65535),
  PULSO_METRICS_HOST: z
    .string()
    .optional()
    .transform((v) => v?.trim() || '127.0.0.1'),
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v), {
      message:
        'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), or unset for in-memory live events',
    })
    .superRefine((v, ctx) => {
      const problem = v === undefined || !/^rediss?:\/\//.test(v) ? null : redisUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `REDIS_URL: ${problem}` });
    }),
  PULSO_REDIS_PREFIX: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'pulso')
    .refine((v) => /^[A-Za-z0-9_.-]{1,64}$/.test(v), {
      message: 'PULSO_REDIS_PREFIX must be 1 to 64 letters, digits, "_", "." or "-" (e.g. pulso-staging)',
    }),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v?.trim() || /^postgres(ql)?:\/\//.test(v.trim()), {
      message: 'DATABASE_URL must be a postgres:// or postgresql:// connection string',
    }),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Whether the data folder can be written: the folder itself, or, before it exists, the nearest
 * folder above it that does (the database creates it later, its owner's alone). Checked without
 * creating anything: a start refused for another setting left an empty folder behind.
 */
function checkWritableFolder(dir: string): string | null {
  try {
    let existing = resolve(dir);
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    if (!statSync(existing).isDirectory())
      throw Object.assign(new Error(`${existing} is not a folder`), { code: 'ENOTDIR' });
    accessSync(existing, constants.W_OK);
    return null;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return `PULSO_DATA_DIR: cannot write to the data folder ${dir} (${code ?? message})`;
  }
}

/** Reads and checks the configuration; throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  const database = databaseTargetFromEnv(env);
  if (database.kind === 'pglite' && !database.dataDir.startsWith('memory://')) {
    const problem = checkWritableFolder(database.dataDir);
    if (problem) problems.push(problem);
  }
  if (env.PULSO_RESCORE_INTERVAL_MINUTES?.trim() && env.PULSO_RESCORE_INTERVAL_SECONDS?.trim()) {
    problems.push('PULSO_RESCORE_INTERVAL_MINUTES and PULSO_RESCORE_INTERVAL_SECONDS are both set: set one of them');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    logLevel: e.LOG_LEVEL,
    logFormat: e.PULSO_LOG_FORMAT,
    seedDemo: e.PULSO_SEED_DEMO ?? env.NODE_ENV !== 'production',
    adminKey: e.PULSO_ADMIN_KEY,
    demoSecretKey: e.PULSO_DEMO_SECRET_KEY,
    demoPublishableKey: e.PULSO_DEMO_PUBLISHABLE_KEY,
    graphiql: e.PULSO_GRAPHIQL ?? env.NODE_ENV !== 'production',
    introspection: e.PULSO_INTROSPECTION ?? env.NODE_ENV !== 'production',
    limits: {
      maxDepth: e.PULSO_MAX_DEPTH,
      maxAliases: e.PULSO_MAX_ALIASES,
      maxTokens: e.PULSO_MAX_TOKENS,
      maxCost: e.PULSO_MAX_COST,
      maxBodyBytes: e.PULSO_MAX_BODY_BYTES,
    },
    shutdownTimeoutMs: e.PULSO_SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.PULSO_SHUTDOWN_DRAIN_MS,
    maxStreamsPerCredential: e.PULSO_MAX_STREAMS_PER_CREDENTIAL,
    rescoreIntervalMs:
      e.PULSO_RESCORE_INTERVAL_SECONDS > 0
        ? e.PULSO_RESCORE_INTERVAL_SECONDS * 1000
        : e.PULSO_RESCORE_INTERVAL_MINUTES * 60_000,
    backfillQuietMs: e.PULSO_BACKFILL_QUIET_SECONDS * 1000,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PULSO_REDIS_PREFIX,
    webhooks: {
      pollIntervalMs: e.PULSO_WEBHOOK_POLL_INTERVAL_MS,
      timeoutMs: e.PULSO_WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.PULSO_WEBHOOK_RETRY_BASE_MS,
      giveUpAfterMs: e.PULSO_WEBHOOK_GIVE_UP_HOURS * 60 * 60 * 1000,
      allowPrivateAddresses: e.PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
    },
    rateLimits: {
      perKey: e.PULSO_RATE_LIMIT_PER_KEY,
      perAddress: e.PULSO_RATE_LIMIT_PER_ADDRESS,
      perCustomerToken: e.PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN,
      trustProxy: e.PULSO_TRUST_PROXY,
    },
    loadShedding: {
      maxRequestsInFlight: e.PULSO_MAX_REQUESTS_IN_FLIGHT,
      maxEventLoopDelayMs: e.PULSO_MAX_EVENT_LOOP_DELAY_MS,
    },
    metrics: {
      token: e.PULSO_METRICS_TOKEN,
      port: e.PULSO_METRICS_PORT > 0 ? e.PULSO_METRICS_PORT : undefined,
      host: e.PULSO_METRICS_HOST,
    },
  };
}
