// The time-ordered ingestion benchmark's client of Pulso's public GraphQL API, with a workspace's
// secret key, as an importer sends a stream: upsertCustomers, then recordInteractions batch by
// batch, each answer checked in full (a refusal or a short count ends the benchmark); a 503 or 429
// is waited out as its Retry-After says and sent again, and a request cut on the way (a connection
// reset) is sent again after a second, a few times: both counted. Afterwards it follows the
// rescoring jobs (history backfills the writes queued) until none is left.
import type { StreamCustomer, StreamInteraction } from './interaction-stream.ts';

export class StreamClient {
  /** Requests answered 503 or 429, or cut on the way, and sent again. */
  retried = 0;

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  private async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    for (let cut = 0; ; ) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(new URL('/graphql', this.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(600_000),
        });
        text = await response.text();
      } catch (error) {
        if (++cut > 5 || (error as Error).name === 'TimeoutError') throw error;
        this.retried++;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (response.status === 503 || response.status === 429) {
        this.retried++;
        const seconds = Number(response.headers.get('retry-after')) || 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      const answer = JSON.parse(text) as { data?: T; errors?: unknown[] };
      if (response.status !== 200 || answer.errors || !answer.data)
        throw new Error(`the server answered wrongly (HTTP ${response.status}): ${text.slice(0, 400)}`);
      return answer.data;
    }
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
