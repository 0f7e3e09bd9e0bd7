// World (c) of WORLDS.md: customers keep using the product until friction — problem episodes with
// repeated tickets and "wasted my time" — makes them leave. Usage does not fall first.
import { Life, sentiment } from '../life.ts';
import { DAYS_PER_MONTH, dailyFromMonthly } from '../random.ts';
import type { World } from '../world.ts';

const EPISODE_START = dailyFromMonthly(0.15);
const WASTED_MEMORY_DAYS = 45;

export const supportFriction: World = {
  key: 'support-friction',
  title: '(c) support friction: repeated tickets and wasted time',
  seed: 3003,
  customers: 1500,
  simulate(index) {
    const life = new Life(this.seed, index);
    const { random } = life;
    const sessions = random.logNormal(1, 1.8);
    let episode: { end: number; severity: number } | null = null;
    const wastedDays: number[] = [];
    for (const day of life.days()) {
      while (wastedDays.length && wastedDays[0]! <= day - WASTED_MEMORY_DAYS) wastedDays.shift();
      if (life.backgroundChurn(day)) break;
      if (random.chance(0.0002 + 0.004 * Math.min(5, wastedDays.length))) {
        life.churn(day);
        break;
      }
      if (episode && day >= episode.end) episode = null;
      if (!episode && random.chance(EPISODE_START)) {
        episode = { end: day + random.uniform(15, 60), severity: random.float() };
      }
      life.emit(day, 'product_session', sessions);
      life.emit(day, 'email', 2 / DAYS_PER_MONTH, () =>
        sentiment(random, [
          [null, 0.85],
          ['LIKED', 0.1],
          ['DISLIKED', 0.05],
        ]),
      );
      if (!episode) {
        life.emit(day, 'support_ticket', 0.3 / DAYS_PER_MONTH, () =>
          sentiment(random, [
            ['LIKED', 0.5],
            [null, 0.4],
            ['DISLIKED', 0.1],
          ]),
        );
        continue;
      }
      const s = episode.severity;
      const wasted = 0.3 + 0.4 * s;
      const rest = (1 - wasted - 0.3) / 2;
      const tickets = life.emit(day, 'support_ticket', (1.5 / 7) * (0.5 + s), () =>
        sentiment(random, [
          ['WASTED_TIME', wasted],
          ['DISLIKED', 0.3],
          [null, rest],
          ['LIKED', rest],
        ]),
      );
      for (const ticket of tickets) {
        if (ticket.sentiment === 'WASTED_TIME') wastedDays.push(day);
        if (!life.answersSurveys) continue;
        if (random.chance(0.6)) {
          const wastedRating = 0.2 + 0.5 * s;
          const other = (1 - wastedRating - 0.2) / 2;
          const rating = random.pick([
            ['WASTED_TIME', wastedRating],
            ['DISLIKED', 0.2],
            ['LIKED', other],
            ['INDIFFERENT', other],
          ] as const);
          if (rating === 'WASTED_TIME') wastedDays.push(day);
          life.record(day + random.float(), 'micro_rating', { sentiment: rating });
        }
        if (random.chance(0.3)) {
          const value = random.chance(0.1 + 0.6 * s) ? random.integer(1, 2) : random.integer(3, 5);
          life.record(day + random.float(), 'csat', { value });
        }
      }
    }
    return life.finish();
  },
};
