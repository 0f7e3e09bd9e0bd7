// Rate limits: budgets of operations a minute per API key, per client address and per customer
// token, refused with HTTP 429, a Retry-After header and a RATE_LIMITED error naming the budget.
//
// Why rate-limiter-flexible: it is the maintained, widely used counter library for Node with the
// two stores Pulso needs behind one interface — RateLimiterRedis, whose consume is one atomic Lua
// script (INCRBY + TTL) on the ioredis client Pulso already uses, so several instances on one Redis
// spend one budget; and RateLimiterMemory for a single process. Its `insuranceLimiter` is what keeps
// the API answering when Redis fails: RateLimiterInsuredAbstract catches any store error that is not
// a refusal and replays the same consume on the in-memory limiter (read in its source,
// lib/RateLimiterInsuredAbstract.js), so limits keep holding per instance until Redis is back.
//
// What counts: every root field of every operation (`a: submitMicroRating … b: submitMicroRating`
// is 2), checked before the operation runs, so aliases cannot multiply what one request does and a
// refused operation writes nothing. With batching each operation of a batch passes here on its own.
// Budgets are checked from the narrowest to the widest (customer token, address, key), stopping at
// the first refusal, and a refused request gets back what it spent: a caller over its own budget
// does not spend the budget it shares with others, and one oversized request does not waste a
// budget it could not use.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import {
  getArgumentValues,
  getOperationAST,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Caller } from '../auth/api-key-callers.ts';
import { closeRedis, failFastRedis } from './fail-fast-redis.ts';

export interface RateLimitOptions {
  /** Operations (root fields) a minute per API key; all view tokens of a workspace share one budget. 0 = no limit. */
  perKey: number;
  /** Operations a minute per client address (IPv6 by /64), plus one per refused credential. 0 = no limit. */
  perAddress: number;
  /** `submitMicroRating` calls a minute per customer token. 0 = no limit. */
  perCustomerToken: number;
  /**
   * Take the client address from the last X-Forwarded-For entry (the one the proxy in front of Pulso
   * added) instead of the connection. Only behind a proxy that sets it: otherwise clients choose it.
   */
  trustProxy?: boolean;
  /** Share the budgets through this Redis (several instances spend one budget); in memory when unset. */
  redisUrl?: string | undefined;
  /**
   * The budgets' window in seconds (default 60: the budgets are "a minute"). Shorter for tests that
   * watch a client wait for a window to refill.
   */
  windowSeconds?: number;
  /** Prefix of the Redis keys (default `pulso:rate`), e.g. to keep test runs apart. */
  keyPrefix?: string;
  /** Told when Redis fails (once per outage): limits then hold per instance, in memory. */
  onRedisError?: (error: Error) => void;
  /** Where refusals are counted, by budget (the server's PulsoMetrics). */
  metrics?: { rateLimited(limit: RateLimitName): void };
}

export type RateLimitName = 'API_KEY' | 'ADDRESS' | 'CUSTOMER_TOKEN';

