// Live events through a Redis that goes away and comes back (a private redis-server, killed and
// started again on its port): this instance's subscribers keep hearing the events published here,
// the outage is logged once (ioredis reports every reconnection attempt), and its end once.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import type { ScoreChange } from '@pulso/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivePubSub, type LivePubSub } from './pubsub.ts';
import { type RedisServerProcess, startRedisServer } from './redis-server-process.ts';

const WORKSPACE = '00000000-0000-4000-8000-000000000001';
const change = (score: number) =>
  ({ workspaceId: WORKSPACE, customerId: 'c', externalId: 'cus_1', score }) as ScoreChange;

/** A port nothing listens on now (the kernel's choice, released). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('live events while Redis goes away', () => {
  let redis: RedisServerProcess | undefined;
  let live: LivePubSub | undefined;
  afterAll(async () => {
    await live?.close();
    await redis?.kill();
  });

  it('still reach this instance, with the outage told once and its end once', async () => {
    const port = await freePort();
    redis = await startRedisServer(port);
    const errors: Error[] = [];
    let recoveries = 0;
    live = createLivePubSub({
      redisUrl: `redis://127.0.0.1:${port}`,
      channelPrefix: `pubsub-test-${port}:`,
      onError: (error) => errors.push(error),
      onRecovered: () => recoveries++,
    });
    const heard: number[] = [];
    const iterator = live.pubsub.subscribe('scoreChanged', WORKSPACE)[Symbol.asyncIterator]();
    const listen = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        heard.push(next.value.score!);
      }
    })();
    // Through Redis: once subscribed (the subscription is sent on the first read).
    await new Promise((resolve) => setTimeout(resolve, 300));
    live.publishScoreChanges([change(1)]);
    await until(() => heard.length === 1, 'the event through Redis');

    await redis.kill();
    await until(() => errors.length > 0, 'the outage to be told');
    live.publishScoreChanges([change(2)]);
    await until(() => heard.length === 2, 'the event published while Redis is away');
    // ioredis retries every few hundred milliseconds, each attempt an error: told once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(errors).toHaveLength(1);

    redis = await startRedisServer(port);
    await until(() => recoveries === 1, 'the end of the outage to be told', 20_000);
    live.publishScoreChanges([change(3)]);
    await until(() => heard.length === 3, 'the event through Redis again');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);

    await iterator.return?.();
    await listen;
  }, 60_000);
});
