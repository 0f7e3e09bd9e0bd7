import type { TypeKey } from './catalog.ts';
import { CANCELLATION } from './comments.ts';
import { CompanyNamer } from './names.ts';
import { assignPersonas, PERSONAS, type ActiveWindow, type PersonaSpec } from './personas.ts';
import { outcomesOf } from './outcomes.ts';
import { deriveSeed, Random } from './random.ts';
import {
  customerProperties,
  DEMO_SEGMENT_WEIGHTS,
  MONTHLY_RATES,
  pickBillingCycle,
  pickCountry,
  SEGMENT_SHARES,
  type RecurringType,
} from './segments.ts';
import { clamp, moodSentiment, shapeTouch, type Touch } from './touches.ts';
import type {
  DemoCustomer,
  DemoData,
  DemoInteraction,
  DemoOutcome,
  GenerateDemoDataOptions,
  PersonaKey,
  Segment,
} from './types.ts';
import { DAY_MS } from '@pulso/scoring';
import { instantAfter, instantIn } from './time.ts';

export const DEFAULT_SEED = 1729;
export const DEFAULT_CUSTOMERS = 300;
export const DEFAULT_DAYS = 180;

/** How long after signing a customer counts as onboarding. */
const ONBOARDING_DAYS = 30;

/** Salt of the per-customer random streams outcomes are drawn from. */
const OUTCOME_STREAM = 0x6f75_7463;

/** Relationship NPS goes out to everyone once a quarter. */
const NPS_INTERVAL_DAYS = 90;

/**
 * The demo workspace "Demo": customers of three segments with a realistic mix of personas, and
 * their interactions of every type over the last `days` days. Pure and deterministic: the same
 * options always give the same data.
 */
export function generateDemoData(options: GenerateDemoDataOptions): DemoData {
  const { seed = DEFAULT_SEED, now, customers: count = DEFAULT_CUSTOMERS, days = DEFAULT_DAYS } = options;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('`now` must be a valid Date');
  if (!Number.isInteger(count) || count < 0 || count > 9999)
    throw new RangeError('`customers` must be an integer from 0 to 9999');
  if (!Number.isInteger(days) || days < 1) throw new RangeError('`days` must be a positive integer');
  if (!Number.isInteger(seed)) throw new RangeError('`seed` must be an integer');

  const random = new Random(seed);
  const namer = new CompanyNamer();
  const customers: DemoCustomer[] = [];
  const interactions: DemoInteraction[] = [];
  const outcomes: DemoOutcome[] = [];

  assignPersonas(random, count).forEach((personaKey, index) => {
    const externalId = `cus_${String(index + 1).padStart(4, '0')}`;
    // Each customer draws from its own stream; names come from the shared one, which keeps them unique.
    const own = new Random(deriveSeed(seed, index + 1));
    const customer = planCustomer(own, personaKey, now, days);
    customers.push({
      externalId,
      name: namer.next(random, customer.country),
      segment: customer.segment,
      properties: customerProperties(
        own,
        customer.segment,
        customer,
        isoDate(now.getTime() - customer.sinceDaysAgo * DAY_MS),
      ),
      persona: personaKey,
    });
    const touches = touchesOf(customer).sort(
      (a, b) =>
        a.occurredAt.getTime() - b.occurredAt.getTime() || (a.typeKey < b.typeKey ? -1 : a.typeKey > b.typeKey ? 1 : 0),
    );
    touches.forEach((touch, n) => {
      // Listed field by field: a spread here makes V8 fall back to slow objects, tripling the run time.
      interactions.push({
        customerExternalId: externalId,
        typeKey: touch.typeKey,
        occurredAt: touch.occurredAt,
        intensity: touch.intensity,
        sentiment: touch.sentiment,
        value: touch.value,
        comment: touch.comment,
        journeyStage: touch.journeyStage,
        source: touch.source,
        idempotencyKey: `demo-${externalId}-${String(n + 1).padStart(4, '0')}`,
      });
    });
    // A stream of its own: adding outcomes changed none of the interactions drawn above.
    outcomes.push(...outcomesOf({ ...customer, externalId }, new Random(deriveSeed(seed ^ OUTCOME_STREAM, index + 1))));
  });

  return {
    customers,
    interactions,
    outcomes,
    segmentWeights: DEMO_SEGMENT_WEIGHTS.map((weight) => ({ ...weight })),
  };
}

/** Everything decided about a customer before its touches are drawn. */
interface CustomerPlan {
  random: Random;
  now: Date;
  days: number;
  personaKey: PersonaKey;
  persona: PersonaSpec;
  segment: Segment;
  country: string;
  billingCycle: 'monthly' | 'annual';
  window: ActiveWindow;
  /** When the customer signed, in days before `now` (often before the history starts). */
  sinceDaysAgo: number;
  /** This customer's mood at the start of the history. */
  mood: number;
  /** Some accounts are simply busier than others of the same kind. */
  busyness: number;
}

