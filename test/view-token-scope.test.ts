// A view token reads exactly what its widget shows, and nothing more (issue 16, defect 7). The
// check is generated from the schema and the widgets' own documents: every field of every type a
// view token's entry points reach (the customer of a gauge token, the at-risk list, and the live
// stream `liveViews` with the token in its `views`, sent as the bearer or beside another kind's
// token as the bearer) is asked for alone, over HTTP, and must answer exactly when the
// widget's documents select it (`<pulso-gauge>` for a customer token, `<pulso-at-risk>` for an
// at-risk token) and be refused FORBIDDEN otherwise. A field added to the schema is refused to
// view tokens unless a widget asks for it, with no edit to this file; a field a widget starts to
// ask for fails here until the server lets its token read it.
import {
  astFromValue,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@pulso/server';
import { createTestServer, openEventStream, type TestServer } from '@pulso/server/testing';
import { signViewToken } from '@pulso/tokens';
import {
  AT_RISK_QUERY,
  GAUGE_QUERY,
  LIVE_VIEWS_AT_RISK_SUBSCRIPTION,
  LIVE_VIEWS_SUBSCRIPTION,
} from '@pulso/widgets/documents';
import { minimalOperation, placeholderValue, rootFields } from './fuzz/root-fields.ts';

/** `Type.field` of every field a document selects (meta fields such as `__typename` aside). */
function coordinatesOf(document: string): Set<string> {
  const found = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    parse(document),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) found.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return found;
}

/** Where a selection goes in an entry point's operation: `{ customer(externalId: "x") { … } }`. */
interface Entry {
  kind: 'query' | 'subscription';
  /** The operation with `%` where the selection goes. */
  template: string;
  type: GraphQLNamedType;
}

/** One field asked for alone: its coordinate, the operation, and every field the operation selects. */
interface Probe {
  coordinate: string;
  kind: Entry['kind'];
  operation: string;
  path: string[];
}

/** The selection a field needs after its name: its required arguments (placeholders) and `{ __typename }` for an object. */
function fieldSelection(type: GraphQLObjectType, name: string): string {
  const field = type.getFields()[name]!;
  const args = field.args
    .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
    .map((a) => `${a.name}: ${print(astFromValue(placeholderValue(a.type), a.type)!)}`);
  return `${name}${args.length ? `(${args.join(', ')})` : ''}${isLeafType(getNamedType(field.type)) ? '' : ' { __typename }'}`;
}

/**
 * Every field of every object type reachable from the entries, once each, at its shortest path:
 * first through fields the widget selects (so an allowed field is reached through allowed ones),
 * then through any field.
 */
function probesFrom(entries: Entry[], allowed: Set<string>): Probe[] {
  type Reach = { entry: Entry; open: string; close: string; path: string[]; type: GraphQLNamedType };
  const reached = new Map<string, Reach>();
  const expand = (through: (coordinate: string) => boolean) => {
    const queue = [...reached.values()];
    while (queue.length) {
      const at = queue.shift()!;
      const objects = isAbstractType(at.type)
        ? schema.getPossibleTypes(at.type).map((t) => [t, `... on ${t.name} { `, ' }'] as const)
        : isObjectType(at.type)
          ? [[at.type, '', ''] as const]
          : [];
      for (const [object, open, close] of objects) {
        for (const field of Object.values(object.getFields())) {
          const coordinate = `${object.name}.${field.name}`;
          const next = getNamedType(field.type);
          if (isLeafType(next) || reached.has(next.name) || !through(coordinate)) continue;
          const args = fieldSelection(object, field.name).replace(/ \{ __typename \}$/, '');
          const step: Reach = {
            entry: at.entry,
            open: `${at.open}${open}${args} { `,
            close: ` }${close}${at.close}`,
            path: [...at.path, coordinate],
            type: next,
          };
          reached.set(next.name, step);
          queue.push(step);
        }
      }
    }
  };
  for (const entry of entries) {
    if (!reached.has(entry.type.name))
      reached.set(entry.type.name, { entry, open: '', close: '', path: [], type: entry.type });
  }
  expand((c) => allowed.has(c));
  expand(() => true);
  const probes: Probe[] = [];
  for (const at of reached.values()) {
    const objects = isAbstractType(at.type)
      ? schema.getPossibleTypes(at.type).map((t) => [t, `... on ${t.name} { `, ' }'] as const)
      : isObjectType(at.type)
        ? [[at.type, '', ''] as const]
        : [];
    for (const [object, open, close] of objects) {
      for (const name of Object.keys(object.getFields())) {
        const coordinate = `${object.name}.${name}`;
        const selection = `${at.open}${open}${fieldSelection(object, name)}${close}${at.close}`;
        probes.push({
          coordinate,
          kind: at.entry.kind,
          operation: at.entry.template.replace('%', selection),
          path: [...at.path, coordinate],
        });
      }
    }
  }
  return probes;
}

