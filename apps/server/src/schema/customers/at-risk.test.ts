// The at-risk ranking as a Relay connection over offset cursors: both directions (`last` alone
// included), coherent page info on an empty page, and cursors the server did not make refused as
// the caller's mistake rather than reaching Prisma's `skip`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const PAGE = `query ($first: Int, $last: Int, $after: String, $before: String) {
  customersAtRisk(first: $first, last: $last, after: $after, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { customer { id } } }
  }
}`;

const offsetCursor = (text: string) => Buffer.from(`OffsetConnection:${text}`).toString('base64');

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { customer: { id: string } } }[];
}

describe.each(['pglite', 'postgres'] as const)('customersAtRisk connection on %s', (database) => {
  let t: TestServer;
  let ranking: string[];

  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', database });
    ranking = (await page({ first: 200 })).edges.map((e) => e.node.customer.id);
    // Enough at-risk customers for a page at each end and one between.
    expect(ranking.length).toBeGreaterThan(6);
  });
  afterAll(() => t?.close());

  async function page(variables: Record<string, unknown>): Promise<Page> {
    const result = await t.graphql(PAGE, variables);
    expect(result.body.errors).toBeUndefined();
    return result.body.data.customersAtRisk;
  }

  const ids = (p: Page) => p.edges.map((e) => e.node.customer.id);

  it('refuses a cursor it did not make with BAD_USER_INPUT, before the database', async () => {
    for (const after of [offsetCursor('-5'), offsetCursor('abc'), offsetCursor('3abc'), 'garbage']) {
      const refused = await t.graphql(`query ($after: String) { customersAtRisk(after: $after) { totalCount } }`, {
        after,
      });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors).toHaveLength(1);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: `Invalid cursor: ${after}`,
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      });
      expect(JSON.stringify(refused.body.errors?.[0]?.extensions)).not.toMatch(/stack|prisma/i);
    }
    const before = await t.graphql(`{ customersAtRisk(last: 2, before: "${offsetCursor('-1')}") { totalCount } }`);
    expect(before.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'before' } });
  });

  it('reads the end of the ranking with `last` alone, and walks back to its start', async () => {
    const end = await page({ last: 5 });
    expect(ids(end)).toEqual(ranking.slice(-5));
    expect(end.totalCount).toBe(ranking.length);
    expect(end.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const walked = [...ids(end)];
    let before = end.pageInfo.startCursor;
    for (let guard = 0; guard < 50 && before; guard++) {
      const p = await page({ last: 5, before });
      walked.unshift(...ids(p));
      before = p.pageInfo.hasPreviousPage ? p.pageInfo.startCursor : null;
    }
    expect(walked).toEqual(ranking);
    // `last` with `after` alone: the end of what follows the cursor.
    const first = await page({ first: 2 });
    const tail = await page({ last: 200, after: first.pageInfo.endCursor });
    expect(ids(tail)).toEqual(ranking.slice(2));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('gives an empty page no cursors, never a negative one', async () => {
    const start = await page({ first: 1 });
    const beforeStart = await page({ last: 5, before: start.pageInfo.startCursor });
    expect(beforeStart.edges).toEqual([]);
    expect(beforeStart.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    const none = await page({ first: 0 });
    expect(none.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
    const last = await page({ last: 1 });
    const pastEnd = await page({ first: 5, after: last.pageInfo.endCursor });
    expect(pastEnd.edges).toEqual([]);
    expect(pastEnd.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});
