// The time-ordered ingestion benchmark's client of Pulso's public GraphQL API, with a workspace's
// secret key, as an importer sends a stream: upsertCustomers, then recordInteractions batch by
// batch, each answer checked in full (a refusal or a short count ends the benchmark); a 503 or 429
// is waited out and a request cut on the way sent again (the importer's client), both counted. Afterwards it follows the
// rescoring jobs (history backfills the writes queued) until none is left.
import { type GraphQLClient, graphqlClient } from '@pulso/importer';
import type { StreamCustomer, StreamInteraction } from './interaction-stream.ts';

export class StreamClient {
  /** Requests answered 503 or 429, or cut on the way, and sent again. */
  retried = 0;
  readonly #client: GraphQLClient;

  constructor(url: string, key: string) {
    // The importer's client: it waits out a 429 or 503 as Retry-After says and sends a request cut
    // on the way again; a refusal or an answer without data throws. A batch is scored before it is
    // answered, which takes long on a loaded machine: ten minutes before a request counts as lost.
    this.#client = graphqlClient({ url, key, timeoutMs: 600_000, onResend: () => this.retried++ });
  }

  /** Every operation here has one root field: one point of the rate limit. */
  private request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return this.#client.request<T>(query, variables, 1);
  }

  async upsertCustomers(customers: StreamCustomer[]): Promise<void> {
    for (let i = 0; i < customers.length; i += 1_000) {
      const part = customers.slice(i, i + 1_000);
      const { upsertCustomers: answer } = await this.request<{
        upsertCustomers: { __typename: string; results?: { created: boolean }[] };
      }>(
        `mutation ($c: [CustomerInput!]!) { upsertCustomers(customers: $c) {
          __typename ... on UpsertedCustomers { results { created } } } }`,
        { c: part },
      );
      if (answer.results?.filter((r) => r.created).length !== part.length)
        throw new Error(`upsertCustomers did not create the customers: ${JSON.stringify(answer).slice(0, 400)}`);
    }
  }

  /**
   * Records one batch; resolves once the server has acknowledged every interaction of it, as new
   * unless the request was sent again (then the first attempt may have stored some: replayed).
   */
  async recordInteractions(batch: StreamInteraction[]): Promise<void> {
    const retriedBefore = this.retried;
    const { recordInteractions: answer } = await this.request<{
      recordInteractions: { __typename: string; recordedCount?: number; replayedCount?: number };
    }>(
      `mutation ($w: [RecordInteractionInput!]!) { recordInteractions(interactions: $w) {
        __typename ... on RecordedInteractions { recordedCount replayedCount }
        ... on ValidationError { problems { field message } } } }`,
      { w: batch },
    );
    const replayedAllowed = this.retried > retriedBefore;
    if (
      (answer.recordedCount ?? 0) + (answer.replayedCount ?? 0) !== batch.length ||
      (answer.replayedCount !== 0 && !replayedAllowed)
    )
      throw new Error(
        `recordInteractions answered wrongly for ${batch[0]!.idempotencyKey}…: ${JSON.stringify(answer).slice(0, 400)}`,
      );
  }

  /** Waits until no rescoring job is pending or running; resolves with the seconds waited. */
  async rescoringDone(timeoutMs = 15 * 60_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const { rescoreJobs } = await this.request<{ rescoreJobs: { nodes: { status: string }[] } }>(
        '{ rescoreJobs(first: 100) { nodes { status } } }',
        {},
      );
      if (!rescoreJobs.nodes.some((j) => j.status === 'PENDING' || j.status === 'RUNNING'))
        return (performance.now() - started) / 1000;
      if (performance.now() - started > timeoutMs) throw new Error('rescoring jobs still running after 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
