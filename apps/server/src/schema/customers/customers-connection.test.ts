import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';
import { DAY_MS } from '@pulso/scoring';

const PAGE = `query ($first: Int, $last: Int, $after: String, $before: String, $orderBy: CustomerOrder, $filter: CustomerFilter) {
  customers(first: $first, last: $last, after: $after, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id externalId name score band segment lastInteractionAt scoreChange30d } }
  }
}`;

interface Row {
  id: string;
  name: string;
  externalId: string;
  segment: string | null;
  score: number | null;
  band: string | null;
  lastInteractionAt: Date | null;
  scoreChange30d: number | null;
  createdAt: Date;
}

const FIELDS = {
  SCORE: (r: Row) => r.score,
  LAST_INTERACTION: (r: Row) => r.lastInteractionAt?.getTime() ?? null,
  SCORE_CHANGE_30D: (r: Row) => r.scoreChange30d,
  CREATED: (r: Row) => r.createdAt.getTime(),
} as const;

/** The documented order: missing values last in both directions, then the id in the same direction. */
function expectedOrder(rows: Row[], value: (r: Row) => number | null, direction: 'ASC' | 'DESC'): string[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null || vb === null) return va === vb ? sign * (a.id < b.id ? -1 : 1) : va === null ? 1 : -1;
      return va !== vb ? sign * (va - vb) : sign * (a.id < b.id ? -1 : 1);
    })
    .map((r) => r.id);
}

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

