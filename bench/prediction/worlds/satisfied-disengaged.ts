// World (e) of WORLDS.md: satisfaction is not loyalty. Shelfware customers rate the vendor well and
// do not use the product, and leave; dependent detractors complain and stay.
import { CONSUMER_SEASON } from '../calendar.ts';
import { Life, sentiment } from '../life.ts';
import { DAYS_PER_MONTH, dailyFromMonthly } from '../random.ts';
import type { World } from '../world.ts';

type Kind = 'engaged' | 'shelfware' | 'dark' | 'detractor';

const HAZARD: Record<Kind, number> = {
  engaged: dailyFromMonthly(0.008),
  detractor: dailyFromMonthly(0.015),
  shelfware: dailyFromMonthly(0.08),
  dark: dailyFromMonthly(0.16),
};
const BECOMES_SHELFWARE = dailyFromMonthly(0.03);
const GOES_DARK = dailyFromMonthly(0.1);
const FADE_DAYS = 30;

export const satisfiedDisengaged: World = {
  key: 'satisfied-disengaged',
  title: '(e) satisfied but disengaged customers who leave anyway',
  seed: 5005,
  customers: 1500,
  simulate(index) {
    const life = new Life(this.seed, index, CONSUMER_SEASON);
    const { random } = life;
    let kind: Kind = random.pick([
      ['engaged', 0.6],
      ['shelfware', 0.25],
      ['detractor', 0.15],
    ] as const);
    let usage =
      kind === 'engaged'
        ? random.uniform(0.5, 1)
        : kind === 'shelfware'
          ? random.uniform(0, 0.15)
          : random.uniform(0.6, 1);
    // A customer's answers keep the range of the kind it started as (WORLDS.md: shelfware that was
    // engaged still answers 7–10).
    const [npsLow, npsHigh] = kind === 'engaged' ? [7, 10] : kind === 'shelfware' ? [8, 10] : [0, 6];
    let fade: { start: number; from: number } | null = null;
    let nextSurvey = life.answersSurveys ? life.joinDay + random.uniform(0, 91) : Number.POSITIVE_INFINITY;
    for (const day of life.days()) {
      if (life.backgroundChurn(day)) break;
      if (random.chance(HAZARD[kind])) {
        life.churn(day);
        break;
      }
      if (kind === 'engaged' && random.chance(BECOMES_SHELFWARE)) {
        kind = 'shelfware';
        fade = { start: day, from: usage };
      } else if (kind === 'shelfware' && random.chance(GOES_DARK)) {
        kind = 'dark';
        fade = null;
        usage = 0;
      }
      if (fade) {
        const progress = Math.min(1, (day - fade.start) / FADE_DAYS);
        usage = fade.from * (1 - 0.9 * progress);
        if (progress >= 1) fade = null;
      }
      life.emit(day, 'product_session', 3 * usage);
      life.emit(day, 'like', usage / 7);
      life.emit(day, 'comment', usage / 14, () =>
        sentiment(random, [
          [null, 0.5],
          ['LIKED', 0.4],
          ['DISLIKED', 0.1],
        ]),
      );
      if (!life.answersSurveys) continue;
      const detractor = kind === 'detractor';
      while (nextSurvey < day + 1) {
        life.record(nextSurvey, 'nps', { value: random.integer(npsLow, npsHigh) });
        nextSurvey += 91;
      }
      life.emit(day, 'csat', 0.3 / DAYS_PER_MONTH, () => ({
        value: detractor ? random.integer(1, 3) : random.integer(4, 5),
      }));
    }
    return life.finish();
  },
};
