import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '@pulso/tokens';
import { createLogger } from '../logger.ts';
import { addressBlock, createRateLimits } from './rate-limits.ts';
import { createPulsoServer, type PulsoServer } from '../server.ts';
import { createTestServer, openEventStream, type TestServer } from '../testing.ts';
import WebSocket from 'ws';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const RATE = (aliases: string[]) =>
  `mutation (${aliases.map((a) => `$${a}: SubmitMicroRatingInput!`).join(', ')}) {
  ${aliases.map((a) => `${a}: submitMicroRating(input: $${a}) { __typename }`).join('\n  ')}
}`;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function expectRefused(answer: Answer, limit: string) {
  expect(answer.status).toBe(429);
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toHaveLength(1);
  const [error] = answer.body.errors!;
  expect(error!.extensions).toEqual({ code: 'RATE_LIMITED', limit, retryAfterSeconds: seconds });
  expect(error!.message).toContain(`retry in ${seconds} s`);
}

/** A test server with only the given budgets (0 = none), on its own port. */
async function limitedServer(limits: {
  perKey?: number;
  perAddress?: number;
  perCustomerToken?: number;
  trustProxy?: boolean;
  redisUrl?: string;
  keyPrefix?: string;
}) {
  const t = await createTestServer({ rateLimits: { perKey: 0, perAddress: 0, perCustomerToken: 0, ...limits } });
  const url = await t.server.listen(0, '127.0.0.1');
  return { t, url };
}

