// Settings read from the environment: the problems named for bad values, and settings no other
// test covers (the Redis prefix and the webhook address policy, whose effects are proven in
// live.test.ts and webhooks.test.ts). That a server process prints each problem on its own line
// and exits 1 is proven once, in test/configuration-errors.test.ts; the messages are proven here,
// in process, where each costs no process start.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const base = { PULSO_DATA_DIR: 'memory://' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration', () => {
  it('prefixes Redis keys and channels with "pulso" unless PULSO_REDIS_PREFIX says otherwise, and refuses a prefix that could collide or break a key', () => {
    expect(loadConfig(base).redisPrefix).toBe('pulso');
    expect(loadConfig({ ...base, PULSO_REDIS_PREFIX: ' pulso-staging ' }).redisPrefix).toBe('pulso-staging');
    for (const bad of ['has space', 'a:b', 'x'.repeat(65)]) {
      expect(problemsOf({ PULSO_REDIS_PREFIX: bad })).toEqual([
        'PULSO_REDIS_PREFIX must be 1 to 64 letters, digits, "_", "." or "-" (e.g. pulso-staging)',
      ]);
    }
  });

  it('sends webhooks to public addresses only unless PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true', () => {
    expect(loadConfig(base).webhooks.allowPrivateAddresses).toBe(false);
    expect(loadConfig({ ...base, PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' }).webhooks.allowPrivateAddresses).toBe(
      true,
    );
    expect(problemsOf({ PULSO_WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'maybe' })).toHaveLength(1);
  });

  it('seeds the demo unless NODE_ENV=production, where PULSO_SEED_DEMO=true still asks for it', () => {
    expect(loadConfig(base).seedDemo).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).seedDemo).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', PULSO_SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ ...base, PULSO_SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('takes PULSO_LOG_FORMAT json or pretty, and leaves the choice to the terminal when unset', () => {
    expect(loadConfig(base).logFormat).toBeUndefined();
    expect(loadConfig({ ...base, PULSO_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, PULSO_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(problemsOf({ PULSO_LOG_FORMAT: 'text' })).toEqual(['PULSO_LOG_FORMAT must be json or pretty, got "text"']);
  });

  it('takes an administrator key only in its own format, never a workspace key', () => {
    const key = `pulso_ak_${'a1'.repeat(16)}`;
    expect(loadConfig({ ...base, PULSO_ADMIN_KEY: key }).adminKey).toBe(key);
    expect(loadConfig(base).adminKey).toBeUndefined();
    for (const bad of [`pulso_sk_${'a1'.repeat(16)}`, 'pulso_ak_short']) {
      expect(problemsOf({ PULSO_ADMIN_KEY: bad })).toEqual([
        'PULSO_ADMIN_KEY must be pulso_ak_ followed by 32 to 128 letters and digits (e.g. pulso_ak_$(openssl rand -hex 32))',
      ]);
    }
  });
  it('refuses a port out of range and a malformed demo key', () => {
    const problems = problemsOf({ PORT: '70000', PULSO_DEMO_SECRET_KEY: 'secret' });
    expect(problems).toContain('PORT must be a whole number from 0 to 65535, got "70000"');
    expect(problems).toContainEqual(
      expect.stringContaining('PULSO_DEMO_SECRET_KEY must be pulso_sk_ followed by 16 to 128 letters and digits'),
    );
    expect(problems).toHaveLength(2);
  });

  it('refuses a rescoring interval given both in minutes and in seconds, and 0 seconds', () => {
    expect(problemsOf({ PULSO_RESCORE_INTERVAL_MINUTES: '5', PULSO_RESCORE_INTERVAL_SECONDS: '30' })).toEqual([
      'PULSO_RESCORE_INTERVAL_MINUTES and PULSO_RESCORE_INTERVAL_SECONDS are both set: set one of them',
    ]);
    expect(problemsOf({ PULSO_RESCORE_INTERVAL_SECONDS: '0' })).toEqual([
      'PULSO_RESCORE_INTERVAL_SECONDS must be a whole number from 1 to 604800, got "0"',
    ]);
  });

  it('waits 10 s of quiet before a history backfill unless PULSO_BACKFILL_QUIET_SECONDS says otherwise', () => {
    expect(loadConfig(base).backfillQuietMs).toBe(10_000);
    expect(loadConfig({ ...base, PULSO_BACKFILL_QUIET_SECONDS: '0' }).backfillQuietMs).toBe(0);
    expect(problemsOf({ PULSO_BACKFILL_QUIET_SECONDS: '-1' })).toEqual([
      'PULSO_BACKFILL_QUIET_SECONDS must be a whole number from 0 to 3600, got "-1"',
    ]);
  });

  it('names a data folder it cannot write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulso-config-'));
    try {
      const file = join(dir, 'not-a-folder');
      writeFileSync(file, 'x');
      expect(problemsOf({ PULSO_DATA_DIR: join(file, 'data') })).toEqual([
        `PULSO_DATA_DIR: cannot write to the data folder ${join(file, 'data')} (ENOTDIR)`,
      ]);
      // Checked without creating it: a start refused for another setting leaves nothing behind.
      const fresh = join(dir, 'fresh', 'data');
      expect(problemsOf({ PULSO_DATA_DIR: fresh, PORT: 'eighty' })).toEqual([
        'PORT must be a whole number from 0 to 65535, got "eighty"',
      ]);
      expect(existsSync(join(dir, 'fresh'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL connection string', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/db' })).toContainEqual(
      expect.stringContaining('DATABASE_URL must be a postgres:// or postgresql:// connection string'),
    );
  });

  it('refuses a REDIS_URL that is not redis://, or that carries what Pulso does not read, saying why', () => {
    expect(problemsOf({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), or unset for in-memory live events',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379/cache' })).toEqual([
      'REDIS_URL: the database must be a number (redis://host:6379/0), not "cache"',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379?db=2' })).toEqual([
      expect.stringMatching(/^REDIS_URL: the query parameter "db" is not read \(/),
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379/2' })).toEqual([]);
  });
});
