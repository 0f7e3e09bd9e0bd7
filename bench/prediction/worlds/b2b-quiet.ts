// World (a) of WORLDS.md: B2B accounts with a few touches a month and annual contracts; an account
// that drifts goes quiet over the months before its anniversary, and most drifting accounts leave.
import type { Sentiment } from '@pulso/scoring';
import { Contracts } from '../contracts.ts';
import { Life, sentiment } from '../life.ts';
import { DAYS_PER_MONTH } from '../random.ts';
import type { World } from '../world.ts';

const MIX: readonly (readonly [string, number])[] = [
  ['email', 0.55],
  ['meeting', 0.1],
  ['comment', 0.1],
  ['content', 0.1],
  ['event_invitation', 0.05],
  ['support_ticket', 0.1],
];
const SENTIMENTS: Record<string, readonly (readonly [Sentiment | null, number])[]> = {
  email: [
    [null, 0.8],
    ['LIKED', 0.1],
    ['INDIFFERENT', 0.07],
    ['DISLIKED', 0.03],
  ],
  comment: [
    [null, 0.5],
    ['LIKED', 0.4],
    ['DISLIKED', 0.1],
  ],
  support_ticket: [
    [null, 0.5],
    ['LIKED', 0.2],
    ['DISLIKED', 0.2],
    ['WASTED_TIME', 0.1],
  ],
};

export const b2bQuiet: World = {
  key: 'b2b-quiet',
  title: '(a) B2B accounts that go quiet before leaving',
  seed: 1001,
  customers: 1500,
  simulate(index) {
    const life = new Life(this.seed, index);
    const { random } = life;
    const perDay = random.logNormal(5, 1.6) / DAYS_PER_MONTH;
    const contracts = new Contracts(life, { driftShare: 0.3, churnWhenDrifting: 0.8, churnOtherwise: 0.03 });
    let nextSurvey = life.answersSurveys ? life.joinDay + random.uniform(0, 182) : Number.POSITIVE_INFINITY;
    for (const day of life.days()) {
      if (life.backgroundChurn(day) || contracts.decide(day)) break;
      const rate = perDay * contracts.activity(day);
      for (const [type, share] of MIX) {
        const shares = SENTIMENTS[type];
        life.emit(day, type, rate * share, shares ? () => sentiment(random, shares) : undefined);
      }
      while (nextSurvey < day + 1) {
        const value = Math.min(10, Math.max(0, Math.round(random.normal(8, 1.5))));
        life.record(nextSurvey, 'nps', { value });
        nextSurvey += 182;
      }
    }
    return life.finish();
  },
};
