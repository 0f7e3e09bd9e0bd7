// A page of customers with everything a dashboard shows runs a fixed set of database operations,
// whatever the page size. Each operation is one Prisma call (a nested include is loaded with its
// parent, never row by row; the raw ones are the batched trend, interaction page — rows, types and
// categories in one statement — and count loaders); the list itself is snapshotted so a new one
// shows in review. The at-risk dashboard (benchmark 2 of bench/) is held to 2 SQL statements per
// request, counted by PostgreSQL itself (pg_stat_statements) on top of the Prisma operations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../testing.ts';

const DASHBOARD_PAGE = `query ($first: Int!) {
  customers(first: $first, orderBy: { field: SCORE, direction: ASC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id externalId name segment score band lastInteractionAt
        health {
          value band colour coverage computedAt modelVersion
          trend { change7d change30d direction }
          categories { key name weight weightSource effectiveWeight subScore contribution }
          drivers { raised { interactionId typeKey points occurredAt } lowered { interactionId typeKey points occurredAt } }
          flags { code message }
        }
        weights { categoryKey weight source share }
        manualAssessment { score reason expiresAt inForce }
        scoreHistory { computedAt score }
        interactions(first: 5) {
          totalCount
          edges { node { id occurredAt sentiment value comment type { key name category { key } } } }
        }
      }
    }
  }
}`;

// The at-risk dashboard of bench/benchmarks/dashboard.ts.
const AT_RISK_PAGE = `query ($first: Int!) {
  atRiskCustomers(first: $first) {
    score scoreChange30d mainReason { code message }
    customer {
      id externalId name segment band
      health { value band categories { key subScore contribution effectiveWeight } flags { code message } }
      interactions(first: 5) { edges { node { id occurredAt sentiment value comment type { key name } } } }
    }
  }
}`;

describe.each(['pglite', 'postgres'] as const)('database operations for a page of customers on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 100, database, recordQueries: true });
  });
  afterAll(() => t?.close());

  async function operationsFor(first: number): Promise<string[]> {
    t.queries.length = 0;
    const result = await t.graphql(DASHBOARD_PAGE, { first });
    expect(result.body.errors).toBeUndefined();
    const edges = result.body.data.customers.edges;
    expect(edges).toHaveLength(first);
    for (const { node } of edges) {
      expect(node.health.categories.length).toBeGreaterThan(0);
      expect(node.interactions.edges.length).toBeGreaterThan(0);
      expect(node.interactions.edges.length).toBeLessThanOrEqual(5);
    }
    // The API key lookup is cached for a few seconds: it is not part of the page.
    return t.queries.filter((q) => q.model !== 'ApiKey').map((q) => `${q.model ?? 'raw'}.${q.operation}`);
  }

  it('runs the same few operations for 10 and for 100 customers', async () => {
    const ten = await operationsFor(10);
    const hundred = await operationsFor(100);
    expect(hundred).toEqual(ten);
    expect(hundred.length).toBeLessThanOrEqual(8);
    expect([...hundred].sort()).toMatchInlineSnapshot(`
      [
        "Category.findMany",
        "Customer.count",
        "Customer.findMany",
        "SegmentWeight.findMany",
        "raw.$queryRaw",
        "raw.$queryRaw",
        "raw.$queryRaw",
      ]
    `);
  });

  async function atRiskOperations(first: number): Promise<{ operations: string[]; customers: number }> {
    t.queries.length = 0;
    const result = await t.graphql(AT_RISK_PAGE, { first });
    expect(result.body.errors).toBeUndefined();
    const page = result.body.data.atRiskCustomers;
    for (const { customer } of page) {
      expect(customer.band).toBe('AT_RISK');
      expect(customer.health.categories.length).toBeGreaterThan(0);
      expect(customer.interactions.edges.length).toBeLessThanOrEqual(5);
      for (const { node } of customer.interactions.edges) expect(node.type.key).toEqual(expect.any(String));
    }
    return {
      operations: t.queries.filter((q) => q.model !== 'ApiKey').map((q) => `${q.model ?? 'raw'}.${q.operation}`),
      customers: page.length,
    };
  }

  it('answers the at-risk dashboard with the page and one statement for every interaction page', async () => {
    const two = await atRiskOperations(2);
    const all = await atRiskOperations(200);
    expect(two.customers).toBe(2);
    expect(all.customers).toBeGreaterThan(2);
    expect(all.operations).toEqual(two.operations);
    expect(all.operations).toEqual(['Customer.findMany', 'raw.$queryRaw']);
  });

  // PGlite has no pg_stat_statements: its Prisma operations above are the measure there.
  if (database === 'postgres')
    it('runs 2 SQL statements for the at-risk dashboard, whatever the page size', async () => {
      const sql = t.database.prisma;
      await sql.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      async function statementsFor(first: number): Promise<number> {
        await atRiskOperations(first); // the API key is looked up (and cached) outside the count
        await sql.$executeRawUnsafe(
          'SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)',
        );
        await atRiskOperations(first);
        const [row] = await sql.$queryRawUnsafe<{ calls: number }[]>(
          `SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'`,
        );
        return row!.calls;
      }
      expect(await statementsFor(2)).toBe(2);
      expect(await statementsFor(200)).toBe(2);
    });
});
