// One simulated customer's life, with what every world shares (WORLDS.md, "Common frame"): when it
// joins, whether it is sparsely logged or answers surveys, seasonal Poisson events, the background
// churn nothing predicts. A world drives it day by day and decides why the customer leaves.
import type { InteractionInput, Sentiment } from '@pulso/scoring';
import { BUSINESS_SEASON, DAY_MS, END_DAY, ORIGIN_MS } from './calendar.ts';
import { Random, dailyFromMonthly } from './random.ts';

export interface SimulatedCustomer {
  id: string;
  joinDay: number;
  /** The day it churned (it emits nothing from then on), or null if it stayed to the end. */
  churnDay: number | null;
  /** Recorded events, oldest first. */
  events: InteractionInput[];
}

export interface EventDetails {
  sentiment?: Sentiment | null;
  value?: number | null;
}

const BACKGROUND_CHURN = dailyFromMonthly(0.004);
const SPARSE_SHARE = 0.15;
const SPARSE_LOGGED = 0.25;
const SURVEY_SHARE = 0.7;
const DAY_ZERO_SHARE = 0.6;
const LATEST_JOIN_DAY = 450;

export class Life {
  readonly random: Random;
  readonly joinDay: number;
  readonly sparse: boolean;
  readonly answersSurveys: boolean;
  churnDay: number | null = null;
  private readonly events: InteractionInput[] = [];
  private readonly id: string;

  constructor(
    worldSeed: number,
    index: number,
    private readonly season: Float64Array = BUSINESS_SEASON,
  ) {
    this.random = new Random(worldSeed, index);
    this.id = `c${index}`;
    this.joinDay = this.random.chance(DAY_ZERO_SHARE) ? 0 : this.random.integer(1, LATEST_JOIN_DAY);
    this.sparse = this.random.chance(SPARSE_SHARE);
    this.answersSurveys = this.random.chance(SURVEY_SHARE);
  }

  /** Days from joining to the end of the simulation, in order, stopping once the customer churns. */
  *days(): Generator<number> {
    for (let day = this.joinDay; day < END_DAY && this.churnDay === null; day++) yield day;
  }

  /**
   * A Poisson number of `typeKey` events on `day` at `ratePerDay` times the calendar. Returns the
   * details of every event that happened, recorded or not (a sparsely logged customer still lived
   * through the ones its integration missed).
   */
  emit(day: number, typeKey: string, ratePerDay: number, details?: () => EventDetails): EventDetails[] {
    const count = this.random.poisson(ratePerDay * this.season[day]!);
    const happened: EventDetails[] = [];
    for (let n = 0; n < count; n++) {
      const event = details ? details() : {};
      happened.push(event);
      this.record(day + this.random.float(), typeKey, event);
    }
    return happened;
  }

  /** One event at a given moment (in days, fractional), outside the calendar: a renewal, a survey. */
  record(at: number, typeKey: string, details: EventDetails = {}): void {
    if (this.sparse && !this.random.chance(SPARSE_LOGGED)) return;
    if (at >= END_DAY) return;
    this.events.push({
      id: `${this.id}-${this.events.length}`,
      typeKey,
      occurredAt: new Date(ORIGIN_MS + at * DAY_MS),
      sentiment: details.sentiment ?? null,
      value: details.value ?? null,
    });
  }

  /** The background churn of WORLDS.md: true (and the customer churned) with its daily probability. */
  backgroundChurn(day: number): boolean {
    if (this.random.chance(BACKGROUND_CHURN)) this.churn(day);
    return this.churnDay !== null;
  }

  churn(day: number): void {
    this.churnDay ??= day;
  }

  finish(): SimulatedCustomer {
    const events = this.events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    return { id: this.id, joinDay: this.joinDay, churnDay: this.churnDay, events };
  }
}

/** A sentiment drawn from WORLDS.md's shares; "none" is null. */
export function sentiment(random: Random, shares: readonly (readonly [Sentiment | null, number])[]): EventDetails {
  return { sentiment: random.pick(shares) };
}
