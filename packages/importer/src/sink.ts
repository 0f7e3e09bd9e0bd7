// Where an import writes, one batch at a time: straight into the database (direct-sink.ts, through
// the same @pulso/core functions the API calls) or through a running server's GraphQL API
// (server-sink.ts, the batch mutations and the lookups beside them). The import itself
// (import.ts) is the same either way: the same checks, the same idempotency keys, the same
// summary, so a run stopped in one way and resumed in the other stores every row once.
import type { InteractionWrite, OutcomeWrite } from '@pulso/core';
import type { ScoringModel } from '@pulso/scoring';

/** A customer's fields as stored. */
export interface StoredCustomer {
  name: string;
  segment: string | null;
  properties: Record<string, unknown>;
}

/** A customer to create or update, with every field it should have. */
export interface CustomerWrite {
  externalId: string;
  name: string;
  segment: string | null;
  properties: Record<string, unknown>;
}

/** What of a batch is stored already. */
export interface Lookup {
  customers: Map<string, StoredCustomer>;
  /** Interaction idempotency keys already stored. */
  interactions: Set<string>;
  /** Outcome idempotency keys already stored. */
  outcomes: Set<string>;
}

export interface WriteCount {
  recorded: number;
  /** Already stored with the same content (written since the lookup, by a concurrent run). */
  replayed: number;
}

/**
 * A batch the destination refused, naming the writes at fault by their position in it: `reason`
 * for an invalid write (a bad row), `conflict` for an idempotency key stored with other content
 * since the lookup (already imported).
 */
export class BatchRefused extends Error {
  /** Each write at fault: its position in the batch, why, and the refusal's code where one is known. */
  constructor(readonly problems: { index: number; reason: string; code?: string; conflict?: boolean }[]) {
    super(problems.map((p) => p.reason).join('; '));
  }
}

export interface ImportSink {
  /** Where the rows go, for messages ("PGlite /srv/pulso/data", "the server at http://..."). */
  readonly where: string;
  readonly workspace: { slug: string };
  /** The workspace's scoring model, that rows are checked against. */
  model(): Promise<ScoringModel>;
  lookup(externalIds: string[], interactionKeys: string[], outcomeKeys: string[]): Promise<Lookup>;
  /** Creates or updates the customers (at most 1,000); scoreNew scores those created. Returns which were created. */
  saveCustomers(customers: CustomerWrite[], scoreNew: boolean): Promise<Set<string>>;
  /** Records the interactions (at most 1,000), all or none: BatchRefused names what is wrong. */
  recordInteractions(writes: InteractionWrite[]): Promise<WriteCount>;
  /** Records the outcomes (at most 1,000): also which of their customers are churned afterwards. */
  recordOutcomes(writes: OutcomeWrite[]): Promise<WriteCount & { churned: Map<string, boolean> }>;
  /**
   * After the last batch (not after Ctrl-C): completes what the writes queued. Directly, the
   * history at past instants is written here; a server writes it in the background. Returns what
   * the summary says about it.
   */
  finish(onProgress: (done: number, total: number) => void): Promise<string>;
  /** Releases what the run holds (the database, the run's temporary key: revoked). */
  close(): Promise<void>;
  /** The key issued for this run through an administrator key, revoked by close(). */
  readonly temporaryKey?: { id: string; workspace: string; expiresAt: Date };
}
