// Live score events. One process keeps them in memory (graphql-yoga's createPubSub); with
// REDIS_URL, events travel through Redis (@graphql-yoga/redis-event-target, the event target
// graphql-yoga's own docs recommend, over ioredis) so that every instance behind a load balancer
// delivers a rating recorded on any of them. Events are published after the transaction that
// produced them commits, so a subscriber never hears of a score a reader cannot see yet.
// While Redis is away, an event still reaches this instance's own subscribers (delivered here
// instead of through Redis); the other instances' miss it, and their widgets read again when their
// streams come back. The outage is told once, and its end once.
import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { redisOptions } from './redis-options.ts';
import type { ScoreChange } from '@pulso/core';

export type PulsoPubSub = PubSub<{
  /** Every score computed for a customer of the workspace (the id is the workspace id). */
  scoreChanged: [workspaceId: string, change: ScoreChange];
}>;

export interface LivePubSub {
  pubsub: PulsoPubSub;
  /** Publishes score changes of a committed transaction. */
  publishScoreChanges(changes: readonly ScoreChange[]): void;
  close(): Promise<void>;
}

export interface LivePubSubOptions {
  /** redis:// URL; in-memory when absent. */
  redisUrl?: string | undefined;
  /**
   * Put before every Redis channel name (default "pulso:"): deployments sharing one Redis (staging
   * and production, two companies) each hear only their own events.
   */
  channelPrefix?: string;
  /** Told when Redis fails, once per outage (the connections retry by themselves). */
  onError?: (error: Error) => void;
  /** Told when both connections are back after an outage. */
  onRecovered?: () => void;
}

export function createLivePubSub({
  redisUrl,
  channelPrefix = 'pulso:',
  onError = () => {},
  onRecovered = () => {},
}: LivePubSubOptions = {}): LivePubSub {
  let close = async () => {};
  let pubsub: PulsoPubSub;
  if (redisUrl) {
    // A subscribed ioredis connection can only listen: publishing needs a second one. The
    // listening one skips ioredis' ready check, an INFO command that a connection already in
    // subscriber mode may not send (subscriptions can start before the first connect completes).
    const publishClient = new Redis({ ...redisOptions(redisUrl), maxRetriesPerRequest: 3 });
    const subscribeClient = new Redis({ ...redisOptions(redisUrl), enableReadyCheck: false });
    let closed = false;
    let down = false;
    // ioredis reconnects by itself (an unhandled 'error' event would crash the process instead) and
    // reports every failed attempt: told once, until both connections are ready again.
    const report = (error: Error) => {
      if (closed || down) return;
      down = true;
      onError(error);
    };
    const ready = () => {
      if (down && publishClient.status === 'ready' && subscribeClient.status === 'ready') {
        down = false;
        onRecovered();
      }
    };
    for (const client of [publishClient, subscribeClient]) client.on('error', report).on('ready', ready);
    // The event target's listener for messages: also what delivers an event here while Redis is away.
    let deliver: (channel: string, message: string) => void = () => {};
    // The event target names channels after the topic and workspace; the prefix goes on here. It
    // fires its commands without awaiting them: their failures are caught here.
    const guardedPublisher = {
      publish: (channel: string, message: string) => {
        // Not sent into the offline queue: it would reach the subscribers of this instance late
        // (after Redis is back), or never. Delivered here at once instead.
        if (publishClient.status !== 'ready') return deliver(channel, message);
        publishClient.publish(channelPrefix + channel, message).catch((error: Error) => {
          report(error);
          deliver(channel, message);
        });
      },
    };
    const guardedSubscriber = {
      on: (event: 'message', listener: (channel: string, message: string) => void) => {
        deliver = listener;
        subscribeClient.on(event, (channel: string, message: string) => {
          if (channel.startsWith(channelPrefix)) listener(channel.slice(channelPrefix.length), message);
        });
      },
      subscribe: (channel: string) => subscribeClient.subscribe(channelPrefix + channel).catch(report),
      unsubscribe: (channel: string) => subscribeClient.unsubscribe(channelPrefix + channel).catch(report),
    };
    pubsub = createPubSub({
      eventTarget: createRedisEventTarget({
        publishClient: guardedPublisher as unknown as Redis,
        subscribeClient: guardedSubscriber as unknown as Redis,
      }),
    });
    close = async () => {
      closed = true;
      // QUIT from a client cut off from Redis waits in its offline queue for a reconnection that
      // may not come (the subscriber retries for about ten seconds): a shutdown with Redis gone
      // would wait that long. A client that is not connected is simply disconnected.
      const end = (client: Redis) => (client.status === 'ready' ? client.quit() : client.disconnect());
      await Promise.allSettled([end(publishClient), end(subscribeClient)]);
    };
  } else {
    // Every open subscription is one listener on this target: hundreds are normal, not a leak,
    // so Node's "possible EventTarget memory leak" warning (at 11 listeners) is turned off.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    pubsub = createPubSub({ eventTarget });
  }
  return {
    pubsub,
    publishScoreChanges(changes) {
      for (const change of changes) pubsub.publish('scoreChanged', change.workspaceId, change);
    },
    close: () => close(),
  };
}

/** Connects to Redis once and pings it, to refuse to start on an unreachable REDIS_URL. */
export async function checkRedis(redisUrl: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis({
    ...redisOptions(redisUrl),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}
