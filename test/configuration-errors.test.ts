// Configuration is checked at start: one clear line per problem and a non-zero exit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToExit } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(output: string) {
  return output.trim().split('\n').filter(Boolean);
}

describe('configuration errors', () => {
  it('names a bad PORT and a bad LOG_LEVEL, one line each', async () => {
    const { code, output } = await runToExit({ PORT: 'eighty', LOG_LEVEL: 'loud', PULSO_DATA_DIR: join(dir, 'a') });
    expect(code).toBe(1);
    expect(lines(output)).toEqual([
      'pulso: configuration error: PORT must be a whole number from 0 to 65535, got "eighty"',
      'pulso: configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it('refuses a port out of range and a malformed demo key', async () => {
    const { code, output } = await runToExit({
      PORT: '70000',
      PULSO_DEMO_SECRET_KEY: 'secret',
      PULSO_DATA_DIR: join(dir, 'b'),
    });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be a whole number from 0 to 65535, got "70000"');
    expect(output).toContain('PULSO_DEMO_SECRET_KEY must be pulso_sk_ followed by 16 to 128 letters and digits');
  });

  it('refuses a rescoring interval given both in minutes and in seconds, and 0 seconds', async () => {
    const both = await runToExit({
      PULSO_RESCORE_INTERVAL_MINUTES: '5',
      PULSO_RESCORE_INTERVAL_SECONDS: '30',
      PULSO_DATA_DIR: join(dir, 'c'),
    });
    expect(both.code).toBe(1);
    expect(lines(both.output)).toEqual([
      'pulso: configuration error: PULSO_RESCORE_INTERVAL_MINUTES and PULSO_RESCORE_INTERVAL_SECONDS are both set: set one of them',
    ]);
    const zero = await runToExit({ PULSO_RESCORE_INTERVAL_SECONDS: '0', PULSO_DATA_DIR: join(dir, 'd') });
    expect(lines(zero.output)).toEqual([
      'pulso: configuration error: PULSO_RESCORE_INTERVAL_SECONDS must be a whole number from 1 to 604800, got "0"',
    ]);
  });

  it('names a data folder it cannot write', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const { code, output } = await runToExit({ PULSO_DATA_DIR: join(file, 'data') });
    expect(code).toBe(1);
    expect(lines(output)).toEqual([
      `pulso: configuration error: PULSO_DATA_DIR: cannot write to the data folder ${join(file, 'data')} (ENOTDIR)`,
    ]);
  });

  it('names an unreachable DATABASE_URL without printing its password', async () => {
    const { code, output } = await runToExit({ DATABASE_URL: 'postgres://pulso:hunter2@127.0.0.1:1/pulso' });
    expect(code).toBe(1);
    expect(lines(output)).toHaveLength(1);
    expect(output).toMatch(
      /^pulso: DATABASE_URL: cannot reach the database at PostgreSQL postgres:\/\/pulso:\*\*\*@127\.0\.0\.1:1\/pulso/,
    );
    expect(output).not.toContain('hunter2');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL connection string', async () => {
    const { code, output } = await runToExit({ DATABASE_URL: 'mysql://localhost/db' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  });

  it('says when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const { code, output } = await runToExit({
        PORT: String(port),
        PULSO_DATA_DIR: join(dir, 'c'),
        PULSO_SEED_DEMO: 'false',
      });
      expect(code).toBe(1);
      expect(output).toContain(`pulso: PORT: ${port} is already in use on 127.0.0.1`);
    } finally {
      blocker.close();
    }
  });
});