export interface RateLimits {
  /** The yoga plugin that counts root fields before each operation runs. */
  plugin: Plugin;
  /**
   * Counts a request whose credential was refused against its address, so guessing keys is
   * limited too; throws the RATE_LIMITED error when the address is over its budget.
   */
  countRefusedCredential(serverContext: unknown): Promise<void>;
  /**
   * Counts an attempt to authenticate where the answer itself would tell a guessed key from a valid
   * one (a WebSocket's connection_init, the backup route): every attempt spends its address one
   * operation, so once the budget is spent valid and guessed keys are refused alike. Throws the
   * RATE_LIMITED error when the address is over its budget.
   */
  countCredentialAttempt(serverContext: unknown): Promise<void>;
  /**
   * Resolves once the Redis connection is ready (at once in memory), or after `timeoutMs` (default
   * 3 s) leaving the limits in memory until it is: requests served before count apart.
   */
  connected(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const WINDOW_SECONDS = 60;

interface Charge {
  name: RateLimitName;
  key: string;
  points: number;
}

interface OperationArgs {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variableValues?: Record<string, unknown> | null | undefined;
  contextValue: unknown;
  schema: GraphQLSchema;
}

const DESCRIPTIONS: Record<RateLimitName, { who: string; what: string }> = {
  API_KEY: { who: 'this API key', what: 'operations' },
  ADDRESS: { who: 'this client address', what: 'operations' },
  CUSTOMER_TOKEN: { who: 'this customer token', what: 'ratings' },
};

/** The RATE_LIMITED error: HTTP 429 with Retry-After, naming the budget and when to retry. */
export function rateLimitedError(limit: RateLimitName, perMinute: number, msBeforeNext: number) {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return createGraphQLError(
    `rate limit exceeded for ${DESCRIPTIONS[limit].who} (${perMinute} ${DESCRIPTIONS[limit].what} a minute); retry in ${retryAfter} s`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        limit,
        retryAfterSeconds: retryAfter,
        http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
      },
    },
  );
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const {
    perKey,
    perAddress,
    perCustomerToken,
    trustProxy = false,
    redisUrl,
    keyPrefix = 'pulso:rate',
    windowSeconds = WINDOW_SECONDS,
    onRedisError = () => {},
    metrics,
  } = options;
  let redis: Redis | undefined;
  if (redisUrl && (perKey > 0 || perAddress > 0 || perCustomerToken > 0)) {
    // Fail fast rather than queue: a command while Redis is away errors at once and the insurance
    // limiter answers (with rejectIfRedisNotReady); the command timeout does the same for a Redis
    // that accepts the connection but does not answer.
    redis = failFastRedis(redisUrl, { commandTimeoutMs: 1_000, onError: onRedisError });
  }

  const limiter = (name: string, points: number): RateLimiterAbstract | undefined => {
    if (points <= 0) return undefined;
    const settings = { points, duration: windowSeconds, keyPrefix: `${keyPrefix}:${name}` };
    if (!redis) return new RateLimiterMemory(settings);
    return new RateLimiterRedis({
      ...settings,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(settings),
    });
  };
  const budgets: Record<RateLimitName, { limiter: RateLimiterAbstract | undefined; perMinute: number }> = {
    API_KEY: { limiter: limiter('key', perKey), perMinute: perKey },
    ADDRESS: { limiter: limiter('address', perAddress), perMinute: perAddress },
    CUSTOMER_TOKEN: { limiter: limiter('customer-token', perCustomerToken), perMinute: perCustomerToken },
  };

  /**
   * Spends each charge in order; at the first refusal gives back what this request spent (a
   * refused request costs nothing, as it does nothing) and throws RATE_LIMITED.
   */
  async function spend(charges: Charge[], request?: object): Promise<void> {
    const spent: Charge[] = [];
    for (const charge of charges) {
      const { limiter, perMinute } = budgets[charge.name];
      if (!limiter || charge.points <= 0) continue;
      try {
        const res = await limiter.consume(charge.key, charge.points);
        spent.push(charge);
        if (request && charge.name !== 'CUSTOMER_TOKEN') shown.set(request, budgetStatus(perMinute, res));
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // The store counted the refused points too: they go back with the others.
        spent.push(charge);
        await Promise.allSettled(spent.map(({ name, key, points }) => budgets[name].limiter!.reward(key, points)));
        if (request) shown.set(request, { ...budgetStatus(perMinute, refusal), remaining: 0 });
        metrics?.rateLimited(charge.name);
        throw rateLimitedError(charge.name, perMinute, refusal.msBeforeNext);
      }
    }
  }

  /** What an operation costs, narrowest budget first. */
  function chargesOf(args: OperationArgs): Charge[] {
    const caller = (args.contextValue as { caller?: Caller | null }).caller;
    const fields = rootFields(args.document, args.operationName);
    const charges: Charge[] = [];
    if (budgets.CUSTOMER_TOKEN.limiter) {
      const perToken = new Map<string, number>();
      for (const token of customerTokens(args.schema, fields, args.variableValues ?? {})) {
        const key = `${caller?.workspaceId ?? '-'}:${createHash('sha256').update(token).digest('base64url')}`;
        perToken.set(key, (perToken.get(key) ?? 0) + 1);
      }
      for (const [key, points] of perToken) charges.push({ name: 'CUSTOMER_TOKEN', key, points });
    }
    charges.push({ name: 'ADDRESS', key: clientAddress(args.contextValue, trustProxy), points: fields.length });
    if (caller)
      charges.push({
        name: 'API_KEY',
        key: caller.kind === 'VIEW' ? `view:${caller.workspaceId}` : caller.apiKeyId,
        points: fields.length,
      });
    return charges;
  }

