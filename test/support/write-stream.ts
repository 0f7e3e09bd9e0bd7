// A client that keeps writing to a server that may die at any moment: interactions from a backend
// (secret key) and micro-ratings from the widget (publishable key + customer token), each with its
// idempotency key. Like a well-behaved client, it retries a write with the same key and content
// until the server acknowledges it — through refused connections, reset sockets and 5xx answers.
import type { Random } from './seeded-random.ts';

export type Write =
  | { kind: 'record'; key: string; variables: { input: Record<string, unknown> } }
  | { kind: 'rate'; key: string; externalId: string; variables: { input: Record<string, unknown> } };

export interface Acknowledged {
  write: Write;
  /** The interaction id the server acknowledged. */
  interactionId: string;
  attempts: number;
}

const RECORD = `mutation ($input: RecordInteractionInput!) {
  recordInteraction(input: $input) { __typename ... on RecordedInteraction { interaction { id } replayed } ... on UserError { field code message } }
}`;
const RATE = `mutation ($input: SubmitMicroRatingInput!) {
  submitMicroRating(input: $input) { __typename ... on MicroRatingReceipt { id replayed } ... on UserError { field code message } }
}`;

const SIGNED_TYPES = ['email', 'meeting', 'support_ticket', 'product_session', 'comment'] as const;
const SENTIMENTS = ['LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME'] as const;

/**
 * A mixed stream of writes over a few customers. Some are back-dated by up to a day (a backend
 * catching up), so scores depend on interactions that arrive out of order.
 */
export function plannedWrites(random: Random, count: number, customers: readonly string[], label: string): Write[] {
  return Array.from({ length: count }, (_, n): Write => {
    const externalId = random.pick(customers);
    const key = `${label}-${n}-${random.int(0, 1e9).toString(36)}`;
    if (random.next() < 0.35) {
      const variant = random.next() < 0.5 ? 'LIKE_DISLIKE' : 'THREE_LEVELS';
      const rating = random.pick(
        variant === 'LIKE_DISLIKE' ? ['LIKED', 'DISLIKED'] : ['LIKED', 'INDIFFERENT', 'WASTED_TIME'],
      );
      return {
        kind: 'rate',
        key,
        externalId,
        variables: { input: { customer: externalId, variant, rating, idempotencyKey: key } },
      };
    }
    const input: Record<string, unknown> = {
      customer: { externalId, name: `Customer ${externalId}` },
      idempotencyKey: key,
    };
    if (random.next() < 0.2) Object.assign(input, { type: 'nps', value: random.int(0, 10) });
    else
      Object.assign(input, {
        type: random.pick(SIGNED_TYPES),
        sentiment: random.pick(SENTIMENTS),
        intensity: random.int(1, 3),
      });
    // Back-dated: the time is fixed in the write itself, so every retry sends the same content.
    if (random.next() < 0.3) input.occurredAt = new Date(Date.now() - random.int(1, 24 * 60) * 60_000).toISOString();
    return { kind: 'record', key, variables: { input } };
  });
}

export interface StreamOptions {
  url: () => string;
  secretKey: string;
  publishableKey: string;
  /** Customer tokens by external id, for ratings. */
  customerToken: (externalId: string) => string;
  /** Writes in flight at once. */
  concurrency: number;
  /** A write not acknowledged by then fails the stream. */
  giveUpAfterMs: number;
  onAcknowledged?: (ack: Acknowledged) => void;
}

export interface StreamResult {
  acknowledged: Acknowledged[];
  /** Attempts that failed on the wire (refused, reset) or with a 5xx, then were retried. */
  retries: number;
}

/** The database id in a Relay global id (`base64("Interaction:<uuid>")`), or the id as given. */
function uuidOf(id: string): string {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  return decoded.startsWith('Interaction:') ? decoded.slice('Interaction:'.length) : id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends every write until each is acknowledged; rejects on an answer that says a write was refused. */
export async function runWriteStream(writes: readonly Write[], options: StreamOptions): Promise<StreamResult> {
  const acknowledged: Acknowledged[] = [];
  let retries = 0;
  let next = 0;

  async function send(write: Write): Promise<Acknowledged> {
    const started = Date.now();
    for (let attempts = 1; ; attempts++) {
      const body =
        write.kind === 'record'
          ? { query: RECORD, variables: write.variables }
          : {
              query: RATE,
              variables: {
                input: { ...write.variables.input, customerToken: options.customerToken(write.externalId) },
              },
            };
      const key = write.kind === 'record' ? options.secretKey : options.publishableKey;
      let why: string;
      try {
        const response = await fetch(`${options.url()}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        let json: { data?: Record<string, any>; errors?: { message: string }[] } | undefined;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const result = json?.data?.[write.kind === 'record' ? 'recordInteraction' : 'submitMicroRating'];
        if (result?.__typename === 'RecordedInteraction')
          return { write, interactionId: uuidOf(result.interaction.id), attempts };
        if (result?.__typename === 'MicroRatingReceipt') return { write, interactionId: result.id, attempts };
        if (result?.__typename) throw new Error(`write ${write.key} was refused: ${JSON.stringify(result)}`);
        why = `HTTP ${response.status}: ${text.slice(0, 300)}`;
        // A 4xx other than "too many requests" will not get better by retrying.
        if (response.status >= 400 && response.status < 500 && response.status !== 429)
          throw new Error(`write ${write.key}: ${why}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(`write ${write.key}`)) throw error;
        why =
          error instanceof Error
            ? `${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`
            : String(error);
      }
      if (Date.now() - started > options.giveUpAfterMs)
        throw new Error(`write ${write.key} not acknowledged after ${attempts} attempts: ${why}`);
      retries++;
      await sleep(Math.min(50 * attempts, 500));
    }
  }

  async function worker() {
    while (next < writes.length) {
      const write = writes[next++]!;
      const ack = await send(write);
      acknowledged.push(ack);
      options.onAcknowledged?.(ack);
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { acknowledged, retries };
}
