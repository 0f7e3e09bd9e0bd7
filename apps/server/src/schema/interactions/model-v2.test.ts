// Model v2 through the public API (issue 14): each claim of the source material, and each
// behaviour a customer-success manager could not explain under v1, recorded as a client would
// (recordInteractions, the rating widget) and read back from the customer's health. On PGlite
// only: the rules live in @pulso/scoring and @pulso/core, and the database under them is the same
// one either way (their own suites run on both).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCustomerToken } from '@pulso/tokens';
import { createTestServer, type TestServer } from '../../testing.ts';

const BATCH = `mutation ($interactions: [RecordInteractionInput!]!) {
  recordInteractions(interactions: $interactions) {
    __typename
    ... on ValidationError { problems { field code message } }
    ... on UserError { field code message }
  }
}`;

const HEALTH = `query ($externalId: String!) { customer(externalId: $externalId) {
  health { value band confidence graveSignalFactor flags { code message }
    categories { key subScore evidence activity { change peerPercentile } } }
} }`;

const RATE = `mutation ($input: SubmitMicroRatingInput!) {
  submitMicroRating(input: $input) { __typename ... on UserError { code message } }
}`;

const DAY = 86_400_000;

interface Touch {
  type: string;
  daysAgo: number;
  sentiment?: string;
  value?: number;
  comment?: string;
  journeyStage?: string;
}

/** `perWeek` touches of `type` spread over `days` days, leaving the last `quietDays` empty. */
function rhythm(type: string, perWeek: number, days: number, quietDays = 0): Touch[] {
  const touches: Touch[] = [];
  for (let ago = days; ago > quietDays; ago -= 7 / perWeek) touches.push({ type, daysAgo: ago });
  return touches;
}

/** Half a year of meetings, emails and product use: an engaged customer. */
const engaged = (): Touch[] => [
  ...rhythm('email', 2, 180),
  ...rhythm('meeting', 0.25, 180),
  ...rhythm('product_session', 5, 180),
];

