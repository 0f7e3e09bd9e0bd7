// A publishable key (pulso_pk_, the one a host site puts in its pages) may submit micro-ratings
// and nothing else. This check is generated from the schema: every root field of Query, Mutation
// and Subscription is called over HTTP with the smallest valid operation, and each must be
// refused with FORBIDDEN — except submitMicroRating, which must reach its resolver. A field added
// without `authScopes` is open to everyone, so it fails here with no edit to this file.
import {
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  validate,
  type GraphQLFieldConfigMap,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPulsoServer, schema } from '@pulso/server';
import { createTestServer, type TestServer } from '@pulso/server/testing';
import { minimalOperation, rootFields, type RootField } from './fuzz/root-fields.ts';

/** The only root field a publishable key may use. */
const RATING_FIELD = 'Mutation.submitMicroRating';

interface Answer {
  status: number;
  errors: { message: string; extensions?: { code?: string } }[];
  data: Record<string, unknown> | null | undefined;
}

/** Calls a root field with its smallest operation; a subscription's first event is its answer. */
async function call(url: string, graphqlSchema: GraphQLSchema, root: RootField, key: string | null): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: root.kind === 'subscription' ? 'text/event-stream' : 'application/json',
  };
  if (key) headers.authorization = `Bearer ${key}`;
  // An accepted subscription stays open with nothing to say: after a few seconds it counts as accepted.
  const signal = AbortSignal.timeout(5_000);
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify(minimalOperation(graphqlSchema, root)),
    signal,
  });
  let body: { data?: Record<string, unknown> | null; errors?: Answer['errors'] };
  if (root.kind === 'subscription') {
    body = await firstEvent(response).catch(() => ({ data: { [root.name]: 'stayed open: accepted' } }));
  } else {
    body = (await response.json()) as typeof body;
  }
  return { status: response.status, errors: body.errors ?? [], data: body.data };
}

async function firstEvent(
  response: Response,
): Promise<{ data?: Record<string, unknown> | null; errors?: Answer['errors'] }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended with no event: ${text}`);
      text += value;
      const event = /event: next\ndata: (.*)\n/.exec(text);
      if (event) return JSON.parse(event[1]!);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Root fields that do not refuse `key` with `code`: each with what it answered instead. */
async function unrefusedFields(
  url: string,
  graphqlSchema: GraphQLSchema,
  key: string | null,
  code: string,
  allowed: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const root of rootFields(graphqlSchema)) {
    const answer = await call(url, graphqlSchema, root, key);
    const codes = answer.errors.map((e) => e.extensions?.code);
    if (allowed.includes(root.path)) {
      // In scope: the resolver ran (placeholder input may still be a typed user error).
      if (codes.length > 0 || answer.data?.[root.name] == null)
        problems.push(`${root.path} should be allowed: ${JSON.stringify(answer)}`);
    } else if (!(codes.includes(code) && answer.data?.[root.name] == null)) {
      problems.push(`${root.path} should be refused with ${code}: ${JSON.stringify(answer)}`);
    }
  }
  return problems;
}

/** Pulso's schema plus a query and a mutation declared without authScopes, as a careless change would add them. */
function withUnscopedFields(base: GraphQLSchema): GraphQLSchema {
  const config = base.toConfig();
  const extend = (type: GraphQLObjectType, fields: GraphQLFieldConfigMap<unknown, unknown>) =>
    new GraphQLObjectType({ ...type.toConfig(), fields: { ...type.toConfig().fields, ...fields } });
  const query = extend(base.getQueryType()!, { leak: { type: GraphQLString, resolve: () => 'every customer' } });
  const mutation = extend(base.getMutationType()!, {
    leakyWrite: {
      type: GraphQLString,
      args: { note: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: () => 'written',
    },
  });
  return new GraphQLSchema({
    ...config,
    query,
    mutation,
    types: config.types.filter((t) => t.name !== 'Query' && t.name !== 'Mutation'),
  });
}

describe('publishable keys, checked on every root field of the schema', () => {
  let t: TestServer;
  let url: string;
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 4 });
    url = await t.server.listen(0, '127.0.0.1');
  }, 60_000);
  afterAll(() => t?.close());

  it('builds a valid operation for every root field of Query, Mutation and Subscription', () => {
    const fields = rootFields(schema);
    const expected = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((name) => `${type!.name}.${name}`),
    );
    expect(fields.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(fields.map((f) => f.path)).toContain(RATING_FIELD);
    for (const root of fields) {
      const { query } = minimalOperation(schema, root);
      expect(validate(schema, parse(query)), query).toEqual([]);
    }
  });

  it('refuses a publishable key on every root field but submitMicroRating', async () => {
    expect(await unrefusedFields(url, schema, t.publishableKey, 'FORBIDDEN', [RATING_FIELD])).toEqual([]);
  });

  it('refuses a request without a key on every root field', async () => {
    expect(await unrefusedFields(url, schema, null, 'UNAUTHENTICATED', [])).toEqual([]);
  });

  it('fails for a root field added without a scope (the check bites)', async () => {
    const leaky = withUnscopedFields(schema);
    const server = createPulsoServer({ database: t.database, logger: createLogger('silent'), schema: leaky });
    const leakyUrl = await server.listen(0, '127.0.0.1');
    try {
      const problems = await unrefusedFields(leakyUrl, leaky, t.publishableKey, 'FORBIDDEN', [RATING_FIELD]);
      expect(problems.map((p) => p.split(' ')[0])).toEqual(['Query.leak', 'Mutation.leakyWrite']);
    } finally {
      await server.close(1_000);
    }
  });
});