function planCustomer(random: Random, personaKey: PersonaKey, now: Date, days: number): CustomerPlan {
  const persona = PERSONAS[personaKey];
  const segment = random.weighted(SEGMENT_SHARES);
  const window = persona.window(random, days);
  return {
    random,
    now,
    days,
    personaKey,
    persona,
    segment,
    country: pickCountry(random),
    billingCycle: pickBillingCycle(random, segment),
    window,
    sinceDaysAgo: personaKey === 'new' ? window.fromDaysAgo : random.int(days + 15, days + 1500),
    mood: clamp(persona.mood + 0.08 * random.normal(), 0.02, 0.98),
    busyness: clamp(Math.exp(0.3 * random.normal()), 0.5, 1.8),
  };
}

function touchesOf(plan: CustomerPlan): Touch[] {
  return [
    ...recurringTouches(plan),
    ...npsSurveys(plan),
    ...commercialTouches(plan),
    ...(plan.personaKey === 'new' ? onboardingTouches(plan) : []),
    ...(plan.personaKey === 'churn_risk' ? cancellationTouches(plan) : []),
  ];
}

/** A touch of the given type at the given instant, in the customer's mood of that moment. */
function touch(plan: CustomerPlan, typeKey: TypeKey, at: Date, overrides: Partial<Touch> = {}): Touch {
  return shapeTouch(
    { random: plan.random, segment: plan.segment, mood: moodAt(plan, at), onboarding: isOnboarding(plan, at) },
    typeKey,
    at,
    overrides,
  );
}

function moodAt(plan: CustomerPlan, at: Date): number {
  const progress = 1 - (plan.now.getTime() - at.getTime()) / (plan.days * DAY_MS);
  return clamp(plan.mood + plan.persona.moodDrift * progress, 0.02, 0.98);
}

function isOnboarding(plan: CustomerPlan, at: Date): boolean {
  return plan.now.getTime() - at.getTime() > (plan.sinceDaysAgo - ONBOARDING_DAYS) * DAY_MS;
}

const RECURRING_TYPES = Object.keys(MONTHLY_RATES.smb) as RecurringType[];

/** Touches that happen on their own, each followed now and then by a survey or a rating. */
function recurringTouches(plan: CustomerPlan): Touch[] {
  const { random, now, window, persona } = plan;
  const months = (window.fromDaysAgo - window.toDaysAgo) / 30;
  const touches: Touch[] = [];
  for (const typeKey of RECURRING_TYPES) {
    const expected = MONTHLY_RATES[plan.segment][typeKey] * personaRate(persona, typeKey) * plan.busyness * months;
    const occurrences = random.poisson(expected);
    for (let i = 0; i < occurrences; i += 1) {
      const main = touch(plan, typeKey, instantIn(random, now, window, persona.trend));
      touches.push(main);
      touches.push(...followUps(plan, main));
    }
  }
  return touches;
}

function personaRate(persona: PersonaSpec, typeKey: RecurringType): number {
  const boost = persona.boost[typeKey] ?? 1;
  if (typeKey === 'product_session') return persona.productUsage * boost;
  if (typeKey === 'support_ticket') return persona.support * boost;
  return persona.engagement * boost;
}

/** A closed ticket asks for CSAT (and sometimes CES); a piece of content asks for a quick rating. */
function followUps(plan: CustomerPlan, main: Touch): Touch[] {
  const { random, now, window } = plan;
  const follow = (typeKey: TypeKey, chance: number, minHours: number, maxHours: number): Touch[] => {
    if (!random.chance(chance)) return [];
    const at = instantAfter(random, now, window, main.occurredAt, minHours, maxHours);
    return at ? [touch(plan, typeKey, at)] : [];
  };
  if (main.typeKey === 'support_ticket') return [...follow('csat', 0.45, 2, 48), ...follow('ces', 0.2, 2, 48)];
  if (main.typeKey === 'content' || main.typeKey === 'event_invitation') return follow('micro_rating', 0.2, 0.05, 2);
  return [];
}

/** Quarterly relationship NPS for everyone active at the time, plus one after onboarding. */
function npsSurveys(plan: CustomerPlan): Touch[] {
  const { random, now, window, persona } = plan;
  const touches: Touch[] = [];
  for (let sentDaysAgo = plan.days - 10; sentDaysAgo >= 5; sentDaysAgo -= NPS_INTERVAL_DAYS) {
    if (!random.chance(persona.surveyResponse)) continue;
    const answeredDaysAgo = sentDaysAgo - random.between(0, 4);
    if (answeredDaysAgo > window.fromDaysAgo || answeredDaysAgo < window.toDaysAgo) continue;
    touches.push(touch(plan, 'nps', new Date(Math.floor(now.getTime() - answeredDaysAgo * DAY_MS))));
  }
  if (plan.personaKey === 'new' && window.fromDaysAgo >= 14 && random.chance(0.6)) {
    const at = instantIn(random, now, { fromDaysAgo: window.fromDaysAgo - 14, toDaysAgo: 0 });
    touches.push(touch(plan, 'nps', at));
  }
  return touches;
}

