// One fuzz case: a mutation, who calls it, and how the request is shaped — well-formed with
// variables or inline arguments, corrupted GraphQL text, a malformed HTTP body or content type, or
// a GET. A case is plain JSON: it is what fast-check prints as a counterexample and what
// regressions.json keeps, and `requestFor` turns it into the same request in any later run.
import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { anyString, hugeString } from './hostile-values.ts';
import { argumentsFor, type KnownValues } from './input-arbitraries.ts';
import { operationText, rootFields, selectionFor, type RootField } from './root-fields.ts';

export type Auth = 'secret' | 'publishable' | 'readOnly' | 'none' | { header: string };

export type Transport =
  | { kind: 'variables' }
  | { kind: 'inline' }
  /** The operation text cut at `cut` (a share of its length, 0–1) and `insert` spliced in there. */
  | { kind: 'corrupted'; cut: number; insert: string; keepRest: boolean }
  /** A body sent as is, with this content type (null: none); `{{operation}}` stands for the JSON of the well-formed request. */
  | { kind: 'raw'; contentType: string | null; body: string }
  | { kind: 'get'; csrfHeader: boolean };

export interface FuzzCase {
  mutation: string;
  auth: Auth;
  transport: Transport;
  args: Record<string, unknown>;
}

export interface FuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const AUTH: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Auth>('secret') },
  { weight: 2, arbitrary: fc.constant<Auth>('publishable') },
  { weight: 1, arbitrary: fc.constant<Auth>('readOnly') },
  { weight: 1, arbitrary: fc.constant<Auth>('none') },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          'bearer pulso_sk_0',
          'Bearer pulso_pk_x',
          'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x',
          `Bearer pulso_sk_${'a'.repeat(10_000)}`,
        ),
        anyString().map((s) => `Bearer ${s}`),
      )
      // fetch refuses header values with control characters or non-Latin-1 text: keep what a client can send.
      .map((header) => ({ header: header.replace(/[^\x20-\x7e]/g, '?').slice(0, 8_000) })),
  },
);

const CONTENT_TYPES = [
  null,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  'application/json, text/plain',
] as const;

const RAW_BODIES = [
  '{{operation}}',
  '',
  'not json',
  '{',
  'null',
  'true',
  '12',
  '"query"',
  '[]',
  '{}',
  '[{{operation}},{{operation}}]',
  '{"query": 5}',
  '{"query": null}',
  '{"query": ["mutation { rescoreAllCustomers { __typename } }"]}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "variables": "{}"}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "variables": []}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "extensions": "x"}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "operationName": 7}',
  '{"query": "mutation A { rescoreAllCustomers { __typename } } mutation B { rescoreAllCustomers { __typename } }"}',
  '{"query": "mutation A { rescoreAllCustomers { __typename } }", "operationName": "B"}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "variables": {"__proto__": {"polluted": true}}}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "__proto__": {"query": "x"}}',
  '{"query": "mutation { rescoreAllCustomers { __typename } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}',
  '{"query": "subscription { scoreChanged { customerId } }"}',
  '{"query": "{ __schema { types { name } } }"}',
  '{"query": "mutation { a: rescoreAllCustomers { __typename } b: rescoreAllCustomers { __typename } }"}',
  'query=mutation%20%7B%20rescoreAllCustomers%20%7B%20__typename%20%7D%20%7D',
  '\u0000\u0001\u0002',
  '\ufeff{{operation}}',
] as const;

