// Every connection of the schema, found from the schema itself (issue 16): each has `nodes` and
// `totalCount`, answers them consistently with its edges, and refuses a page it cannot serve —
// `first`/`last` above its largest page, or both at once — with BAD_USER_INPUT instead of silently
// serving less. A connection added later is checked the same way without touching this file.
import {
  getNamedType,
  type GraphQLField,
  type GraphQLObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';
import { maxPageSize } from '../plugins/page-arguments.ts';
import { schema } from './index.ts';

type Field = GraphQLField<unknown, unknown>;

const isConnection = (type: unknown): type is GraphQLObjectType =>
  isObjectType(type) && 'edges' in type.getFields() && 'pageInfo' in type.getFields();

/** Every field returning a connection, with the type it is on. */
const connectionFields = Object.values(schema.getTypeMap())
  .filter(isObjectType)
  .flatMap((parent) =>
    Object.values(parent.getFields())
      .filter((field) => isConnection(getNamedType(field.type)))
      .map((field) => ({ parent: parent.name, field })),
  );

/** Literal values for a field's required arguments other than the page ones. */
function requiredArgs(field: Field): string {
  const literals: Record<string, string> = { DateTime: '"2026-01-01T00:00:00Z"', Int: '1', String: '"x"', ID: '"x"' };
  return field.args
    .filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)
    .map((arg) => {
      const type = getNamedType(arg.type);
      if (!isScalarType(type) || !(type.name in literals)) throw new Error(`no literal for ${field.name}(${arg.name})`);
      return `${arg.name}: ${literals[type.name]}`;
    })
    .join(', ');
}

/** An operation that reaches the connection field with these page arguments. */
function operationFor(parent: string, field: Field, page: string): string {
  const args = [requiredArgs(field), page].filter(Boolean).join(', ');
  const selection = `${field.name}(${args}) { totalCount nodes { __typename } edges { cursor } }`;
  if (parent === 'Query') return `{ ${selection} }`;
  if (parent === 'Customer') return `{ customers(first: 1) { nodes { ${selection} } } }`;
  throw new Error(`connections.test.ts does not know how to reach ${parent}.${field.name}: add a route`);
}

describe('every connection', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 5 });
  });
  afterAll(async () => t?.close());

  it('is found in the schema', () => {
    expect(connectionFields.map(({ parent, field }) => `${parent}.${field.name}`).sort()).toEqual(
      expect.arrayContaining(['Query.customers', 'Customer.interactions', 'Query.apiKeys', 'Query.customersAtRisk']),
    );
  });

  it('has nodes (its edges’ nodes) and totalCount: Int!', () => {
    const missing: string[] = [];
    for (const { field } of connectionFields) {
      const connection = getNamedType(field.type) as GraphQLObjectType;
      const fields = connection.getFields();
      const edge = getNamedType(fields.edges!.type) as GraphQLObjectType;
      const node = getNamedType(edge.getFields().node!.type);
      const nodes = fields.nodes;
      if (
        !nodes ||
        !isListType(isNonNullType(nodes.type) ? nodes.type.ofType : nodes.type) ||
        getNamedType(nodes.type) !== node
      )
        missing.push(`${connection.name}.nodes`);
      if (!fields.totalCount || String(fields.totalCount.type) !== 'Int!')
        missing.push(`${connection.name}.totalCount`);
    }
    expect(missing).toEqual([]);
  });

  for (const { parent, field } of connectionFields) {
    const name = `${parent}.${field.name}`;
    const max = maxPageSize(field);

    it(`${name}: its largest page (${max}) answers nodes, edges and totalCount that agree`, async () => {
      const { body } = await t.graphql(operationFor(parent, field, `first: ${max}`));
      expect(body.errors).toBeUndefined();
      const connection = parent === 'Query' ? body.data[field.name] : body.data.customers.nodes[0][field.name];
      expect(connection.nodes).toHaveLength(connection.edges.length);
      expect(connection.totalCount).toBeGreaterThanOrEqual(connection.edges.length);
    });

    it(`${name}: first above ${max}, a negative last, and first with last are refused`, async () => {
      for (const [page, argument] of [
        [`first: ${max + 1}`, 'first'],
        ['last: -1', 'last'],
        ['first: 1, last: 1', 'last'],
      ] as const) {
        const { body } = await t.graphql(operationFor(parent, field, page));
        expect(body.data ?? undefined, page).toBeUndefined();
        expect(body.errors?.[0]?.extensions, page).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: name,
          argument,
          max,
        });
      }
    });
  }

  it('refuses a page size sent as a variable, before anything runs', async () => {
    const { body } = await t.graphql('query ($n: Int) { customers(first: $n) { totalCount } }', { n: 101 });
    expect(body.errors?.[0]).toMatchObject({
      message: 'Query.customers: `first` is at most 100, got 101: ask in pages of 100',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('a root field returning a list of records is a connection, unless a lookup, deprecated or for the administrator', () => {
    const plain = Object.values(schema.getQueryType()!.getFields())
      .filter((field) => isListType(isNonNullType(field.type) ? field.type.ofType : field.type))
      .filter((field) => isObjectType(getNamedType(field.type)))
      // `nodes` and the batch lookups answer one item for each value asked (ids, external ids,
      // idempotency keys), never more; the administrator's lists are of an instance's few workspaces.
      .filter((field) => !field.args.some((a) => ['ids', 'externalIds', 'keys'].includes(a.name)))
      .filter((field) => !field.deprecationReason && !field.name.startsWith('admin'))
      .map((field) => field.name);
    expect(plain).toEqual([]);
  });
});
