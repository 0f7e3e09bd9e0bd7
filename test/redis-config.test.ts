// REDIS_URL (live events shared by several instances) is checked at start like the rest of the
// configuration: a malformed or unreachable one stops the server with one clear line (a malformed
// one is refused with the rest of the configuration: apps/server/src/config.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runToExit } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-redis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('REDIS_URL', () => {
  it('names an unreachable Redis without printing its password', async () => {
    const { code, output } = await runToExit({
      REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
      PULSO_DATA_DIR: join(dir, 'b'),
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /^pulso: REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1 \(.+\): start it, or correct REDIS_URL \(instances already running go on without it, and share again once it is back\); a single instance may unset REDIS_URL to keep live events and rate limits in memory\n$/,
    );
    expect(output).not.toContain('hunter2');
  });
});
