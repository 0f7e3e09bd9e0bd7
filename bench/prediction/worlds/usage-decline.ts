// World (b) of WORLDS.md: a product used dozens of times a day; levels differ tenfold between
// customers, and churn follows a fall of a customer's use against its own past.
import { CONSUMER_SEASON } from '../calendar.ts';
import { Life, sentiment } from '../life.ts';
import { DAYS_PER_MONTH, dailyFromMonthly } from '../random.ts';
import type { World } from '../world.ts';

const DECLINE_START = dailyFromMonthly(0.08);
const CHURN_AFTER_DECLINE = 0.65;
const RECOVERY_DAYS = 30;

type Phase =
  | { kind: 'steady' }
  | { kind: 'falling'; start: number; days: number; floor: number }
  | { kind: 'bottom'; churnDay: number; floor: number }
  | { kind: 'recovering'; start: number; floor: number };

export const usageDecline: World = {
  key: 'usage-decline',
  title: '(b) high-frequency product, churn after a fall against its own past',
  seed: 2002,
  customers: 200,
  simulate(index) {
    const life = new Life(this.seed, index, CONSUMER_SEASON);
    const { random } = life;
    let base = random.logNormal(30, 2.3);
    let phase: Phase = { kind: 'steady' };
    for (const day of life.days()) {
      if (day > life.joinDay && (day - life.joinDay) % 30 === 0) base *= Math.exp(random.normal(0, 0.1));
      if (life.backgroundChurn(day)) break;
      let level = 1;
      if (phase.kind === 'steady' && random.chance(DECLINE_START)) {
        phase = { kind: 'falling', start: day, days: random.uniform(20, 50), floor: random.uniform(0.15, 0.6) };
      }
      if (phase.kind === 'falling') {
        const progress = (day - phase.start) / phase.days;
        if (progress >= 1) {
          phase = random.chance(CHURN_AFTER_DECLINE)
            ? { kind: 'bottom', churnDay: day + Math.round(random.uniform(10, 45)), floor: phase.floor }
            : { kind: 'recovering', start: day, floor: phase.floor };
        } else level = 1 - (1 - phase.floor) * progress;
      }
      if (phase.kind === 'bottom') {
        if (day >= phase.churnDay) {
          life.churn(day);
          break;
        }
        level = phase.floor;
      }
      if (phase.kind === 'recovering') {
        const progress = (day - phase.start) / RECOVERY_DAYS;
        if (progress >= 1) phase = { kind: 'steady' };
        else level = phase.floor + (1 - phase.floor) * progress;
      }
      const sessions = base * level;
      life.emit(day, 'product_session', sessions);
      life.emit(day, 'like', sessions * 0.02);
      life.emit(day, 'comment', sessions * 0.005, () =>
        sentiment(random, [
          [null, 0.4],
          ['LIKED', 0.5],
          ['DISLIKED', 0.1],
        ]),
      );
      if (life.answersSurveys) {
        life.emit(day, 'micro_rating', 1 / DAYS_PER_MONTH, () =>
          sentiment(random, [
            ['LIKED', 0.6],
            ['INDIFFERENT', 0.3],
            ['DISLIKED', 0.1],
          ]),
        );
      }
      life.emit(day, 'support_ticket', 0.3 / DAYS_PER_MONTH, () =>
        sentiment(random, [
          [null, 0.6],
          ['LIKED', 0.2],
          ['DISLIKED', 0.2],
        ]),
      );
    }
    return life.finish();
  },
};
