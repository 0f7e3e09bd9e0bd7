// Annual contracts, shared by worlds a and d (WORLDS.md): the anniversary falls on a day drawn
// within the first year for customers present on day 0, on the day of joining for late joiners
// (who record a purchase then). At each anniversary the customer renews (a `renewal` event) or
// churns; in world a an account may drift — go quiet — in the months before one.
import { END_DAY } from './calendar.ts';
import type { Life } from './life.ts';

export interface ContractTerms {
  /** Probability that a contract year ends in a drift (world a: 0.3; world d: 0). */
  driftShare: number;
  churnWhenDrifting: number;
  churnOtherwise: number;
}

const DRIFT_EARLIEST = 150;
const DRIFT_LATEST = 30;
const DRIFT_FALL_DAYS = 60;
const DRIFT_FLOOR = 0.1;
const RECOVERY_DAYS = 30;

interface Term {
  anniversary: number;
  /** The day the drift before this anniversary starts, or null without one. */
  driftStart: number | null;
}

export class Contracts {
  private readonly terms: Term[] = [];
  private current = 0;
  private recoveryFrom: { day: number; level: number } | null = null;

  constructor(
    private readonly life: Life,
    private readonly contract: ContractTerms,
  ) {
    const { random, joinDay } = life;
    const first = joinDay === 0 ? random.integer(1, 365) : joinDay + 365;
    if (joinDay > 0) life.record(joinDay + random.float(), 'purchase');
    for (let anniversary = first; anniversary < END_DAY; anniversary += 365) {
      const drifts = random.chance(contract.driftShare);
      const start = anniversary - random.uniform(DRIFT_LATEST, DRIFT_EARLIEST);
      this.terms.push({ anniversary, driftStart: drifts ? Math.max(joinDay, start) : null });
    }
  }

  /** On an anniversary, renews or churns the customer; true when it churned. */
  decide(day: number): boolean {
    const term = this.terms[this.current];
    if (term === undefined || day !== term.anniversary) return false;
    const drifting = term.driftStart !== null;
    if (this.life.random.chance(drifting ? this.contract.churnWhenDrifting : this.contract.churnOtherwise)) {
      this.life.churn(day);
      return true;
    }
    this.life.record(day + this.life.random.float(), 'renewal');
    if (drifting) this.recoveryFrom = { day, level: this.activity(day) };
    this.current += 1;
    return false;
  }

  /** The multiplier of the customer's own rhythm on `day`: 1, falling in a drift, recovering after. */
  activity(day: number): number {
    const term = this.terms[this.current];
    if (term?.driftStart != null && day >= term.driftStart) {
      return 1 - (1 - DRIFT_FLOOR) * Math.min(1, (day - term.driftStart) / DRIFT_FALL_DAYS);
    }
    if (this.recoveryFrom && day < this.recoveryFrom.day + RECOVERY_DAYS) {
      const { day: from, level } = this.recoveryFrom;
      return level + (1 - level) * ((day - from) / RECOVERY_DAYS);
    }
    return 1;
  }
}