describe.each(['pglite', 'postgres'] as const)('customers connection on %s', (database) => {
  let t: TestServer;
  let rows: Row[];

  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoCustomers: 24, database });
    const prisma = t.database.prisma;
    // Ties and missing values, so that every ordering needs its id tie-break and its null rule.
    const some = await prisma.customer.findMany({
      where: { workspaceId: t.workspaceId },
      orderBy: { externalId: 'asc' },
      take: 6,
    });
    await prisma.customer.updateMany({
      where: { id: { in: some.slice(0, 4).map((c) => c.id) } },
      data: { score: 42.5, scoreChange30d: -3 },
    });
    await prisma.customer.updateMany({
      where: { id: { in: some.slice(4, 6).map((c) => c.id) } },
      data: { scoreChange30d: null },
    });
    await prisma.customer.createMany({
      data: [
        { workspaceId: t.workspaceId, externalId: 'new_1', name: 'Newcomer Alpha' },
        { workspaceId: t.workspaceId, externalId: 'new_2', name: 'Newcomer Alpha' },
        { workspaceId: t.workspaceId, externalId: 'NEW_3', name: 'newcomer beta', segment: 'smb' },
      ],
    });
    rows = await prisma.customer.findMany({
      where: { workspaceId: t.workspaceId },
      select: {
        id: true,
        name: true,
        externalId: true,
        segment: true,
        score: true,
        band: true,
        lastInteractionAt: true,
        scoreChange30d: true,
        createdAt: true,
      },
    });
  });
  afterAll(() => t?.close());

  async function page(variables: Record<string, unknown>) {
    const result = await t.graphql(PAGE, variables);
    expect(result.body.errors).toBeUndefined();
    return result.body.data.customers as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      edges: { cursor: string; node: { id: string } }[];
    };
  }

  async function walkForward(orderBy: object, size: number, filter?: object): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const p = await page({ first: size, after, orderBy, filter });
      ids.push(...p.edges.map((e) => rawId(e.node.id)));
      if (!p.pageInfo.hasNextPage) return ids;
      after = p.pageInfo.endCursor;
    }
    throw new Error('did not end');
  }

  async function walkBackward(orderBy: object, size: number): Promise<string[]> {
    const ids: string[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const p = await page({ last: size, before, orderBy });
      ids.unshift(...p.edges.map((e) => rawId(e.node.id)));
      if (!p.pageInfo.hasPreviousPage) return ids;
      before = p.pageInfo.startCursor;
    }
    throw new Error('did not end');
  }

  for (const field of ['SCORE', 'LAST_INTERACTION', 'SCORE_CHANGE_30D', 'CREATED'] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`orders by ${field} ${direction}, missing values last, and pages both ways without losing or repeating a row`, async () => {
        const expected = expectedOrder(rows, FIELDS[field], direction);
        const orderBy = { field, direction };
        const whole = await page({ first: 100, orderBy });
        expect(whole.totalCount).toBe(rows.length);
        expect(whole.edges.map((e) => rawId(e.node.id))).toEqual(expected);
        expect(await walkForward(orderBy, 4)).toEqual(expected);
        expect(await walkBackward(orderBy, 5)).toEqual(expected);
      });
    }
  }

  it('orders by NAME both ways with the id breaking ties, consistently across pages', async () => {
    const byDatabase = await t.database.prisma.customer.findMany({
      where: { workspaceId: t.workspaceId },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    const ascending = byDatabase.map((r) => r.id);
    expect(await walkForward({ field: 'NAME' }, 6)).toEqual(ascending);
    expect(await walkForward({ field: 'NAME', direction: 'DESC' }, 6)).toEqual([...ascending].reverse());
    expect(await walkBackward({ field: 'NAME', direction: 'DESC' }, 7)).toEqual([...ascending].reverse());
    // The default ordering is by name.
    const first = await page({ first: 3 });
    expect(first.edges.map((e) => rawId(e.node.id))).toEqual(ascending.slice(0, 3));
  });

  it('goes back to the previous page with last/before from a page start', async () => {
    const orderBy = { field: 'SCORE', direction: 'DESC' };
    const one = await page({ first: 5, orderBy });
    const two = await page({ first: 5, after: one.pageInfo.endCursor, orderBy });
    expect(two.pageInfo.hasPreviousPage).toBe(true);
    const back = await page({ last: 5, before: two.pageInfo.startCursor, orderBy });
    expect(back.edges.map((e) => e.node.id)).toEqual(one.edges.map((e) => e.node.id));
  });

  it('filters by band, segment, score range, text and silence, with a matching totalCount', async () => {
    const now = Date.now();
    const sample = rows.find((r) => r.band === 'AT_RISK' && r.segment)!;
    const cases: [object, (r: Row) => boolean][] = [
      [{ band: 'AT_RISK' }, (r) => r.band === 'AT_RISK'],
      [{ bands: ['HEALTHY', 'NEEDS_ATTENTION'] }, (r) => r.band === 'HEALTHY' || r.band === 'NEEDS_ATTENTION'],
      [{ segment: 'smb' }, (r) => r.segment === 'smb'],
      [{ minScore: 40, maxScore: 70 }, (r) => r.score !== null && r.score >= 40 && r.score <= 70],
      [{ search: 'NEWCOMER' }, (r) => r.name.toLowerCase().includes('newcomer')],
      [{ search: 'new_' }, (r) => r.externalId.toLowerCase().includes('new_')],
      [{ search: 'CUS_000' }, (r) => r.externalId.toLowerCase().includes('cus_000')],
      [
        { silentForMoreThanDays: 14 },
        (r) => r.lastInteractionAt === null || r.lastInteractionAt.getTime() < now - 14 * DAY_MS,
      ],
      [
        { band: 'AT_RISK', segment: sample.segment, maxScore: sample.score },
        (r) => r.band === 'AT_RISK' && r.segment === sample.segment && r.score! <= sample.score!,
      ],
    ];
    for (const [filter, predicate] of cases) {
      const expected = rows
        .filter(predicate)
        .map((r) => r.id)
        .sort();
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      const p = await page({ first: 100, filter });
      expect(p.edges.map((e) => rawId(e.node.id)).sort(), JSON.stringify(filter)).toEqual(expected);
      expect(p.totalCount, JSON.stringify(filter)).toBe(expected.length);
      // A filtered walk in small pages returns the same rows.
      expect((await walkForward({ field: 'SCORE' }, 3, filter)).sort()).toEqual(expected);
    }
  });

  // They were "" (the relay plugin's), where PageInfo says null and customersAtRisk gave null.
  it('gives an empty page no cursors, customers and interactions alike', async () => {
    const { body } = await t.graphql(`{
      none: customers(filter: { search: "no customer has this in its name" }) { pageInfo { startCursor endCursor } }
      zero: customers(first: 0) { pageInfo { startCursor endCursor } }
      some: customers(first: 1) { nodes { interactions(filter: { categoryKeys: ["no-such-category"] }) { pageInfo { startCursor endCursor } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const empty = { startCursor: null, endCursor: null };
    expect(body.data.none.pageInfo).toEqual(empty);
    expect(body.data.zero.pageInfo).toEqual(empty);
    expect(body.data.some.nodes[0].interactions.pageInfo).toEqual(empty);
  });

  it('refuses a cursor it did not make, or one made for another ordering', async () => {
    const bad = await t.graphql(PAGE, { first: 2, after: 'bm90IGEgY3Vyc29y' });
    expect(bad.body.errors?.[0]?.message).toBe('the cursor is not one this connection returned');
    const byScore = await page({ first: 2, orderBy: { field: 'SCORE' } });
    const mixed = await t.graphql(PAGE, { first: 2, after: byScore.pageInfo.endCursor, orderBy: { field: 'NAME' } });
    expect(mixed.body.errors?.[0]?.message).toMatch(/cursor belongs to an ordering by SCORE, not NAME/);
    const negative = await t.graphql(PAGE, { first: 2, filter: { silentForMoreThanDays: -1 } });
    expect(negative.body.errors?.[0]?.message).toBe('silentForMoreThanDays must be 0 or more');
  });
});
