// REDIS_URL (live events shared by several instances) is checked at start like the rest of the
// configuration: a malformed or unreachable one stops the server with one clear line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToExit } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-redis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('REDIS_URL', () => {
  it('refuses a URL that is not redis://', async () => {
    const { code, output } = await runToExit({ REDIS_URL: 'http://127.0.0.1:6379', PULSO_DATA_DIR: join(dir, 'a') });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'pulso: configuration error: REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), or unset for in-memory live events',
    );
  });

  it('names an unreachable Redis without printing its password', async () => {
    const { code, output } = await runToExit({
      REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
      PULSO_DATA_DIR: join(dir, 'b'),
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /^pulso: REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1 \(.+\); unset it to keep live events in memory\n$/,
    );
    expect(output).not.toContain('hunter2');
  });
});