function commercialTouches(plan: CustomerPlan): Touch[] {
  const { random, now, window, persona, personaKey } = plan;
  const touches: Touch[] = [];

  // The first purchase falls in the history only for new customers; others sometimes buy an add-on.
  if (personaKey === 'new') {
    touches.push(touch(plan, 'purchase', instantIn(random, now, signingDay(window))));
  } else if (random.chance(0.1)) {
    touches.push(touch(plan, 'purchase', instantIn(random, now, window)));
  }

  // Renewals fall on the anniversary of signing: every month or every year.
  const period = plan.billingCycle === 'monthly' ? 30 : 365;
  for (let daysAgo = plan.sinceDaysAgo - period; daysAgo >= window.toDaysAgo; daysAgo -= period) {
    if (daysAgo > window.fromDaysAgo) continue;
    touches.push(touch(plan, 'renewal', new Date(now.getTime() - daysAgo * DAY_MS)));
  }

  if (personaKey === 'upsell_engaged') {
    // The expansion came out of recent, active conversations.
    const recent = { fromDaysAgo: Math.min(window.fromDaysAgo, 90), toDaysAgo: window.toDaysAgo };
    touches.push(touch(plan, 'upsell', instantIn(random, now, recent)));
    if (random.chance(0.5)) touches.push(touch(plan, 'cross_sell', instantIn(random, now, recent)));
  } else if (personaKey === 'upsell_unengaged' || random.chance(persona.upsellChance)) {
    touches.push(touch(plan, random.chance(0.7) ? 'upsell' : 'cross_sell', instantIn(random, now, window)));
  }
  return touches;
}

/** A kickoff meeting, first tutorials and an effort survey in the first days. */
function onboardingTouches(plan: CustomerPlan): Touch[] {
  const { random, now, window } = plan;
  // Onboarding starts the day after signing, so the purchase comes first.
  const start = signingDay(window).toDaysAgo;
  const firstDays = { fromDaysAgo: start, toDaysAgo: Math.max(window.toDaysAgo, start - 5) };
  const touches = [touch(plan, 'meeting', instantIn(random, now, firstDays), { journeyStage: 'LEARNING' })];
  for (let i = random.int(1, 3); i > 0; i -= 1) touches.push(touch(plan, 'content', instantIn(random, now, firstDays)));
  if (random.chance(0.5))
    touches.push(touch(plan, 'ces', instantIn(random, now, firstDays), { journeyStage: 'LEARNING' }));
  return touches;
}

/** Customers on their way out talk about leaving, in the last weeks. */
function cancellationTouches(plan: CustomerPlan): Touch[] {
  const { random, now } = plan;
  const lastWeeks = {
    fromDaysAgo: Math.min(plan.window.fromDaysAgo, random.int(14, 40)),
    toDaysAgo: plan.window.toDaysAgo,
  };
  const at = (): Date => instantIn(random, now, lastWeeks);
  const stage = { journeyStage: 'CANCELLATION' } as const;
  const touches: Touch[] = [];
  if (random.chance(0.6)) {
    touches.push(
      touch(plan, 'meeting', at(), {
        ...stage,
        comment: random.pick(CANCELLATION.meeting),
        sentiment: random.pick(['INDIFFERENT', 'DISLIKED'] as const),
      }),
    );
  }
  if (touches.length === 0 || random.chance(0.5)) {
    touches.push(touch(plan, 'support_ticket', at(), { ...stage, comment: random.pick(CANCELLATION.support_ticket) }));
  }
  if (random.chance(0.5)) {
    touches.push(
      touch(plan, 'spontaneous_feedback', at(), {
        ...stage,
        comment: random.pick(CANCELLATION.spontaneous_feedback),
        sentiment: moodSentiment(random, 0.1),
      }),
    );
  }
  if (random.chance(0.4)) touches.push(touch(plan, 'ces', at(), { ...stage, value: random.int(5, 7), comment: null }));
  if (random.chance(0.4))
    touches.push(
      touch(plan, 'micro_rating', at(), { ...stage, sentiment: random.pick(['DISLIKED', 'WASTED_TIME'] as const) }),
    );
  return touches;
}

/** The first day of a new customer's window. */
function signingDay(window: ActiveWindow): ActiveWindow {
  return { fromDaysAgo: window.fromDaysAgo, toDaysAgo: Math.max(window.toDaysAgo, window.fromDaysAgo - 1) };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
