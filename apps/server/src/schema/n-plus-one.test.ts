// A page of customers with everything a dashboard shows runs a fixed set of database operations,
// whatever the page size. Each operation is one Prisma call (a nested include is loaded with its
// parent, never row by row; the raw ones are the batched trend, interaction page and count
// loaders); the list itself is snapshotted so a new one shows in review.
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

describe.each(['pglite', 'postgres'] as const)('database operations for a page of customers on %s', (database) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ workspace: 'demo', demoCustomers: 100, database, recordQueries: true });
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
        "Interaction.findMany",
        "SegmentWeight.findMany",
        "raw.$queryRaw",
        "raw.$queryRaw",
        "raw.$queryRaw",
      ]
    `);
  });
});
