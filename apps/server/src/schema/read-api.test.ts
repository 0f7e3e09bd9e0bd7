import { DAY_MS, computeTrend } from '@pulso/scoring';
import { createWorkspace } from '@pulso/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

describe.each(['pglite', 'postgres'] as const)('read API on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 30, database });
  });
  afterAll(() => t?.close());

  it('shows the stored score with its explanation, and the trend computed from the whole history', async () => {
    const customers = await t.database.prisma.customer.findMany({
      where: { workspaceId: t.workspaceId },
      orderBy: { externalId: 'asc' },
    });
    for (const customer of customers.slice(0, 8)) {
      const { body } = await t.graphql(
        `query ($id: ID!) { customer(id: $id) { score band scoreChange30d health {
          value band bandLabel colour coverage computedAt modelVersion silenceFactor interactionCount
          confidence graveSignalFactor neutralContribution
          trend { change7d change30d direction }
          categories { key name weight weightSource effectiveWeight subScore contribution hasData evidence
            activity { recentPerDay baselinePerDay change peerPercentile } }
          drivers { raised { interactionId typeKey categoryKey points occurredAt } lowered { points } }
          flags { code message }
        } } }`,
        { id: globalId('Customer', customer.id) },
      );
      expect(body.errors).toBeUndefined();
      const stored = customer.scoreBreakdown as any;
      const health = body.data.customer.health;
      expect(health).toMatchObject({
        value: customer.score,
        band: customer.band,
        bandLabel: stored.band.label,
        colour: stored.band.color,
        coverage: stored.coverage,
        computedAt: customer.scoreComputedAt!.toISOString(),
        modelVersion: customer.scoreModelVersion,
        interactionCount: stored.interactionCount,
        silenceFactor: stored.silenceFactor,
        // Formula 2's readings (the demo is scored by it): how sure, what grave signals left, and
        // what the neutral prior adds.
        confidence: stored.confidence,
        graveSignalFactor: stored.graveSignalFactor,
        neutralContribution: stored.neutralContribution,
      });
      expect(health.confidence).toBeGreaterThan(0);
      expect(health.categories).toEqual(
        stored.categories.map((c: any) => ({
          ...c,
          weightSource: c.weightSource.toUpperCase(),
          hasData: c.subScore !== null,
          // Only the categories that measure activity (engagement, product usage) carry a reading.
          activity: c.activity ?? null,
        })),
      );
      for (const c of health.categories.filter((c: any) => c.activity !== null)) {
        expect(['engagement', 'product_usage']).toContain(c.key);
      }
      // The explanation adds up: contributions and the neutral prior make the score, to rounding.
      const sum = health.categories.reduce(
        (total: number, c: any) => total + c.contribution,
        // (A manual assessment, when there is one, adds its own part.)
        health.neutralContribution + (stored.assessment?.contribution ?? 0),
      );
      expect(Math.abs(sum - health.value)).toBeLessThan(0.5);
      expect(health.flags).toEqual(stored.flags.map(({ code, message }: any) => ({ code, message })));
      expect(health.drivers.raised.map((d: any) => d.points)).toEqual(stored.drivers.raised.map((d: any) => d.points));
      expect(health.drivers.raised[0]?.interactionId).toBe(
        stored.drivers.raised[0] ? globalId('Interaction', stored.drivers.raised[0].interactionId) : undefined,
      );
      // The trend the API gives equals the engine's trend over every stored snapshot.
      const history = await t.database.prisma.scoreSnapshot.findMany({
        where: { customerId: customer.id },
        select: { computedAt: true, score: true },
      });
      const expected = computeTrend(
        [
          ...history.map((h) => ({ at: h.computedAt, score: h.score })),
          { at: customer.scoreComputedAt!, score: customer.score! },
        ],
        customer.scoreComputedAt!,
      );
      expect(health.trend).toEqual({ ...expected, direction: expected.direction.toUpperCase() });
      expect(health.trend.change30d).toBe(customer.scoreChange30d);
    }
  });

  it('gives the score history over a period, oldest first', async () => {
    const customer = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'cus_0003' },
    });
    const to = customer.scoreComputedAt!;
    const from = new Date(to.getTime() - 60 * DAY_MS);
    const { body } = await t.graphql(
      `query ($from: DateTime, $to: DateTime) { customer(externalId: "cus_0003") {
        scoreHistory(from: $from, to: $to) { computedAt score band coverage modelVersion }
        recent: scoreHistory { computedAt } } }`,
      { from: from.toISOString(), to: to.toISOString() },
    );
    expect(body.errors).toBeUndefined();
    const stored = await t.database.prisma.scoreSnapshot.findMany({
      where: { customerId: customer.id, computedAt: { gte: from, lte: to } },
      orderBy: { computedAt: 'asc' },
    });
    expect(stored.length).toBeGreaterThan(5);
    expect(body.data.customer.scoreHistory).toEqual(
      stored.map((s) => ({
        computedAt: s.computedAt.toISOString(),
        score: s.score,
        band: s.band,
        coverage: s.coverage,
        modelVersion: s.modelVersion,
      })),
    );
    // Without a period: the last 90 days up to now.
    const recent = body.data.customer.recent.map((p: any) => Date.parse(p.computedAt));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent).toEqual([...recent].sort((a, b) => a - b));
    expect(recent[0]).toBeGreaterThanOrEqual(Date.now() - 91 * DAY_MS);
  });

  it('filters a customer’s interactions by type, category, sentiment and journey stage, newest first', async () => {
    const busiest = await t.database.prisma.interaction.groupBy({
      by: ['customerId'],
      where: { workspaceId: t.workspaceId },
      _count: { _all: true },
      orderBy: { _count: { customerId: 'desc' } },
      take: 1,
    });
    const customerId = busiest[0]!.customerId;
    const rows = await t.database.prisma.interaction.findMany({
      where: { customerId },
      include: { type: { include: { category: true } } },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    });
    // Taken from the data (the demo's interactions depend on the day it is seeded).
    const withSentiment = rows.find((r) => r.sentiment)!;
    const someSentiment = withSentiment.sentiment!;
    const itsCategory = withSentiment.type.category.key;
    const someStage = rows.find((r) => r.journeyStage)!.journeyStage!;
    const cases: [object, (r: (typeof rows)[number]) => boolean][] = [
      [{ typeKeys: [rows[0]!.type.key] }, (r) => r.type.key === rows[0]!.type.key],
      [{ categoryKeys: ['engagement', 'support'] }, (r) => ['engagement', 'support'].includes(r.type.category.key)],
      [{ sentiments: [someSentiment] }, (r) => r.sentiment === someSentiment],
      [{ journeyStages: [someStage] }, (r) => r.journeyStage === someStage],
      [
        { categoryKeys: [itsCategory], sentiments: [someSentiment] },
        (r) => r.type.category.key === itsCategory && r.sentiment === someSentiment,
      ],
    ];
    for (const [filter, predicate] of cases) {
      const expected = rows.filter(predicate);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      const { body } = await t.graphql(
        `query ($id: ID!, $filter: InteractionFilter) { node(id: $id) { ... on Customer {
          interactions(first: 100, filter: $filter) { totalCount edges { node { id type { key category { key } } sentiment journeyStage } } } } } }`,
        { id: globalId('Customer', customerId), filter },
      );
      expect(body.errors).toBeUndefined();
      const page = body.data.node.interactions;
      expect(page.totalCount, JSON.stringify(filter)).toBe(expected.length);
      expect(
        page.edges.map((e: any) => e.node.id),
        JSON.stringify(filter),
      ).toEqual(expected.slice(0, 100).map((r) => globalId('Interaction', r.id)));
    }
  });

  it('pages through a customer’s interactions both ways, filtered or not, without losing or repeating one', async () => {
    const customer = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, externalId: 'cus_0002' },
    });
    const query = `query ($id: ID!, $first: Int, $last: Int, $after: String, $before: String, $filter: InteractionFilter) { customer(id: $id) {
      interactions(first: $first, last: $last, after: $after, before: $before, filter: $filter) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } } }`;
    for (const filter of [null, { categoryKeys: ['product_usage', 'engagement'] }]) {
      const expected = (
        await t.database.prisma.interaction.findMany({
          where: {
            customerId: customer.id,
            ...(filter ? { type: { category: { key: { in: filter.categoryKeys } } } } : {}),
          },
          orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
          select: { id: true },
        })
      ).map((r) => globalId('Interaction', r.id));
      expect(expected.length).toBeGreaterThan(10);
      const forward: string[] = [];
      let after: string | undefined;
      for (;;) {
        const { body } = await t.graphql(query, { id: customer.id, first: 7, after, filter });
        expect(body.errors).toBeUndefined();
        const page = body.data.customer.interactions;
        expect(page.totalCount).toBe(expected.length);
        forward.push(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(expected);
      const backward: string[] = [];
      let before: string | undefined;
      for (;;) {
        const { body } = await t.graphql(query, { id: customer.id, last: 6, before, filter });
        const page = body.data.customer.interactions;
        backward.unshift(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backward).toEqual(expected);
    }
    const bad = await t.graphql(query, { id: customer.id, first: 2, after: 'bm9wZQ' });
    expect(bad.body.errors?.[0]?.message).toBe('the cursor is not one this connection returned');
  });

  it('lists the weights in force for a customer and where each comes from', async () => {
    const prisma = t.database.prisma;
    const categories = await prisma.category.findMany({ where: { workspaceId: t.workspaceId } });
    const segmentWeights = await prisma.segmentWeight.findMany({ where: { workspaceId: t.workspaceId } });
    const weighted = segmentWeights[0]!;
    const customer = await prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, segment: weighted.segment },
    });
    const own = categories.find((c) => c.id !== weighted.categoryId)!;
    await prisma.customerWeight.create({
      data: { workspaceId: t.workspaceId, customerId: customer.id, categoryId: own.id, weight: 99 },
    });
    const plain = await prisma.customer.create({
      data: { workspaceId: t.workspaceId, externalId: 'no_segment', name: 'No Segment' },
    });

    const query = `query ($id: ID!) { customer(id: $id) { weights { categoryKey categoryName weight source share } } }`;
    const { body } = await t.graphql(query, { id: globalId('Customer', customer.id) });
    expect(body.errors).toBeUndefined();
    const weights = body.data.customer.weights as {
      categoryKey: string;
      weight: number;
      source: string;
      share: number;
    }[];
    expect(weights.map((w) => w.categoryKey).sort()).toEqual(categories.map((c) => c.key).sort());
    for (const w of weights) {
      const category = categories.find((c) => c.key === w.categoryKey)!;
      const segment = segmentWeights.find((s) => s.segment === customer.segment && s.categoryId === category.id);
      if (category.id === own.id) expect(w).toMatchObject({ weight: 99, source: 'CUSTOMER' });
      else if (segment) expect(w).toMatchObject({ weight: segment.weight, source: 'SEGMENT' });
      else expect(w).toMatchObject({ weight: category.weight, source: 'WORKSPACE' });
    }
    expect(weights.reduce((sum, w) => sum + w.share, 0)).toBeCloseTo(1, 3);

    const alone = await t.graphql(query, { id: globalId('Customer', plain.id) });
    expect(alone.body.data.customer.weights.every((w: any) => w.source === 'WORKSPACE')).toBe(true);
    await prisma.customer.deleteMany({ where: { id: plain.id } });
  });

  it('gives each reason and flag the figures its message is worded from (params), for clients in other languages', async () => {
    const { body } = await t.graphql(`{
      atRiskCustomers(first: 50) { reasons { code message params { name number text } } }
      customers(first: 100) { nodes { health { flags { code message params { name number text } } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const explained = [
      ...body.data.atRiskCustomers.flatMap((a: any) => a.reasons),
      ...body.data.customers.nodes.flatMap((c: any) => c.health?.flags ?? []),
    ];
    expect(explained.length).toBeGreaterThan(0);
    for (const { code, message, params } of explained) {
      // Scores stored now carry them: every kind but NO_DATA has at least one figure.
      if (code !== 'NO_DATA') expect(params.length, `${code}: ${message}`).toBeGreaterThan(0);
      for (const param of params) {
        expect((param.number === null) !== (param.text === null), `${code}.${param.name}`).toBe(true);
        // Each number is in the message as it shows (1 is a marker: onlyComplaints, laterRecords, noContact).
        if (param.number !== null && !['onlyComplaints', 'laterRecords', 'noContact'].includes(param.name))
          expect(message, `${code}.${param.name}`).toMatch(
            new RegExp(`(^|[^\\d.])-?${Math.abs(param.number).toFixed(Number.isInteger(param.number) ? 0 : 1)}(?!\\d)`),
          );
      }
    }
  });

  it('lists the at-risk customers worst first, each with why', async () => {
    const { body } = await t.graphql(`{ atRiskCustomers(first: 50) {
      score scoreChange30d daysSinceLastInteraction mainReason { code message } reasons { code message }
      customer { id band score lastInteractionAt } } }`);
    expect(body.errors).toBeUndefined();
    const list = body.data.atRiskCustomers;
    // Churned customers left: the list holds the active ones (the demo has churns among its silent customers).
    const atRisk = await t.database.prisma.customer.count({
      where: { workspaceId: t.workspaceId, band: 'AT_RISK', churnedAt: null },
    });
    expect(atRisk).toBeGreaterThan(0);
    expect(list).toHaveLength(Math.min(50, atRisk));
    const churned = await t.database.prisma.customer.findMany({
      where: { workspaceId: t.workspaceId, band: 'AT_RISK', churnedAt: { not: null } },
      select: { id: true },
    });
    const listed = new Set(list.map((a: any) => a.customer.id));
    for (const { id } of churned) expect(listed.has(encodeGlobalID('Customer', id))).toBe(false);
    const scores = list.map((a: any) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    for (const entry of list) {
      expect(entry.customer.band).toBe('AT_RISK');
      expect(entry.mainReason).toEqual(entry.reasons[0]);
      expect(entry.mainReason.message.length).toBeGreaterThan(0);
      const days = entry.customer.lastInteractionAt
        ? Math.floor((Date.now() - Date.parse(entry.customer.lastInteractionAt)) / DAY_MS)
        : null;
      expect(entry.daysSinceLastInteraction).toBe(days);
    }
    const two = await t.graphql(`{ atRiskCustomers(first: 2) { customer { id } } }`);
    expect(two.body.data.atRiskCustomers.map((a: any) => a.customer.id)).toEqual(
      list.slice(0, 2).map((a: any) => a.customer.id),
    );
    // The connection ranks the same, and pages on: the second page starts where the first ended.
    const first = await t.graphql(
      `{ customersAtRisk(first: 2) { totalCount pageInfo { endCursor } nodes { customer { id } } } }`,
    );
    const page = first.body.data.customersAtRisk;
    expect(page.nodes.map((a: any) => a.customer.id)).toEqual(list.slice(0, 2).map((a: any) => a.customer.id));
    expect(page.totalCount).toBeGreaterThanOrEqual(list.length);
    const next = await t.graphql(
      `query ($after: String) { customersAtRisk(first: 1, after: $after) { nodes { customer { id } } } }`,
      {
        after: page.pageInfo.endCursor,
      },
    );
    expect(next.body.data.customersAtRisk.nodes.map((a: any) => a.customer.id)).toEqual(
      list.slice(2, 3).map((a: any) => a.customer.id),
    );
    const tooMany = await t.graphql(`{ atRiskCustomers(first: 500) { score } }`);
    expect(tooMany.body.errors?.[0]?.message).toBe(
      'Query.atRiskCustomers: `first` is at most 200, got 500: ask in pages of 200',
    );
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives workspace statistics that match the stored scores', async () => {
    const { body } = await t.graphql(`{ statistics { customerCount churnedCount scoredCount averageScore
      bands { band label colour count share } movement30d { up down flat unknown bandChanged bandImproved bandWorsened } } }`);
    expect(body.errors).toBeUndefined();
    const stats = body.data.statistics;
    // Churned customers are counted apart, and nowhere else.
    const all = await t.database.prisma.customer.findMany({ where: { workspaceId: t.workspaceId } });
    const customers = all.filter((c) => c.churnedAt === null);
    expect(stats.churnedCount).toBe(all.length - customers.length);
    const scored = customers.filter((c) => c.score !== null);
    expect(stats.customerCount).toBe(customers.length);
    expect(stats.scoredCount).toBe(scored.length);
    expect(stats.averageScore).toBeCloseTo(scored.reduce((s, c) => s + c.score!, 0) / scored.length, 1);
    for (const band of ['AT_RISK', 'NEEDS_ATTENTION', 'HEALTHY']) {
      expect(stats.bands.find((b: any) => b.band === band).count).toBe(customers.filter((c) => c.band === band).length);
    }
    const m = stats.movement30d;
    expect(m.up).toBe(customers.filter((c) => c.scoreChange30d !== null && c.scoreChange30d > 1).length);
    expect(m.down).toBe(customers.filter((c) => c.scoreChange30d !== null && c.scoreChange30d < -1).length);
    expect(m.up + m.down + m.flat + m.unknown).toBe(customers.length);
    expect(m.bandImproved + m.bandWorsened).toBe(m.bandChanged);
    expect(m.bandChanged).toBeGreaterThan(0);
  });

  // A dashboard said 146 customers were at risk where its at-risk list, which leaves churned
  // customers out, had 116: the figures, the list and the filter now count the same customers.
  it('counts the same customers at risk in the statistics, the at-risk list and the filter', async () => {
    const someone = await t.database.prisma.customer.findFirstOrThrow({
      where: { workspaceId: t.workspaceId, band: 'AT_RISK', churnedAt: null },
    });
    const churn = await t.graphql(
      `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { __typename } }`,
      {
        input: {
          customer: { externalId: someone.externalId },
          kind: 'CHURNED',
          occurredAt: new Date().toISOString(),
          idempotencyKey: `statistics-churn-${someone.externalId}`,
        },
      },
    );
    expect(churn.body.errors).toBeUndefined();
    const { body } = await t.graphql(`{
      statistics { churnedCount bands { band count } }
      customersAtRisk { totalCount }
      active: customers(filter: { band: AT_RISK, churned: false }) { totalCount }
      churned: customers(filter: { churned: true }) { totalCount }
      all: customers(filter: { band: AT_RISK }) { totalCount }
    }`);
    expect(body.errors).toBeUndefined();
    const atRisk = body.data.statistics.bands.find((b: { band: string }) => b.band === 'AT_RISK').count;
    expect(atRisk).toBe(body.data.customersAtRisk.totalCount);
    expect(atRisk).toBe(body.data.active.totalCount);
    expect(body.data.all.totalCount).toBeGreaterThan(atRisk);
    expect(body.data.statistics.churnedCount).toBe(body.data.churned.totalCount);
    expect(body.data.churned.totalCount).toBeGreaterThan(0);
  });

  it('shows the scoring model: categories, types, overrides, bands and settings', async () => {
    const { body } =
      await t.graphql(`{ scoringModel { version bandAtRiskMax bandNeedsAttentionMax decayHalfLifeDays silenceWindowDays upsellEngagementMin
      bands { band label colour above upTo }
      categories { key name weight share isEngagement }
      interactionTypes { key basePoints sentimentHandling valueScale requiresEngagement category { key } }
      segmentWeights { segment weight category { key } }
      customerWeights { weight customer { externalId } category { key } } } }`);
    expect(body.errors).toBeUndefined();
    const model = body.data.scoringModel;
    const prisma = t.database.prisma;
    const workspace = await prisma.workspace.findFirstOrThrow({ where: { id: t.workspaceId } });
    expect(model).toMatchObject({
      version: workspace.scoringModelVersion,
      bandAtRiskMax: workspace.bandAtRiskMax,
      decayHalfLifeDays: workspace.decayHalfLifeDays,
      silenceWindowDays: workspace.silenceWindowDays,
    });
    expect(model.bands).toEqual([
      { band: 'AT_RISK', label: 'At risk', colour: '#d64545', above: null, upTo: workspace.bandAtRiskMax },
      {
        band: 'NEEDS_ATTENTION',
        label: 'Needs attention',
        colour: '#e8a33d',
        above: workspace.bandAtRiskMax,
        upTo: workspace.bandNeedsAttentionMax,
      },
      { band: 'HEALTHY', label: 'Healthy', colour: '#2f9e6b', above: workspace.bandNeedsAttentionMax, upTo: 100 },
    ]);
    expect(model.categories.map((c: any) => c.key)).toEqual(
      (await prisma.category.findMany({ where: { workspaceId: t.workspaceId }, orderBy: { key: 'asc' } })).map(
        (c) => c.key,
      ),
    );
    expect(model.categories.reduce((s: number, c: any) => s + c.share, 0)).toBeCloseTo(1, 3);
    expect(model.interactionTypes).toHaveLength(
      await prisma.interactionType.count({ where: { workspaceId: t.workspaceId } }),
    );
    expect(model.segmentWeights).toHaveLength(
      await prisma.segmentWeight.count({ where: { workspaceId: t.workspaceId } }),
    );
    expect(model.customerWeights).toHaveLength(
      await prisma.customerWeight.count({ where: { customer: { workspaceId: t.workspaceId } } }),
    );
  });
});

describe.each(['pglite', 'postgres'] as const)('Relay ids and tenant isolation on %s', (database) => {
  let t: TestServer;
  let other: { workspaceId: string; secretKey: string; customerId: string; interactionId: string };
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 6, database });
    const prisma = t.database.prisma;
    const b = await createWorkspace(prisma, { slug: 'other', name: 'Other' });
    const type = await prisma.interactionType.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });
    const customer = await prisma.customer.create({
      data: { workspaceId: b.workspaceId, externalId: 'b_only', name: 'Only In B' },
    });
    const interaction = await prisma.interaction.create({
      data: { workspaceId: b.workspaceId, customerId: customer.id, typeId: type.id, occurredAt: new Date() },
    });
    other = {
      workspaceId: b.workspaceId,
      secretKey: b.secretKey.key,
      customerId: customer.id,
      interactionId: interaction.id,
    };
  });
  afterAll(() => t?.close());

  it('loads customers and interactions by global id through node and nodes', async () => {
    const page = await t.graphql(
      `{ customers(first: 1) { edges { node { id name interactions(first: 1) { edges { node { id occurredAt } } } } } } }`,
    );
    const customer = page.body.data.customers.edges[0].node;
    const interaction = customer.interactions.edges[0].node;
    const { body } = await t.graphql(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Customer { name } ... on Interaction { occurredAt customer { id } } } }`,
      { ids: [customer.id, interaction.id] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes).toEqual([
      { __typename: 'Customer', id: customer.id, name: customer.name },
      {
        __typename: 'Interaction',
        id: interaction.id,
        occurredAt: interaction.occurredAt,
        customer: { id: customer.id },
      },
    ]);
    const byId = await t.graphql(`query ($id: ID!) { customer(id: $id) { name } }`, { id: customer.id });
    expect(byId.body.data.customer.name).toBe(customer.name);
  });

  it('answers an id of another workspace exactly like an id that does not exist', async () => {
    const theirs = [globalId('Customer', other.customerId), globalId('Interaction', other.interactionId)];
    const nobody = [
      globalId('Customer', '01900000-0000-7000-8000-000000000000'),
      globalId('Interaction', '01900000-0000-7000-8000-000000000001'),
    ];
    const ask = (ids: string[], key?: string) =>
      t.graphql(
        `query ($ids: [ID!]!, $one: ID!) { nodes(ids: $ids) { id } node(id: $one) { id } customer(id: $one) { id } }`,
        { ids, one: ids[0] },
        key,
      );
    const foreign = await ask(theirs);
    const missing = await ask(nobody);
    expect(foreign.status).toBe(missing.status);
    expect(foreign.body).toEqual({
      data: { nodes: [null, null], node: null, customer: null },
      extensions: { cost: expect.any(Object) },
    });
    expect(missing.body).toEqual(foreign.body);
    // The same ids work for their own workspace.
    const own = await ask(theirs, other.secretKey);
    expect(own.body.data.nodes).toEqual(theirs.map((id) => ({ id })));
    // Nor does anything else of workspace B show through A's key.
    const lists =
      await t.graphql(`{ byExternal: customer(externalId: "b_only") { id } customers(first: 100, filter: { search: "b_only" }) { totalCount }
      statistics { customerCount churnedCount } }`);
    expect(lists.body.data).toEqual({
      byExternal: null,
      customers: { totalCount: 0 },
      // A's six demo customers, active or churned; B's one is in neither.
      statistics: { customerCount: expect.any(Number), churnedCount: expect.any(Number) },
    });
    expect(lists.body.data.statistics.customerCount + lists.body.data.statistics.churnedCount).toBe(6);
  });

  it('refuses node to a request without a key and to a publishable key', async () => {
    const id = globalId('Customer', other.customerId);
    const anonymous = await t.graphql(`query ($id: ID!) { node(id: $id) { id } }`, { id }, null);
    expect(anonymous.body.errors?.[0]?.message).toMatch(/API key is required/);
    const publishable = await t.graphql(`query ($id: ID!) { nodes(ids: [$id]) { id } }`, { id }, t.publishableKey);
    expect(publishable.body.errors?.[0]).toMatchObject({
      message: 'a publishable API key may not use Query.nodes',
      extensions: { code: 'FORBIDDEN' },
    });
    // Refused before anything is looked up, whatever the id.
    const garbage = await t.graphql(`{ node(id: "no such id") { id } }`, {}, t.publishableKey);
    expect(garbage.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers null for an id that names no customer or interaction, with no error', async () => {
    const ids = [
      'no such id',
      globalId('ApiKey', other.customerId),
      globalId('Nope', '1'),
      globalId('Customer', 'not-a-uuid'),
    ];
    const { body } = await t.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(body).toEqual({ data: { nodes: [null, null, null, null] }, extensions: { cost: expect.any(Object) } });
  });
});
