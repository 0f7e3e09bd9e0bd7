// The customers most in need of action, worst first, each with why: the main reason in a word and
// a sentence, drawn from the stored explanation of its score (flags, drivers, categories).
import type { Customer } from '@pulso/database';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { DAY_MS, type ScoreResult } from '@pulso/scoring';
import { GraphQLError } from 'graphql';
import { builder } from '../../builder.ts';
import { CustomerRef } from './customer.ts';
import { atRiskReadScopes } from '../keys/view-scopes.ts';

/** A fall of this many points over 30 days is a reason on its own. */
const STEEP_DROP = 10;
/** The longest page: a dashboard's whole at-risk list at once. */
const AT_RISK_MAX = 200;

export type AtRiskReasonCode =
  | 'NO_DATA'
  | 'WASTED_TIME'
  | 'SILENCE'
  | 'SCORE_DROP'
  | 'NEGATIVE_INTERACTION'
  | 'WEAK_CATEGORY'
  | 'LOW_SCORE';

interface Reason {
  code: AtRiskReasonCode;
  message: string;
}

interface AtRisk {
  customer: Customer;
  reasons: Reason[];
}

const AtRiskReasonCodeEnum = builder.enumType('AtRiskReasonCode', {
  description: 'Why a customer needs action, in order of precedence for the main reason.',
  values: {
    NO_DATA: { description: 'Nothing on record: nobody knows how this customer is doing.' },
    WASTED_TIME: { description: 'The customer said an interaction wasted their time.' },
    SILENCE: { description: 'The customer has gone quiet past the silence window.' },
    SCORE_DROP: { description: `The score fell by ${STEEP_DROP} points or more in 30 days.` },
    NEGATIVE_INTERACTION: { description: 'A recent interaction took points away (a complaint, a bad survey answer).' },
    WEAK_CATEGORY: { description: 'A category scores below neutral (50).' },
    LOW_SCORE: { description: 'The score is low without a single outstanding cause.' },
  } as const,
});

const AtRiskReasonRef = builder.objectRef<Reason>('AtRiskReason').implement({
  description: 'One reason a customer needs action.',
  fields: (t) => ({
    code: t.field({ type: AtRiskReasonCodeEnum, description: 'The kind of reason.', resolve: (r) => r.code }),
    message: t.exposeString('message', { description: 'The reason in plain words.' }),
  }),
});

function words(key: string): string {
  return key.replaceAll('_', ' ');
}

/** Every reason the stored explanation gives, most pressing first. */
export function reasonsFor(customer: Pick<Customer, 'scoreBreakdown' | 'scoreChange30d' | 'score'>): Reason[] {
  const result = customer.scoreBreakdown as ScoreResult | null;
  const reasons: Reason[] = [];
  const flag = (code: string) => result?.flags?.find((f) => f.code === code);
  if (!result || flag('NO_DATA')) reasons.push({ code: 'NO_DATA', message: 'no interaction on record' });
  const wasted = flag('WASTED_TIME');
  if (wasted) reasons.push({ code: 'WASTED_TIME', message: wasted.message });
  const silence = flag('SILENCE');
  if (silence && result) {
    const lost = result.silenceFactor > 0 ? result.score / result.silenceFactor - result.score : 0;
    reasons.push({ code: 'SILENCE', message: `${silence.message}: silence costs ${lost.toFixed(1)} points` });
  }
  if (customer.scoreChange30d != null && customer.scoreChange30d <= -STEEP_DROP) {
    reasons.push({
      code: 'SCORE_DROP',
      message: `down ${Math.abs(customer.scoreChange30d).toFixed(1)} points in 30 days`,
    });
  }
  const worst = result?.drivers?.lowered?.[0];
  if (worst) {
    reasons.push({
      code: 'NEGATIVE_INTERACTION',
      message: `${words(worst.typeKey)} on ${worst.occurredAt.slice(0, 10)}: ${worst.points.toFixed(1)} points`,
    });
  }
  const weakest = (result?.categories ?? [])
    .filter((c) => c.subScore !== null && c.subScore < 50)
    .sort((a, b) => a.subScore! - b.subScore! || a.key.localeCompare(b.key))[0];
  if (weakest)
    reasons.push({
      code: 'WEAK_CATEGORY',
      message: `${weakest.name.toLowerCase()} at ${weakest.subScore!.toFixed(1)} out of 100`,
    });
  if (reasons.length === 0)
    reasons.push({ code: 'LOW_SCORE', message: `score ${customer.score ?? 50} with no single outstanding cause` });
  return reasons;
}

const AtRiskCustomerRef = builder.objectRef<AtRisk>('AtRiskCustomer').implement({
  description: 'A customer in the at-risk band, with why it needs action.',
  fields: (t) => ({
    customer: t.field({ type: CustomerRef, description: 'The customer.', resolve: (a) => a.customer }),
    score: t.float({ description: 'Its current score.', resolve: (a) => a.customer.score ?? 0 }),
    mainReason: t.field({
      type: AtRiskReasonRef,
      description: 'The most pressing reason.',
      resolve: (a) => a.reasons[0]!,
    }),
    reasons: t.field({
      type: [AtRiskReasonRef],
      description: 'Every reason, most pressing first.',
      resolve: (a) => a.reasons,
    }),
    daysSinceLastInteraction: t.int({
      nullable: true,
      description: 'Whole days since the latest interaction, as of now; null when there never was one.',
      resolve: (a) =>
        a.customer.lastInteractionAt
          ? Math.floor((Date.now() - a.customer.lastInteractionAt.getTime()) / DAY_MS)
          : null,
    }),
    scoreChange30d: t.float({
      nullable: true,
      description: 'Score change over 30 days; null without that history.',
      resolve: (a) => a.customer.scoreChange30d,
    }),
  }),
});

builder.queryField('atRiskCustomers', (t) =>
  t.field({
    type: [AtRiskCustomerRef],
    description:
      'The at-risk customers most in need of action: lowest score first, then the steepest 30-day fall, each with why.',
    authScopes: atRiskReadScopes,
    args: {
      first: t.arg.int({
        required: false,
        defaultValue: 10,
        description: `How many (1–${AT_RISK_MAX}, default 10). Related data (interactions, trends...) loads for the whole page at once, so a long page costs no more statements than a short one.`,
      }),
    },
    resolve: async (_root, args, ctx, info) => {
      const first = args.first ?? 10;
      if (first < 1 || first > AT_RISK_MAX)
        throw new GraphQLError(`first must be between 1 and ${AT_RISK_MAX}`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      const customers = (await ctx.prisma.customer.findMany({
        ...queryFromInfo({ context: ctx, info, typeName: 'Customer', path: ['customer'] }),
        // Churned customers left: nothing is to be done for them any more.
        where: { workspaceId: ctx.caller!.workspaceId, band: 'AT_RISK', churnedAt: null },
        orderBy: [{ score: 'asc' }, { scoreChange30d: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
        take: first,
      })) as Customer[];
      return customers.map((customer) => ({ customer, reasons: reasonsFor(customer) }));
    },
  }),
);
