// The DateTime and JSON scalars at the door, in process (yoga.fetch, no port), writing to a real
// database: a date is strict RFC 3339 with a zone inside the documented range, a JSON input is
// bounded in depth and size, and every refusal is a clear BAD_USER_INPUT with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
});
afterAll(() => t?.close());

type Answer = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(raw: string): Promise<Answer> {
  const response = await t.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.secretKey}` },
    body: raw,
  });
  return (await response.json()) as Answer;
}

const RECORD = `mutation ($input: RecordInteractionInput!) {
  recordInteraction(input: $input) { __typename ... on RecordedInteraction { interaction { occurredAt } } }
}`;

let key = 0;
function record(occurredAt: string) {
  const input = {
    customer: { externalId: 'cus_dates', name: 'Dates' },
    type: 'nps',
    value: 9,
    occurredAt,
    idempotencyKey: `dates-${++key}`,
  };
  return post(JSON.stringify({ query: RECORD, variables: { input } }));
}

describe('DateTime', () => {
  it.each([
    ['2025-11-23T18:00:00Z', '2025-11-23T18:00:00.000Z'],
    ['2025-11-23T19:30:00+01:30', '2025-11-23T18:00:00.000Z'],
    ['2024-02-29T00:00:00.123456Z', '2024-02-29T00:00:00.123Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('takes %s', async (sent, stored) => {
    const { data, errors } = await record(sent);
    expect(errors).toBeUndefined();
    expect(data.recordInteraction.interaction.occurredAt).toBe(stored);
  });

  it.each([
    ['year 0, which PostgreSQL cannot store', '0000-01-01T00:00:00Z', 'is out of range: from 1970-01-01T00:00:00Z'],
    ['a day February does not have', '2026-02-30T00:00:00Z', 'names no calendar day: month 2 of 2026 has 28 days'],
    ['February 29 of a common year', '2025-02-29T12:00:00Z', 'month 2 of 2025 has 28 days'],
    ['a time without a zone', '2026-11-23T18:00:00', 'must be an RFC 3339 date and time with a time zone'],
    ['a date alone', '2026-11-23', 'must be an RFC 3339 date and time with a time zone'],
    ['hour 24', '2026-11-23T24:00:00Z', 'names no time of day'],
    ['month 13', '2026-13-01T00:00:00Z', 'names no calendar month'],
    ['before 1970', '1969-12-31T23:59:59Z', 'is out of range'],
  ])('refuses %s', async (_, sent, reason) => {
    const before = await t.database.prisma.interaction.count();
    const { data, errors } = await record(sent);
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain(reason);
    expect(errors?.[0]?.message).not.toContain('Unexpected error');
    expect(await t.database.prisma.interaction.count()).toBe(before);
  });

  it('refuses a bad literal with the same reason', async () => {
    const { errors } = await post(
      JSON.stringify({
        query:
          '{ customers(first: 1) { edges { node { interactions(filter: { occurredAfter: "2026-02-30T00:00:00Z" }) { edges { node { id } } } } } } }',
      }),
    );
    expect(errors?.[0]?.message).toContain('names no calendar day');
  });
});

describe('JSON inputs', () => {
  const UPSERT =
    'mutation ($p: JSON) { upsertCustomer(input: { externalId: "cus_json", name: "J", properties: $p }) { __typename } }';
  // Built as text: the test's own JSON.stringify would overflow on 5,000 levels too.
  const nested = (levels: number) =>
    `{"query":${JSON.stringify(UPSERT)},"variables":{"p":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}`;

  it('refuses properties nested 5,000 levels with a clear error, writing nothing', async () => {
    const { data, errors } = await post(nested(5_000));
    expect(data).toBeUndefined();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain('a JSON value may nest objects and arrays 32 levels deep at most');
    expect(await t.database.prisma.customer.count({ where: { externalId: 'cus_json' } })).toBe(0);
  });

  it('refuses properties over 64 KiB as JSON text', async () => {
    const big = { notes: 'x'.repeat(70_000) };
    const { errors } = await post(JSON.stringify({ query: UPSERT, variables: { p: big } }));
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/65536 bytes long at most as JSON text, got 700\d\d/);
  });

  it('takes properties 32 levels deep', async () => {
    const { data, errors } = await post(nested(31));
    expect(errors).toBeUndefined();
    expect(data.upsertCustomer.__typename).toBe('UpsertedCustomer');
  });
});