describe.each([
  ['in memory', undefined],
  ['through Redis', REDIS_URL],
] as const)('rate limits %s', (_, redisUrl) => {
  const opened: TestServer[] = [];
  const open = async (limits: Parameters<typeof limitedServer>[0]) => {
    const server = await limitedServer({ redisUrl, keyPrefix: `pulso-test:rate:${randomUUID()}`, ...limits });
    opened.push(server.t);
    return server;
  };
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
  });

  it('refuses an API key over its budget with 429 and Retry-After, and other keys go on', async () => {
    const { t, url } = await open({ perKey: 3 });
    for (let i = 0; i < 3; i++)
      expect((await post(url, '{ workspace { name } }', {}, bearer(t.secretKey))).status).toBe(200);
    const refused = await post(url, '{ workspace { name } }', {}, bearer(t.secretKey));
    expectRefused(refused, 'API_KEY');
    expect(refused.body.errors![0]!.message).toMatch(/^rate limit exceeded for this API key \(3 operations a minute\)/);
    const other = await post(
      url,
      `mutation ($t: String!) { createCustomerToken(externalId: $t) { __typename } }`,
      { t: 'x' },
      bearer(t.secretKey),
    );
    expectRefused(other, 'API_KEY');
    // A subscription (over Server-Sent Events) is refused the same way, before its stream opens.
    const stream = await openEventStream(`${url}/graphql`, `subscription { scoreChanged { score } }`, {}, t.secretKey);
    expect(stream.status).toBe(429);
    stream.close();
    // The publishable key of the same workspace has its own budget.
    const token = await signCustomerToken({
      secret: (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } }))
        .tokenSigningSecret,
      externalId: 'c1',
    });
    const rated = await post(url, RATE(['a']), { a: rating(token) }, bearer(t.publishableKey));
    expect(rated.status).toBe(200);
    expect(rated.body.data.a.__typename).toBe('MicroRatingReceipt');
  });

  it('refuses a client address over its budget; other addresses go on; X-Forwarded-For only counts behind a trusted proxy', async () => {
    const { t, url } = await open({ perAddress: 2, trustProxy: true });
    const from = (address: string) => ({ ...bearer(t.secretKey), 'x-forwarded-for': `198.51.100.7, ${address}` });
    for (let i = 0; i < 2; i++)
      expect((await post(url, '{ workspace { name } }', {}, from('203.0.113.5'))).status).toBe(200);
    const refused = await post(url, '{ workspace { name } }', {}, from('203.0.113.5'));
    expectRefused(refused, 'ADDRESS');
    expect(refused.body.errors![0]!.message).toContain('this client address (2 operations a minute)');
    expect((await post(url, '{ workspace { name } }', {}, from('203.0.113.6'))).status).toBe(200);
    // An IPv6 subscriber's /64 is one address: changing the low bits is no fresh budget.
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2'])
      expect((await post(url, '{ workspace { name } }', {}, from(address))).status).toBe(200);
    expectRefused(await post(url, '{ workspace { name } }', {}, from('2001:db8:1:2:ffff::3')), 'ADDRESS');

    // Without a trusted proxy the header is the client's to choose, so it is ignored.
    const direct = await open({ perAddress: 2 });
    const spoof = (n: number) => ({ ...bearer(direct.t.secretKey), 'x-forwarded-for': `203.0.113.${n}` });
    for (let i = 0; i < 2; i++)
      expect((await post(direct.url, '{ workspace { name } }', {}, spoof(i))).status).toBe(200);
    expectRefused(await post(direct.url, '{ workspace { name } }', {}, spoof(9)), 'ADDRESS');
  });

  it('counts refused credentials against the address, so keys cannot be guessed without limit', async () => {
    const { t, url } = await open({ perAddress: 3 });
    for (let i = 0; i < 3; i++)
      expect(
        (await post(url, '{ workspace { name } }', {}, bearer(`pulso_sk_guess${i}000000000000000000`))).status,
      ).toBe(401);
    const refused = await post(url, '{ workspace { name } }', {}, bearer('pulso_sk_guess9000000000000000000'));
    expectRefused(refused, 'ADDRESS');
    expectRefused(await post(url, '{ workspace { name } }', {}, bearer(t.secretKey)), 'ADDRESS');
  });

  it('tells a guessed key from a valid one nowhere once the address is over its budget: WebSocket and backup route', async () => {
    const { t, url } = await open({ perAddress: 3 });
    const ws = url.replace('http', 'ws');
    /** How a WebSocket connection with this key ends its connection_init: acknowledged, or closed with a code. */
    const connect = (key: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${ws}/graphql`, 'graphql-transport-ws');
        socket.on('open', () =>
          socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })),
        );
        socket.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') resolve('ack');
          socket.close();
        });
        socket.on('close', (code, reason) => resolve(`${code} ${String(reason).slice(0, 28)}`));
      });
    const backup = (key: string) =>
      fetch(`${url}/admin/backup`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await connect('pulso_sk_guess0000000000000000000')).toMatch(/^4403 /);
    expect(await backup('pulso_sk_guess1000000000000000000')).toBe(401);
    expect(await connect(t.secretKey)).toBe('ack');
    // The budget (3) is spent: valid and guessed keys get the same answer.
    expect(await connect('pulso_sk_guess2000000000000000000')).toBe('4429 rate limit exceeded for this');
    expect(await connect(t.secretKey)).toBe('4429 rate limit exceeded for this');
    expect(await backup('pulso_sk_guess3000000000000000000')).toBe(429);
    const refused = await fetch(`${url}/admin/backup`, { headers: { authorization: `Bearer ${t.secretKey}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a customer token over its budget; other customers go on', async () => {
    const { t, url } = await open({ perCustomerToken: 2 });
    const secret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } }))
      .tokenSigningSecret;
    const [mine, theirs] = await Promise.all([
      signCustomerToken({ secret, externalId: 'c1' }),
      signCustomerToken({ secret, externalId: 'c2' }),
    ]);
    for (let i = 0; i < 2; i++)
      expect((await post(url, RATE(['a']), { a: rating(mine) }, bearer(t.publishableKey))).body.data.a.__typename).toBe(
        'MicroRatingReceipt',
      );
    const refused = await post(url, RATE(['a']), { a: rating(mine) }, bearer(t.publishableKey));
    expectRefused(refused, 'CUSTOMER_TOKEN');
    expect(refused.body.errors![0]!.message).toContain('this customer token (2 ratings a minute)');
    // The same token as a literal argument rather than a variable is the same budget.
    const literal = `mutation { submitMicroRating(input: { customerToken: ${JSON.stringify(mine)}, variant: LIKE_DISLIKE, rating: LIKED, idempotencyKey: "${randomUUID()}" }) { __typename } }`;
    expectRefused(await post(url, literal, {}, bearer(t.publishableKey)), 'CUSTOMER_TOKEN');
    expect((await post(url, RATE(['a']), { a: rating(theirs) }, bearer(t.publishableKey))).body.data.a.__typename).toBe(
      'MicroRatingReceipt',
    );
    expect(await ratingsOf(t, 'c1')).toBe(2);
  });

  it('counts every root field, aliases and fragments included, and a refused operation writes nothing', async () => {
    const { t, url } = await open({ perKey: 5, perCustomerToken: 3 });
    const secret = (await t.database.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } }))
      .tokenSigningSecret;
    const token = await signCustomerToken({ secret, externalId: 'c1' });
    const two = await post(url, RATE(['a', 'b']), { a: rating(token), b: rating(token) }, bearer(t.publishableKey));
    expect(two.status).toBe(200);
    expect([two.body.data.a.__typename, two.body.data.b.__typename]).toEqual([
      'MicroRatingReceipt',
      'MicroRatingReceipt',
    ]);
    // One rating is left on this token: two more in one request are refused whole.
    expectRefused(
      await post(url, RATE(['a', 'b']), { a: rating(token), b: rating(token) }, bearer(t.publishableKey)),
      'CUSTOMER_TOKEN',
    );
    expect(await ratingsOf(t, 'c1')).toBe(2);

    // The secret key has 5 operations: 6 root fields in one request are refused, 5 pass.
    const six = `query { ...Half ... on Query { d: workspace { name } e: workspace { name } f: workspace { name } } } fragment Half on Query { a: workspace { name } b: workspace { name } c: workspace { name } }`;
    expectRefused(await post(url, six, {}, bearer(t.secretKey)), 'API_KEY');
    const five = `{ a: workspace { name } b: workspace { name } c: workspace { name } d: workspace { name } e: workspace { name } }`;
    expect((await post(url, five, {}, bearer(t.secretKey))).status).toBe(200);
    expectRefused(await post(url, '{ workspace { name } }', {}, bearer(t.secretKey)), 'API_KEY');
  });
});