  // The budget each response reports in its x-ratelimit-* headers, by request: the widest one the
  // operation spent (the key's, else the address's), as GitHub reports its key's.
  const shown = new WeakMap<object, BudgetStatus>();

  /** A refusal becomes the operation's result, so nothing of it executes. */
  const guard = async ({
    args,
    setResultAndStopExecution,
  }: {
    args: OperationArgs;
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    try {
      await spend(chargesOf(args), (args.contextValue as { request?: object }).request);
    } catch (error) {
      if (isRateLimited(error)) setResultAndStopExecution({ errors: [error] });
      else throw error;
    }
  };

  return {
    plugin: {
      onExecute: guard as NonNullable<Plugin['onExecute']>,
      onSubscribe: guard as NonNullable<Plugin['onSubscribe']>,
      onResponse: ({ request, response }) => {
        const status = shown.get(request);
        if (!status) return;
        response.headers.set('x-ratelimit-limit', String(status.limit));
        response.headers.set('x-ratelimit-remaining', String(status.remaining));
        response.headers.set('x-ratelimit-reset', String(status.reset));
      },
    },
    countRefusedCredential: (serverContext) =>
      spend([{ name: 'ADDRESS', key: clientAddress(serverContext, trustProxy), points: 1 }]),
    countCredentialAttempt: (serverContext) =>
      spend([{ name: 'ADDRESS', key: clientAddress(serverContext, trustProxy), points: 1 }]),
    connected: (timeoutMs = 3_000) =>
      new Promise<void>((resolve) => {
        if (!redis || redis.status === 'ready') return resolve();
        const done = () => {
          clearTimeout(timer);
          redis!.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        redis.once('ready', done);
      }),
    close: async () => {
      await closeRedis(redis);
    },
  };
}

/** What the x-ratelimit-* headers say: the budget a minute, what is left, when it refills (epoch seconds). */
export interface BudgetStatus {
  limit: number;
  remaining: number;
  reset: number;
}

function budgetStatus(perMinute: number, res: RateLimiterRes): BudgetStatus {
  return {
    limit: perMinute,
    remaining: Math.max(0, res.remainingPoints),
    reset: Math.ceil((Date.now() + res.msBeforeNext) / 1000),
  };
}

function isRateLimited(error: unknown): error is GraphQLError {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'RATE_LIMITED';
}

/** The root fields the operation selects, through inline fragments and fragment spreads. */
export function rootFields(document: DocumentNode, operationName?: string | null): FieldNode[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return fields;
}

/** The customer token of each `submitMicroRating` among the root fields (literal or variable). */
function customerTokens(schema: GraphQLSchema, fields: FieldNode[], variables: Record<string, unknown>): string[] {
  const definition = schema.getMutationType()?.getFields().submitMicroRating;
  if (!definition) return [];
  const tokens: string[] = [];
  for (const field of fields) {
    if (field.name.value !== 'submitMicroRating') continue;
    try {
      const token = (getArgumentValues(definition, field, variables).input as { customerToken?: unknown } | undefined)
        ?.customerToken;
      if (typeof token === 'string') tokens.push(token);
    } catch {
      // Invalid arguments: execution refuses them without running the resolver.
    }
  }
  return tokens;
}

/**
 * Who the budget belongs to: the connection's address, or the last X-Forwarded-For entry when a
 * proxy is trusted. IPv6 addresses count by their /64, the block one subscriber usually holds.
 */
export function clientAddress(serverContext: unknown, trustProxy: boolean): string {
  const req = (serverContext as { req?: IncomingMessage } | null)?.req;
  let address = req?.socket?.remoteAddress ?? '';
  if (trustProxy) {
    const header = req?.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded) address = forwarded;
  }
  return addressBlock(address);
}

export function addressBlock(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address || 'unknown';
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