describe('view tokens, checked on every field their entry points reach', () => {
  let t: TestServer;
  let url: string;
  let own: string;
  let customerToken: string;
  let atRiskToken: string;
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 30, demoOutcomes: false });
    url = await t.server.listen(0, '127.0.0.1');
    // The gauge follows an at-risk customer, so that one recorded interaction reaches both streams.
    const list = await t.graphql('{ atRiskCustomers(first: 1) { customer { externalId } } }');
    own = list.body.data.atRiskCustomers[0].customer.externalId;
    const { tokenSigningSecret: secret } = await t.database.prisma.workspace.findUniqueOrThrow({
      where: { id: t.workspaceId },
    });
    customerToken = await signViewToken({
      secret,
      workspaceId: t.workspaceId,
      grant: { kind: 'customer', externalId: own },
    });
    atRiskToken = await signViewToken({ secret, workspaceId: t.workspaceId, grant: { kind: 'at_risk' } });
  }, 60_000);
  afterAll(async () => {
    t?.server.http.closeAllConnections();
    await t?.close();
  });

  const grants = () => [
    {
      name: 'a customer token (<pulso-gauge>)',
      token: customerToken,
      widget: [GAUGE_QUERY, LIVE_VIEWS_SUBSCRIPTION],
      entries: [
        {
          kind: 'query',
          template: `{ customer(externalId: ${JSON.stringify(own)}) { % } }`,
          type: schema.getType('Customer')!,
        },
        {
          kind: 'subscription',
          template: `subscription { liveViews(views: [${JSON.stringify(customerToken)}]) { % } }`,
          type: schema.getType('LiveViewEvent')!,
        },
      ] satisfies Entry[],
      roots: ['Query.customer', 'Subscription.liveViews'],
    },
    {
      name: 'an at-risk token (<pulso-at-risk>)',
      token: atRiskToken,
      // The at-risk list's own stream (no gauge on it): the gauge's selection is refused to it.
      widget: [AT_RISK_QUERY, LIVE_VIEWS_AT_RISK_SUBSCRIPTION],
      entries: [
        { kind: 'query', template: '{ atRiskCustomers(first: 5) { % } }', type: schema.getType('AtRiskCustomer')! },
        {
          kind: 'subscription',
          template: `subscription { liveViews(views: [${JSON.stringify(atRiskToken)}]) { % } }`,
          type: schema.getType('LiveViewEvent')!,
        },
      ] satisfies Entry[],
      roots: ['Query.atRiskCustomers', 'Subscription.liveViews'],
    },
    // A token inside `views` reads what its widget shows whichever token is the bearer.
    {
      name: 'an at-risk token in views, a customer token as the bearer',
      token: customerToken,
      widget: [LIVE_VIEWS_AT_RISK_SUBSCRIPTION],
      entries: [
        {
          kind: 'subscription',
          template: `subscription { liveViews(views: [${JSON.stringify(atRiskToken)}]) { % } }`,
          type: schema.getType('LiveViewEvent')!,
        },
      ] satisfies Entry[],
      roots: ['Subscription.liveViews'],
      viewsOnly: true,
    },
    {
      name: 'a customer token in views, an at-risk token as the bearer',
      token: atRiskToken,
      widget: [LIVE_VIEWS_SUBSCRIPTION],
      entries: [
        {
          kind: 'subscription',
          template: `subscription { liveViews(views: [${JSON.stringify(customerToken)}]) { % } }`,
          type: schema.getType('LiveViewEvent')!,
        },
      ] satisfies Entry[],
      roots: ['Subscription.liveViews'],
      viewsOnly: true,
    },
  ];

  it('reaches every field the widgets select, from their entry points', () => {
    for (const grant of grants()) {
      const allowed = new Set(grant.widget.flatMap((d) => [...coordinatesOf(d)]));
      const probed = new Set(probesFrom(grant.entries, allowed).map((p) => p.coordinate));
      const roots = [...allowed].filter((c) => /^(Query|Subscription)\./.test(c));
      expect(roots.sort()).toEqual([...grant.roots].sort());
      expect([...allowed].filter((c) => !roots.includes(c) && !probed.has(c))).toEqual([]);
    }
  });

  it.each([
    [0, 'a customer token'],
    [1, 'an at-risk token'],
    [2, 'an at-risk token in views under a customer bearer'],
    [3, 'a customer token in views under an at-risk bearer'],
  ])(
    'answers %i, %s, exactly the fields its widget selects, field by field',
    async (index) => {
      const grant = grants()[index]!;
      const allowed = new Set(grant.widget.flatMap((d) => [...coordinatesOf(d)]));
      const probes = probesFrom(grant.entries, allowed);
      // The sensitive parts of a customer the issue names are among the fields asked for.
      const coordinates = probes.map((p) => p.coordinate);
      for (const sensitive of [
        'Customer.properties',
        'Customer.scoreBreakdown',
        'Customer.weights',
        'Customer.interactions',
        'Interaction.comment',
        'ManualAssessment.reason',
        'ManualAssessment.author',
      ])
        expect(coordinates).toContain(sensitive);
      const problems: string[] = [];
      const streams: { probe: Probe; stream: Awaited<ReturnType<typeof openEventStream>> }[] = [];
      for (const probe of probes) {
        const expected = probe.path.every((c) => allowed.has(c));
        if (probe.kind === 'query') {
          const { body } = await t.graphql(probe.operation, {}, grant.token);
          const codes = (body.errors ?? []).map((e) => e.extensions?.code);
          if (expected && (body.errors || body.data == null))
            problems.push(`${probe.coordinate} should be answered: ${JSON.stringify(body).slice(0, 300)}`);
          if (!expected && !(codes.includes('FORBIDDEN') && body.data == null))
            problems.push(`${probe.coordinate} should be refused: ${JSON.stringify(body).slice(0, 300)}`);
        } else {
          const stream = await openEventStream(`${url}/graphql`, probe.operation, {}, grant.token);
          if (expected) {
            streams.push({ probe, stream });
          } else {
            const event = await stream.next(2_000);
            stream.close();
            const codes = (event?.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
            if (!(codes.includes('FORBIDDEN') && event.data == null))
              problems.push(`${probe.coordinate} (live) should be refused: ${JSON.stringify(event).slice(0, 300)}`);
          }
        }
      }
      // The allowed streams each deliver the change one recorded interaction makes (the gauge's
      // customer is at risk and stays so: the at-risk stream hears of it too).
      await new Promise((resolve) => setTimeout(resolve, 150));
      const recorded = await t.graphql(
        'mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }',
        {
          input: {
            customer: { externalId: own },
            type: 'meeting',
            sentiment: 'WASTED_TIME',
            idempotencyKey: `view-scope-${index}`,
          },
        },
      );
      expect(recorded.body.data.recordInteraction.__typename).toBe('RecordedInteraction');
      for (const { probe, stream } of streams) {
        const event = await stream.next(5_000);
        stream.close();
        if (!event || event.errors || event.data?.liveViews == null)
          problems.push(`${probe.coordinate} (live) should be answered: ${JSON.stringify(event).slice(0, 300)}`);
      }
      expect(streams.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    },
    120_000,
  );

  it('refuses every other root field', async () => {
    for (const grant of grants()) {
      // The bearer's own roots are the first two grants'.
      if ('viewsOnly' in grant) continue;
      for (const root of rootFields(schema)) {
        if (grant.roots.includes(root.path)) continue;
        const { query, variables } = minimalOperation(schema, root);
        if (root.kind === 'subscription') {
          const stream = await openEventStream(`${url}/graphql`, query, variables, grant.token);
          const event = await stream.next(2_000);
          stream.close();
          expect(event?.errors?.[0]?.extensions?.code, `${grant.name} ${root.path}`).toBe('FORBIDDEN');
        } else {
          const { body } = await t.graphql(query, variables, grant.token);
          expect(body.errors?.[0]?.extensions?.code, `${grant.name} ${root.path}`).toBe('FORBIDDEN');
        }
      }
    }
  }, 60_000);

  it("does not let an at-risk token open a named customer's stream", async () => {
    const stream = await openEventStream(
      `${url}/graphql`,
      'subscription ($externalId: String) { scoreChanged(externalId: $externalId) { externalId } }',
      { externalId: own },
      atRiskToken,
    );
    const event = await stream.next(2_000);
    stream.close();
    expect(event?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
