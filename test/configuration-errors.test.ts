// Configuration is checked at start: one clear line per problem and a non-zero exit. What the
// process prints and its exit code are proven here; the message for each bad setting is proven in
// process by apps/server/src/config.test.ts, where each costs no process start.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
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

  it('names an unreachable DATABASE_URL without printing its password', async () => {
    const { code, output } = await runToExit({ DATABASE_URL: 'postgres://pulso:hunter2@127.0.0.1:1/pulso' });
    expect(code).toBe(1);
    expect(lines(output)).toHaveLength(1);
    expect(output).toMatch(
      /^pulso: DATABASE_URL: cannot reach the database at PostgreSQL postgres:\/\/pulso:\*\*\*@127\.0\.0\.1:1\/pulso/,
    );
    expect(output).not.toContain('hunter2');
  });

  it('says when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      // The port is tried once the database is open and migrated: a migrated folder spares an initdb.
      await (await openMigratedPGliteFolder(join(dir, 'c'))).close();
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