function transport(): fc.Arbitrary<Transport> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant<Transport>({ kind: 'variables' }) },
    { weight: 3, arbitrary: fc.constant<Transport>({ kind: 'inline' }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('corrupted' as const),
        cut: fc.double({ min: 0, max: 1, noNaN: true }),
        insert: fc.oneof(
          fc.constantFrom(
            '',
            '{',
            '}',
            '(',
            ')',
            '$',
            '"',
            '\\',
            '...',
            '@skip',
            '#',
            '\u0000',
            'mutation',
            ': ',
            '!',
            '[',
            '{'.repeat(5_000),
          ),
          anyString(),
        ),
        keepRest: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('raw' as const),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        body: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...RAW_BODIES) },
          { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(100_000, 2_000_000).map((n) => `[${'['.repeat(n)}${']'.repeat(n)}]`),
          },
          // Nesting deeper than any client would serialise, in a variable the resolver stores.
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(5_000, 100_000)
              .map(
                (n) =>
                  `{"query": "mutation ($p: JSON) { createCustomer(input: {externalId: \\"deep\\", name: \\"Deep\\", properties: $p}) { __typename } }", "variables": {"p": ${'['.repeat(n)}${']'.repeat(n)}}}`,
              ),
          },
          {
            weight: 1,
            arbitrary: hugeString().map((s) =>
              JSON.stringify({ query: `mutation { rescoreAllCustomers { __typename } } # ${s}` }),
            ),
          },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), csrfHeader: fc.boolean() }) },
  );
}

/** Cases for every mutation of the schema; a mutation whose arguments have no arbitrary throws here. */
export function fuzzCases(schema: GraphQLSchema, known: KnownValues): fc.Arbitrary<FuzzCase> {
  const perMutation = rootFields(schema, ['mutation']).map((root) =>
    fc.record({
      mutation: fc.constant(root.name),
      auth: AUTH,
      transport: transport(),
      args: argumentsFor(root.field.args, known),
    }),
  );
  return fc.oneof(...perMutation);
}

/** A GraphQL literal for a value: enum values bare, objects as input objects, the rest as JSON. */
export function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, inner && isListType(inner) ? inner.ofType : undefined)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // A key that is no GraphQL name stays as the JSON string it is: a syntax error, as sent.
    return `{${entries.map(([k, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v, fields[k]?.type)}`).join(', ')}}`;
  }
  if (typeof value === 'string' && inner && isEnumType(inner) && inner.getValue(value)) return value;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0.0' : String(value);
  return JSON.stringify(value);
}

/** The request a case stands for, placeholders still in it. */
export function requestFor(schema: GraphQLSchema, c: FuzzCase): FuzzRequest {
  const root = rootFields(schema, ['mutation']).find((r) => r.name === c.mutation);
  if (!root)
    throw new Error(
      `no mutation ${c.mutation} in the schema (a kept case for a removed mutation: delete it from regressions.json)`,
    );
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const operation = JSON.stringify({ query: operationText(schema, root), variables: c.args });
  switch (c.transport.kind) {
    case 'variables':
      return { method: 'POST', path: '/graphql', headers, body: operation };
    case 'inline': {
      let query: string;
      try {
        query = inlineOperation(schema, root, c.args);
      } catch (error) {
        // Too deep to print as a literal here (a stack overflow in this process): send it as variables.
        if (!(error instanceof RangeError)) throw error;
        return { method: 'POST', path: '/graphql', headers, body: operation };
      }
      return { method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query }) };
    }
    case 'corrupted': {
      const text = operationText(schema, root);
      const at = Math.floor(c.transport.cut * text.length);
      const query = text.slice(0, at) + c.transport.insert + (c.transport.keepRest ? text.slice(at) : '');
      return { method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query, variables: c.args }) };
    }
    case 'raw': {
      if (c.transport.contentType === null) delete headers['content-type'];
      else headers['content-type'] = c.transport.contentType;
      return {
        method: 'POST',
        path: '/graphql',
        headers,
        body: c.transport.body.replaceAll('{{operation}}', operation),
      };
    }
    case 'get': {
      const params = new URLSearchParams({ query: operationText(schema, root), variables: JSON.stringify(c.args) });
      delete headers['content-type'];
      if (c.transport.csrfHeader) headers['x-pulso-csrf'] = '1';
      return { method: 'GET', path: `/graphql?${params}`, headers };
    }
  }
}

function inlineOperation(schema: GraphQLSchema, root: RootField, args: Record<string, unknown>): string {
  const passed = root.field.args
    .filter((a) => args[a.name] !== undefined)
    .map((a) => `${a.name}: ${literal(args[a.name], a.type)}`);
  return `mutation { ${root.name}${passed.length ? `(${passed.join(', ')})` : ''}${selectionFor(schema, root.field.type)} }`;
}
