// The worlds' randomness: pure-rand's xoroshiro128+ behind the few distributions WORLDS.md names
// (uniform, normal, log-normal, Poisson, weighted choice). One stream per customer, seeded by the
// world's seed and the customer's index, so a customer does not change when others are added.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Random {
  private readonly generator: RandomGenerator;

  constructor(worldSeed: number, index: number) {
    // Distinct 32-bit seeds per (world, customer); xoroshiro's seeding spreads nearby seeds apart.
    this.generator = xoroshiro128plus((Math.imul(worldSeed, 0x9e3779b1) ^ index) >>> 0);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** A whole number from low to high, both included. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Box–Muller. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Log-normal with the given median, `factor` being ×/÷ at one standard deviation. */
  logNormal(median: number, factor: number): number {
    return median * Math.exp(this.normal(0, Math.log(factor)));
  }

  /** Knuth's method for small means; the normal approximation above 30, where it is close. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.float();
    while (product > limit) {
      count += 1;
      product *= this.float();
    }
    return count;
  }

  /** One of the keys, with probability proportional to its weight. */
  pick<T>(weighted: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of weighted) total += weight;
    let draw = this.float() * total;
    for (const [value, weight] of weighted) {
      draw -= weight;
      if (draw < 0) return value;
    }
    return weighted[weighted.length - 1]![0];
  }
}

/** The daily probability equivalent to a monthly one (WORLDS.md states hazards per month). */
export function dailyFromMonthly(monthly: number): number {
  return 1 - (1 - monthly) ** (1 / DAYS_PER_MONTH);
}

export const DAYS_PER_MONTH = 30.44;
