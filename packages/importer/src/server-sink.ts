// Writes through a running server's GraphQL API with a workspace's secret key: the lookups that
// say what of a batch is stored (customersByExternalId, interactionsByIdempotencyKey,
// outcomesByIdempotencyKey: one request, one rate-limit point each), then upsertCustomers,
// recordInteractions and recordOutcomes, each batch all or none. The server scores every batch as
// it commits it and writes the history of past interactions in the background, as for any client.
// A batch is sent in as many requests as the server's body limit needs (halved on HTTP 413).
import { interactionDetails, type InteractionWrite, type OutcomeWrite } from '@pulso/core';
import type { ScoringModel } from '@pulso/scoring';
import { type GraphQLClient, ServerError, TooLargeError } from './graphql-client.ts';
import { BatchRefused, type CustomerWrite, type ImportSink, type Lookup, type WriteCount } from './sink.ts';

type Problems = { problems?: { field: string; code: string; message: string }[]; field?: string; message?: string };
type Refusable<T> = T & { __typename: string } & Problems;

const PROBLEMS = `... on ValidationError { problems { field code message } } ... on IdempotencyConflictError { field message }`;

/** A typed refusal in a mutation's answer, as BatchRefused with positions counted from `offset`. */
function refusal(answer: Refusable<object>, what: string, offset: number): BatchRefused | null {
  if (!answer.__typename.endsWith('Error')) return null;
  const index = (field: string) => offset + Number(/^\w+\[(\d+)\]/.exec(field)?.[1] ?? Number.NaN);
  if (answer.__typename === 'IdempotencyConflictError')
    return new BatchRefused([{ index: index(answer.field ?? ''), reason: answer.message ?? what, conflict: true }]);
  const problems = (answer.problems ?? []).map((p) => ({ index: index(p.field), reason: p.message, code: p.code }));
  if (problems.some((p) => Number.isNaN(p.index)) || problems.length === 0)
    throw new Error(`the server refused the ${what}: ${answer.message ?? answer.__typename}`);
  return new BatchRefused(problems);
}

/**
 * A batch whose values the server refused before running it (graphql-js's variable coercion: one
 * error per invalid value, `Variable "$w" got invalid value … at "w[3].occurredAt"; <reason>`), as
 * BatchRefused naming those writes, so they are bad rows and the rest is sent again, instead of the
 * import stopping half-way. Null when an error names no write of the batch.
 */
export function inputRefusal(error: unknown, variable: string, offset: number): BatchRefused | null {
  if (!(error instanceof ServerError) || error.errors.length === 0) return null;
  const problems: { index: number; reason: string }[] = [];
  for (const message of error.errors) {
    const m = new RegExp(
      String.raw`^Variable "\$${variable}" got invalid value .* at "${variable}\[(\d+)\]([^"]*)"(?:; (.*))?$`,
      's',
    ).exec(message);
    if (!m) return null;
    const field = m[2]!.replace(/^\./, '');
    problems.push({ index: offset + Number(m[1]), reason: `${field ? `${field}: ` : ''}${m[3] ?? message}` });
  }
  return new BatchRefused(problems);
}

/** About half the server's default body limit (1 MiB), so a request fits with room to spare. */
const BODY_BUDGET = 512 * 1024;

