// Settings read from the environment that no other test covers: the Redis prefix and the webhook
// address policy (their effects are proven in live.test.ts and webhooks.test.ts).
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
});
