// The environment of a Pulso server started by benchmarks 4 and 5 (servers/pulso-configured.ts):
// the configuration `npm start` reads, with the rate limits turned off — a benchmark sends
// thousands of ratings a second through one publishable key from one address, which production
// limits (PULSO_RATE_LIMIT_PER_KEY 6,000/min, PER_ADDRESS 600/min) would refuse by design.
// BENCH_CPU_PROF=<folder> makes the server (servers/cpu-profile.ts) write a V8 CPU profile there when it stops.
import { resolve } from 'node:path';

export const RATE_LIMITS_OFF = {
  PULSO_RATE_LIMIT_PER_KEY: '0',
  PULSO_RATE_LIMIT_PER_ADDRESS: '0',
  PULSO_RATE_LIMIT_PER_CUSTOMER_TOKEN: '0',
};

export function pulsoEnv(databaseEnv: Record<string, string>): Record<string, string> {
  const profile = process.env.BENCH_CPU_PROF;
  return {
    ...databaseEnv,
    ...RATE_LIMITS_OFF,
    PULSO_SEED_DEMO: '0',
    // No scheduled rescoring during a measurement (on-demand runs still work).
    PULSO_RESCORE_INTERVAL_MINUTES: '0',
    PULSO_RESCORE_INTERVAL_SECONDS: '',
    LOG_LEVEL: 'warn',
    REDIS_URL: '',
    ...(profile ? { BENCH_CPU_PROF: resolve(profile) } : {}),
  };
}