describe('rate limits across instances', () => {
  let a: TestServer;
  let b: PulsoServer;
  let urls: [string, string];
  beforeAll(async () => {
    // Two servers over one database and one Redis, as two instances behind a load balancer; a
    // prefix of its own keeps this run apart from any other on the same Redis.
    const rateLimits = {
      perKey: 4,
      perAddress: 0,
      perCustomerToken: 0,
      redisUrl: REDIS_URL,
      keyPrefix: `pulso-test:rate:${randomUUID()}`,
    };
    a = await createTestServer({ rateLimits });
    b = createPulsoServer({ database: a.database, logger: createLogger('silent'), rateLimits });
    urls = [await a.server.listen(0, '127.0.0.1'), await b.listen(0, '127.0.0.1')];
  });
  afterAll(async () => {
    await b?.close(1_000);
    await a?.close();
  });

  it('spend one budget per key', async () => {
    const [first, second] = urls;
    for (const url of [first, second, first, second])
      expect((await post(url, '{ workspace { name } }', {}, bearer(a.secretKey))).status).toBe(200);
    expectRefused(await post(first, '{ workspace { name } }', {}, bearer(a.secretKey)), 'API_KEY');
    expectRefused(await post(second, '{ workspace { name } }', {}, bearer(a.secretKey)), 'API_KEY');
  });
});

describe('rate limits with yoga batching', () => {
  it('shows the budget in x-ratelimit-limit, -remaining and -reset headers (in process, yoga.fetch)', async () => {
    const t = await createTestServer({ over: 'fetch', rateLimits: { perKey: 5, perAddress: 0, perCustomerToken: 0 } });
    try {
      const ask = (query: string) =>
        t.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
          body: JSON.stringify({ query }),
        });
      const before = Math.floor(Date.now() / 1000);
      const one = await ask('{ workspace { name } }');
      expect(one.headers.get('x-ratelimit-limit')).toBe('5');
      expect(one.headers.get('x-ratelimit-remaining')).toBe('4');
      const reset = Number(one.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(before);
      expect(reset).toBeLessThanOrEqual(before + 61);
      // Two root fields spend two operations.
      const two = await ask('{ a: workspace { name } b: workspace { name } }');
      expect(two.headers.get('x-ratelimit-remaining')).toBe('2');
      await ask('{ a: workspace { name } b: workspace { name } }');
      const refused = await ask('{ workspace { name } }');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('retry-after')).not.toBeNull();
    } finally {
      await t.close();
    }
  });

  it('count each operation of a batch', async () => {
    // Pulso does not turn batching on; this proves that turning it on opens no way around a budget.
    const rateLimits = createRateLimits({ perKey: 0, perAddress: 3, perCustomerToken: 0 });
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'hi' } } }),
      batching: true,
      plugins: [rateLimits.plugin],
    });
    try {
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: '{ hello }' }, { query: '{ a: hello b: hello }' }, { query: '{ hello }' }]),
      });
      const results = (await response.json()) as {
        data?: unknown;
        errors?: { extensions?: { code?: string; limit?: string } }[];
      }[];
      expect(results[0]).toEqual({ data: { hello: 'hi' } });
      expect(results[1]).toEqual({ data: { a: 'hi', b: 'hi' } });
      expect(results[2]!.data).toBeUndefined();
      expect(results[2]!.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'ADDRESS' });
    } finally {
      await yoga.dispose();
      await rateLimits.close();
    }
  });
});

describe('addressBlock', () => {
  it('keeps IPv4 whole, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(addressBlock('203.0.113.5')).toBe('203.0.113.5');
    expect(addressBlock('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressBlock('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8:1:2::abcd')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('')).toBe('unknown');
  });
});

function rating(customerToken: string) {
  return { customerToken, variant: 'LIKE_DISLIKE', rating: 'LIKED', idempotencyKey: randomUUID() };
}

async function ratingsOf(t: TestServer, externalId: string) {
  return t.database.prisma.interaction.count({
    where: { workspaceId: t.workspaceId, customer: { externalId }, type: { key: 'micro_rating' } },
  });
}
