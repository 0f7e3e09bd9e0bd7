// What a caller asks to record and what it gets back: the shapes shared by recordInteractions,
// its validation, the group commit and the importer.
import type { JourneyStage, Sentiment } from '@pulso/database';

/** Names a customer by Pulso's id or the workspace's external id; with a name, a missing one is created. */
export interface CustomerRef {
  id?: string | null;
  externalId?: string | null;
  /** Creates the customer with this name when no customer has the external id. */
  name?: string | null;
}

export interface InteractionWrite {
  customer: CustomerRef;
  typeKey: string;
  /** Defaults to now. */
  occurredAt?: Date | null;
  intensity?: number | null;
  sentiment?: Sentiment | null;
  value?: number | null;
  comment?: string | null;
  journeyStage?: JourneyStage | null;
  source?: string | null;
  idempotencyKey: string;
}

export interface RecordedInteraction {
  interactionId: string;
  customerId: string;
  /** True when this write was a retry of one already recorded: nothing new was stored. */
  replayed: boolean;
}

/**
 * When a write happened: its own time, except that none is later than `now` (a client clock a
 * little ahead, within the allowed skew, is taken as now) and a missing one is now.
 */
export function occurredAtOf(write: InteractionWrite, now: Date): Date {
  return write.occurredAt && write.occurredAt.getTime() < now.getTime() ? write.occurredAt : now;
}

/** The details a write may leave out, each null when left out. */
export interface InteractionDetails {
  sentiment: Sentiment | null;
  value: number | null;
  comment: string | null;
  journeyStage: JourneyStage | null;
  source: string | null;
}

/**
 * A write's details as a stored interaction holds them, and as the API's RecordInteractionInput
 * takes them (the importer's server sink sends them so): absent ones as null.
 */
export function interactionDetails(write: InteractionWrite): InteractionDetails {
  return {
    sentiment: write.sentiment ?? null,
    value: write.value ?? null,
    comment: write.comment ?? null,
    journeyStage: write.journeyStage ?? null,
    source: write.source ?? null,
  };
}