export function serverSink(client: GraphQLClient, workspace: { slug: string }, where: string): ImportSink {
  let budget = BODY_BUDGET;

  /** Sends `items` in requests of at most `budget` bytes of JSON, halving on HTTP 413. */
  async function inParts<T, R>(items: T[], send: (part: T[], offset: number) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    let start = 0;
    while (start < items.length) {
      let size = 0;
      let end = start;
      while (end < items.length && (end === start || size + JSON.stringify(items[end]).length < budget))
        size += JSON.stringify(items[end++]).length;
      try {
        results.push(await send(items.slice(start, end), start));
        start = end;
      } catch (error) {
        if (!(error instanceof TooLargeError) || end - start === 1) throw error;
        budget = Math.max(1024, Math.floor(size / 2));
      }
    }
    return results;
  }

  return {
    where,
    workspace,
    async model(): Promise<ScoringModel> {
      const { scoringModel: m } = await client.request<{
        scoringModel: {
          formula: number;
          bandAtRiskMax: number;
          bandNeedsAttentionMax: number;
          decayHalfLifeDays: number;
          silenceWindowDays: number;
          upsellEngagementMin: number;
          categories: ScoringModel['categories'];
          interactionTypes: (Omit<ScoringModel['interactionTypes'][number], 'categoryKey'> & {
            category: { key: string };
          })[];
        };
      }>(
        `{ scoringModel { formula bandAtRiskMax bandNeedsAttentionMax decayHalfLifeDays silenceWindowDays upsellEngagementMin
          categories { key name weight isEngagement measuresActivity }
          interactionTypes { key name basePoints sentimentHandling valueScale requiresEngagement category { key } } } }`,
        {},
        1,
      );
      return {
        settings: {
          bandAtRiskMax: m.bandAtRiskMax,
          bandNeedsAttentionMax: m.bandNeedsAttentionMax,
          decayHalfLifeDays: m.decayHalfLifeDays,
          silenceWindowDays: m.silenceWindowDays,
          upsellEngagementMin: m.upsellEngagementMin,
          formula: m.formula === 2 ? 2 : 1,
        },
        categories: m.categories,
        interactionTypes: m.interactionTypes.map(({ category, ...t }) => ({ ...t, categoryKey: category.key })),
      };
    },

    async lookup(externalIds, interactionKeys, outcomeKeys): Promise<Lookup> {
      // Only the lookups this batch needs: each root field costs a point of the rate limit.
      const fields = [
        externalIds.length &&
          'customers: customersByExternalId(externalIds: $e) { id externalId name segment properties }',
        interactionKeys.length && 'interactions: interactionsByIdempotencyKey(keys: $i) { id }',
        outcomeKeys.length && 'outcomes: outcomesByIdempotencyKey(keys: $o) { id }',
      ].filter(Boolean) as string[];
      const lookup: Lookup = { customers: new Map(), interactions: new Set(), outcomes: new Set() };
      if (fields.length === 0) return lookup;
      const used = (name: string, type: string) => (fields.some((f) => f.includes(name)) ? [`${name}: ${type}`] : []);
      const args = [...used('$e', '[String!]!'), ...used('$i', '[String!]!'), ...used('$o', '[String!]!')].join(', ');
      const answer = await client.request<{
        customers?: ({
          externalId: string;
          name: string;
          segment: string | null;
          properties: Record<string, unknown> | null;
        } | null)[];
        interactions?: ({ id: string } | null)[];
        outcomes?: ({ id: string } | null)[];
      }>(
        `query (${args}) { ${fields.join(' ')} }`,
        {
          ...(externalIds.length ? { e: externalIds } : {}),
          ...(interactionKeys.length ? { i: interactionKeys } : {}),
          ...(outcomeKeys.length ? { o: outcomeKeys } : {}),
        },
        fields.length,
      );
      for (const c of answer.customers ?? [])
        if (c) lookup.customers.set(c.externalId, { name: c.name, segment: c.segment, properties: c.properties ?? {} });
      answer.interactions?.forEach((found, i) => {
        if (found) lookup.interactions.add(interactionKeys[i]!);
      });
      answer.outcomes?.forEach((found, i) => {
        if (found) lookup.outcomes.add(outcomeKeys[i]!);
      });
      return lookup;
    },

    async saveCustomers(customers: CustomerWrite[], scoreNew: boolean) {
      const created = new Set<string>();
      await inParts(customers, async (part, offset) => {
        const { upsertCustomers: answer } = await client.request<{
          upsertCustomers: Refusable<{ results?: { created: boolean }[] }>;
        }>(
          `mutation ($c: [CustomerInput!]!, $s: Boolean) { upsertCustomers(customers: $c, scoreNew: $s) {
            __typename ... on UpsertedCustomers { results { created } } ... on ValidationError { problems { field message } } } }`,
          { c: part, s: scoreNew },
          1,
        );
        const refused = refusal(answer, 'customers', offset);
        if (refused) throw new Error(`the server refused customers: ${refused.message}`);
        answer.results!.forEach((r, i) => {
          if (r.created) created.add(part[i]!.externalId);
        });
      });
      return created;
    },

    async recordInteractions(writes: InteractionWrite[]): Promise<WriteCount> {
      const counts = await inParts(
        writes.map((w) => ({
          customer: { externalId: w.customer.externalId },
          type: w.typeKey,
          occurredAt: w.occurredAt?.toISOString() ?? null,
          intensity: w.intensity ?? null,
          ...interactionDetails(w),
          idempotencyKey: w.idempotencyKey,
        })),
        async (part, offset) => {
          const { recordInteractions: answer } = await client
            .request<{
              recordInteractions: Refusable<{ recordedCount?: number; replayedCount?: number }>;
            }>(
              `mutation ($w: [RecordInteractionInput!]!) { recordInteractions(interactions: $w) {
              __typename ... on RecordedInteractions { recordedCount replayedCount } ${PROBLEMS} } }`,
              { w: part },
              1,
            )
            .catch((error: unknown) => {
              throw inputRefusal(error, 'w', offset) ?? error;
            });
          const refused = refusal(answer, 'interactions', offset);
          if (refused) throw refused;
          return { recorded: answer.recordedCount!, replayed: answer.replayedCount! };
        },
      );
      return counts.reduce((a, b) => ({ recorded: a.recorded + b.recorded, replayed: a.replayed + b.replayed }), {
        recorded: 0,
        replayed: 0,
      });
    },

    async recordOutcomes(writes: OutcomeWrite[]) {
      const churned = new Map<string, boolean>();
      const counts = await inParts(
        writes.map((w) => ({
          customer: { externalId: w.customer.externalId },
          kind: w.kind,
          occurredAt: w.occurredAt?.toISOString() ?? null,
          reason: w.reason ?? null,
          voluntary: w.voluntary ?? null,
          source: w.source ?? null,
          idempotencyKey: w.idempotencyKey,
        })),
        async (part, offset) => {
          const { recordOutcomes: answer } = await client
            .request<{
              recordOutcomes: Refusable<{ recordedCount?: number; replayedCount?: number }>;
            }>(
              `mutation ($o: [RecordOutcomeInput!]!) { recordOutcomes(outcomes: $o) {
              __typename ... on RecordedOutcomes { recordedCount replayedCount } ${PROBLEMS} } }`,
              { o: part },
              1,
            )
            .catch((error: unknown) => {
              throw inputRefusal(error, 'o', offset) ?? error;
            });
          const refused = refusal(answer, 'outcomes', offset);
          if (refused) throw refused;
          return { recorded: answer.recordedCount!, replayed: answer.replayedCount! };
        },
      );
      // Whether each customer is churned now: one read of them all, rather than one per outcome.
      const externalIds = [...new Set(writes.map((w) => w.customer.externalId!))];
      const { customers } = await client.request<{
        customers: ({ externalId: string; churnedAt: string | null } | null)[];
      }>(
        'query ($e: [String!]!) { customers: customersByExternalId(externalIds: $e) { id externalId churnedAt } }',
        { e: externalIds },
        1,
      );
      for (const c of customers) if (c) churned.set(c.externalId, c.churnedAt !== null);
      return {
        recorded: counts.reduce((n, c) => n + c.recorded, 0),
        replayed: counts.reduce((n, c) => n + c.replayed, 0),
        churned,
      };
    },

    finish: async () => 'the server writes their history at past instants in the background',
    close: async () => {},
  };
}
