// World (d) of WORLDS.md: the sales team upsells whatever the customer's engagement; an upsell to
// an unengaged customer does not stick, and the customer leaves a few months later.
import { Contracts } from '../contracts.ts';
import { Life, sentiment } from '../life.ts';
import { DAYS_PER_MONTH, dailyFromMonthly } from '../random.ts';
import type { World } from '../world.ts';

const UPSELL = dailyFromMonthly(0.12);
const CROSS_SELL = dailyFromMonthly(0.05);
const ENGAGED_ENOUGH = 0.35;

export const hollowUpsell: World = {
  key: 'hollow-upsell',
  title: "(d) upsells without engagement that don't stick",
  seed: 4004,
  customers: 1500,
  simulate(index) {
    const life = new Life(this.seed, index);
    const { random } = life;
    let engagement = random.float();
    const filesTickets = random.chance(0.5);
    const contracts = new Contracts(life, { driftShare: 0, churnWhenDrifting: 0, churnOtherwise: 0 });
    const judgements: number[] = [];
    for (const day of life.days()) {
      if (day > life.joinDay && (day - life.joinDay) % 30 === 0) {
        engagement = Math.min(1, Math.max(0, engagement + random.normal(0, 0.05)));
      }
      if (life.backgroundChurn(day) || contracts.decide(day)) break;
      let leaves = random.chance(dailyFromMonthly(0.015 * (1 - engagement) ** 2));
      for (let k = judgements.length - 1; k >= 0; k--) {
        if (judgements[k] !== day) continue;
        judgements.splice(k, 1);
        if (random.chance(engagement < ENGAGED_ENOUGH ? 0.7 : 0.05)) leaves = true;
      }
      if (leaves) {
        life.churn(day);
        break;
      }
      for (const [type, chance] of [
        ['upsell', UPSELL],
        ['cross_sell', CROSS_SELL],
      ] as const) {
        if (!random.chance(chance)) continue;
        life.record(day + random.float(), type);
        judgements.push(day + random.integer(60, 120));
      }
      life.emit(day, 'product_session', 0.2 + 1.8 * engagement);
      life.emit(day, 'email', (1 + 4 * engagement) / DAYS_PER_MONTH, () =>
        sentiment(random, [
          [null, 0.8],
          ['LIKED', 0.15],
          ['DISLIKED', 0.05],
        ]),
      );
      life.emit(day, 'meeting', (0.1 + 0.9 * engagement) / DAYS_PER_MONTH);
      life.emit(day, 'like', (2 * engagement) / DAYS_PER_MONTH);
      if (filesTickets) {
        life.emit(day, 'support_ticket', 0.3 / DAYS_PER_MONTH, () =>
          sentiment(random, [
            [null, 0.5],
            ['LIKED', 0.25],
            ['DISLIKED', 0.25],
          ]),
        );
      }
    }
    return life.finish();
  },
};
