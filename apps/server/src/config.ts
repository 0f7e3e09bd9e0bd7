// Configuration comes from environment variables only, validated at start: every problem is
// reported on its own line, and the server does not start with any of them.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { z } from 'zod';
import { databaseTargetFromEnv, type DatabaseTarget } from '@pulso/database';

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo workspace when the database has no workspace yet. */
  seedDemo: boolean;
  demoSecretKey: string | undefined;
  demoPublishableKey: string | undefined;
  graphiql: boolean;
  /** How long a shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /**
   * PULSO_RESCORE_INTERVAL_MINUTES: every customer of every workspace is rescored "as of now" this
   * often (default 1440, daily), so silence and decay show without new interactions; 0 turns the
   * schedule off (on-demand rescoring still works). At most 10080 (a week).
   */
  rescoreIntervalMinutes: number;
  /** Redis for live events shared by several instances; in memory when unset. */
  redisUrl: string | undefined;
}

const flag = (name: string, fallback: boolean) =>
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
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${value}"` });
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
  HOST: z.string().optional().transform((v) => v?.trim() || '127.0.0.1'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: (issue) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${String(issue.input)}"`,
    })
    .optional()
    .transform((v) => v ?? 'info'),
  PULSO_SEED_DEMO: flag('PULSO_SEED_DEMO', true),
  PULSO_GRAPHIQL: flag('PULSO_GRAPHIQL', process.env.NODE_ENV !== 'production'),
  PULSO_DEMO_SECRET_KEY: optionalKey('PULSO_DEMO_SECRET_KEY', 'pulso_sk_'),
  PULSO_DEMO_PUBLISHABLE_KEY: optionalKey('PULSO_DEMO_PUBLISHABLE_KEY', 'pulso_pk_'),
  PULSO_SHUTDOWN_TIMEOUT_MS: integer('PULSO_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
  PULSO_RESCORE_INTERVAL_MINUTES: integer('PULSO_RESCORE_INTERVAL_MINUTES', 1440, 0, 10_080),
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v), {
      message: 'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), or unset for in-memory live events',
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

function checkWritableFolder(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
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
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.PULSO_SEED_DEMO,
    demoSecretKey: e.PULSO_DEMO_SECRET_KEY,
    demoPublishableKey: e.PULSO_DEMO_PUBLISHABLE_KEY,
    graphiql: e.PULSO_GRAPHIQL,
    shutdownTimeoutMs: e.PULSO_SHUTDOWN_TIMEOUT_MS,
    rescoreIntervalMinutes: e.PULSO_RESCORE_INTERVAL_MINUTES,
    redisUrl: e.REDIS_URL,
  };
}