describe('model v2 through the API', () => {
  let t: TestServer;
  let now: number;
  let secret: string;
  let serial = 0;
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', database: 'pglite', workspace: 'empty' });
    now = Date.now();
    secret = (await t.graphql(`{ tokenSigningSecret }`)).body.data.tokenSigningSecret;
  }, 60_000);
  afterAll(() => t?.close());

  async function record(externalId: string, touches: Touch[]): Promise<void> {
    const interactions = touches.map((touch) => ({
      customer: { externalId, name: externalId },
      type: touch.type,
      occurredAt: new Date(now - touch.daysAgo * DAY).toISOString(),
      sentiment: touch.sentiment,
      value: touch.value,
      comment: touch.comment,
      journeyStage: touch.journeyStage,
      idempotencyKey: `${externalId}-${(serial += 1)}`,
    }));
    const { body } = await t.graphql(BATCH, { interactions });
    expect(body.errors).toBeUndefined();
    expect(body.data.recordInteractions.__typename).toBe('RecordedInteractions');
  }

  async function health(externalId: string) {
    const { body } = await t.graphql(HEALTH, { externalId });
    expect(body.errors).toBeUndefined();
    return body.data.customer.health;
  }

  const codes = (h: { flags: { code: string }[] }) => h.flags.map((f) => f.code);

  /** The score of a fresh customer with `base`, then after `extra`: [before, after]. */
  async function effect(name: string, base: Touch[], extra: Touch[]): Promise<[number, number]> {
    if (base.length) await record(name, base);
    const before = base.length ? (await health(name)).value : 50;
    await record(name, extra);
    return [before, (await health(name)).value];
  }

  it('"wasted my time" from the rating widget is the gravest signal: worse than a price complaint or NPS 0', async () => {
    const [base, afterComplaint] = await effect('price', engaged(), [
      { type: 'spontaneous_feedback', daysAgo: 0.01, sentiment: 'DISLIKED', comment: 'It is too expensive for us.' },
    ]);
    const [, afterNps] = await effect('nps-zero', engaged(), [{ type: 'nps', daysAgo: 0.01, value: 0 }]);
    await record('wasted', engaged());
    const customerToken = await signCustomerToken({ secret, externalId: 'wasted' });
    const rated = await t.graphql(
      RATE,
      {
        input: { customerToken, variant: 'THREE_LEVELS', rating: 'WASTED_TIME', idempotencyKey: 'wasted-1' },
      },
      t.publishableKey,
    );
    expect(rated.body.data.submitMicroRating.__typename).toBe('MicroRatingReceipt');
    const wasted = await health('wasted');
    expect(base - wasted.value).toBeGreaterThan(base - afterComplaint);
    expect(base - wasted.value).toBeGreaterThan(base - afterNps);
    expect(base - wasted.value).toBeGreaterThan(10);
    expect(codes(wasted)).toEqual(expect.arrayContaining(['WASTED_TIME', 'GRAVE_SIGNALS']));
  });

  it('an upsell counts only with recent engagement above neutral, and says so when it lacks it', async () => {
    const stoppedAYearAgo = [...rhythm('email', 2, 540, 365), ...rhythm('product_session', 5, 540, 365)];
    const [before, after] = await effect('lapsed', stoppedAYearAgo, [{ type: 'upsell', daysAgo: 0.01 }]);
    expect(after).toBeCloseTo(before, 0);
    expect(codes(await health('lapsed'))).toContain('UPSELL_DISCOUNTED');
    const [engagedBefore, engagedAfter] = await effect('engaged-upsell', engaged(), [
      { type: 'upsell', daysAgo: 0.01 },
    ]);
    expect(engagedAfter).toBeGreaterThan(engagedBefore);
  });

  it('satisfaction alone is not loyalty: one NPS 10 or one CSAT 5 and nothing else is not healthy, and says so', async () => {
    for (const [name, touch] of [
      ['lone-nps', { type: 'nps', daysAgo: 1, value: 10 }],
      ['lone-csat', { type: 'csat', daysAgo: 1, value: 5 }],
    ] as const) {
      await record(name, [touch]);
      const h = await health(name);
      expect(h.band).not.toBe('HEALTHY');
      expect(h.confidence).toBeLessThan(0.25);
      expect(codes(h)).toContain('NOT_ENOUGH_DATA');
    }
  });

  it('silence ends only with real engagement: an indifferent click or a complaint after 90 quiet days lifts nothing', async () => {
    const quiet = [...rhythm('email', 2, 360, 90), ...rhythm('product_session', 5, 360, 90)];
    const [before, afterClick] = await effect('quiet', quiet, [
      { type: 'email', daysAgo: 0.01, sentiment: 'INDIFFERENT' },
    ]);
    expect(afterClick).toBeLessThanOrEqual(before);
    const [, afterComplaint] = await effect(
      'quiet',
      [],
      [{ type: 'support_ticket', daysAgo: 0.005, sentiment: 'DISLIKED' }],
    );
    expect(afterComplaint).toBeLessThan(afterClick);
  });

  it('a positive interaction never lowers a score: an upsell on a customer without engagement data', async () => {
    const [before, after] = await effect(
      'no-engagement',
      [{ type: 'nps', daysAgo: 30, value: 9 }],
      [{ type: 'upsell', daysAgo: 0.01 }],
    );
    expect(after).toBeGreaterThanOrEqual(before);
  });

  it('repeated support contacts without a good outcome are friction: eight tickets score below one', async () => {
    const [, one] = await effect('one-ticket', engaged(), [{ type: 'support_ticket', daysAgo: 2 }]);
    const tickets = Array.from({ length: 8 }, (_, i) => ({ type: 'support_ticket', daysAgo: 2 + i }));
    const [, eight] = await effect('eight-tickets', engaged(), tickets);
    expect(eight).toBeLessThan(one);
  });

  it('cancellation intent is strongly negative, and a ticket in the CANCELLATION journey stage is intent', async () => {
    const [before, after] = await effect('leaving', engaged(), [
      { type: 'cancellation_intent', daysAgo: 0.01, comment: 'We are thinking of cancelling.' },
    ]);
    expect(before - after).toBeGreaterThan(8);
    const [ticketBefore, ticketAfter] = await effect('leaving-ticket', engaged(), [
      {
        type: 'support_ticket',
        daysAgo: 0.01,
        journeyStage: 'CANCELLATION',
        comment: 'We are thinking of cancelling.',
      },
    ]);
    expect(ticketBefore - ticketAfter).toBeGreaterThan(8);
  });

  it('a like with a detailed comment beats a bare like through recordInteraction too; a like sent as WASTED_TIME costs', async () => {
    await record('liker', [
      { type: 'like', daysAgo: 1 },
      { type: 'like', daysAgo: 1, comment: 'This report saved my team a whole afternoon, thank you!' },
    ]);
    const stored = await t.database.prisma.interaction.findMany({
      where: { workspaceId: t.workspaceId, customer: { externalId: 'liker' } },
      orderBy: { intensity: 'asc' },
      select: { intensity: true },
    });
    expect(stored.map((i) => i.intensity)).toEqual([1, 2]);
    const [before, after] = await effect('odd-like', engaged(), [
      { type: 'like', daysAgo: 0.01, sentiment: 'WASTED_TIME' },
    ]);
    expect(after).toBeLessThan(before);
    expect(codes(await health('odd-like'))).toContain('WASTED_TIME');
  });

  it('NPS by its own semantics: passives (7, 8) are neutral alike, a detractor (6) costs', async () => {
    const [base, seven] = await effect('nps-7', engaged(), [{ type: 'nps', daysAgo: 0.01, value: 7 }]);
    const [, eight] = await effect('nps-8', engaged(), [{ type: 'nps', daysAgo: 0.01, value: 8 }]);
    const [, six] = await effect('nps-6', engaged(), [{ type: 'nps', daysAgo: 0.01, value: 6 }]);
    expect(seven).toBe(eight);
    expect(base - six).toBeGreaterThan(2);
  });

  it('commercial signals go both ways: a downsell and a failed payment cost', async () => {
    for (const type of ['downsell', 'payment_failed']) {
      const [before, after] = await effect(`loss-${type}`, engaged(), [{ type, daysAgo: 0.01 }]);
      expect(after, type).toBeLessThan(before);
    }
  });

  it('a sentiment on a survey answer is refused with a clear error instead of being dropped', async () => {
    const { body } = await t.graphql(BATCH, {
      interactions: [
        {
          customer: { externalId: 'surveyed', name: 'Surveyed' },
          type: 'nps',
          value: 9,
          sentiment: 'LIKED',
          idempotencyKey: 'surveyed-1',
        },
      ],
    });
    expect(body.data.recordInteractions.__typename).toBe('ValidationError');
    expect(body.data.recordInteractions.problems[0]).toMatchObject({ code: 'SENTIMENT_NOT_TAKEN' });
  });

  it('a value on a type no value scores is refused with a clear error instead of being stored unread', async () => {
    const { body } = await t.graphql(BATCH, {
      interactions: [
        { customer: { externalId: 'valued', name: 'Valued' }, type: 'email', value: 5, idempotencyKey: 'valued-1' },
        { customer: { externalId: 'valued' }, type: 'nps', value: 9, idempotencyKey: 'valued-2' },
      ],
    });
    expect(body.data.recordInteractions.__typename).toBe('ValidationError');
    expect(body.data.recordInteractions.problems).toEqual([
      expect.objectContaining({
        field: 'interactions[0].value',
        code: 'VALUE_NOT_TAKEN',
        message: expect.stringContaining('email is not scored by a value'),
      }),
    ]);
    expect(await t.database.prisma.interaction.count({ where: { idempotencyKey: { startsWith: 'valued-' } } })).toBe(0);
  });

  it("product usage falling against the customer's own level shows, in plain words, and separates it from a steady one", async () => {
    await record('steady-use', rhythm('product_session', 7, 180));
    await record('falling-use', [...rhythm('product_session', 7, 180, 30), ...rhythm('product_session', 2, 30)]);
    const steady = await health('steady-use');
    const falling = await health('falling-use');
    expect(steady.value - falling.value).toBeGreaterThan(15);
    const flag = falling.flags.find((f: { code: string }) => f.code === 'ACTIVITY_FALLING');
    expect(flag?.message).toMatch(/^Product usage down \d+ % from its own level/);
    const usage = falling.categories.find((c: { key: string }) => c.key === 'product_usage');
    expect(usage.activity.change).toBeLessThan(-0.3);
  });
});
