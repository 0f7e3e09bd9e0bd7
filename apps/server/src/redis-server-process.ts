// A private Redis for tests that take Redis away and bring it back under Pulso: a `redis-server`
// process on a port of the test's choosing, nothing saved, ready when it answers PING. Exported
// through testing.ts; Redis shared by the rest of the suite (127.0.0.1:6379) is never stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

export interface RedisServerProcess {
  child: ChildProcess;
  port: number;
  /** Kills it (SIGKILL: Redis gone at once, as in an outage) and waits for its exit. */
  kill(): Promise<void>;
}

export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (attempt > 100 || child.exitCode !== null)
          throw new Error(`redis-server did not start on port ${port}: ${(error as Error).message}`);
        probe.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    probe.disconnect();
  }
  return {
    child,
    port,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
