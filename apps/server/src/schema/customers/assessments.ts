// A customer-success manager's own assessment of a customer: a rating with a reason that counts
// in the score until it expires. Setting one over another still in force needs `replace: true`,
// so no one's rating disappears unnoticed; rescoring and imports never write them.
import {
  AssessmentError,
  assessmentExpiry,
  DEFAULT_VALID_FOR_DAYS,
  endManualAssessment,
  inForceWhere,
  isInForce,
  ModelChangeError,
  setManualAssessment,
} from '@pulso/core';
import { builder } from '../../builder.ts';
import { customerIdFor } from '../scoring-model/scoring-model-mutations.ts';
import { UserErrorInterface } from '../common/user-errors.ts';
import { workspaceKey } from '@pulso/database';

builder.objectType(AssessmentError, {
  name: 'ManualAssessmentError',
  description: 'A manual assessment that was refused: nothing was changed.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof AssessmentError,
  fields: () => ({}),
});

const ManualAssessmentRef = builder.prismaObject('ManualAssessment', {
  description:
    "A customer-success manager's rating of a customer (0–100) with a reason; one more input to the score until it expires.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the assessment.' }),
    score: t.exposeFloat('score', { description: 'The rating, 0–100 on the health score scale.' }),
    weight: t.exposeFloat('weight', { description: 'Share (0–1) of the score it carries while in force.' }),
    reason: t.exposeString('reason', { description: 'Why, in the words of whoever set it; shown with the score.' }),
    author: t.exposeString('author', { nullable: true, description: 'Who set it, if given.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was set.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When it stops counting.' }),
    endedAt: t.expose('endedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When a person withdrew or replaced it.',
    }),
    inForce: t.boolean({
      description: 'True while it counts in the score: not ended and not expired.',
      select: { expiresAt: true, endedAt: true, createdAt: true },
      resolve: (a) => isInForce(a, new Date()),
    }),
  }),
});

builder.prismaObjectField('Customer', 'manualAssessment', (t) =>
  t.field({
    type: ManualAssessmentRef,
    nullable: true,
    description: 'The manual assessment in force, if any.',
    // Loaded with the customers it belongs to (one nested selection for a whole page), not one
    // query per customer.
    select: (_args, _ctx, nestedSelection) => {
      const now = new Date();
      return {
        manualAssessments: nestedSelection({
          where: inForceWhere(now),
          orderBy: { createdAt: 'desc' },
          take: 1,
        }),
      };
    },
    resolve: (customer) => customer.manualAssessments[0] ?? null,
  }),
);

builder.mutationFields((t) => ({
  setManualAssessment: t.withAuth({ write: true }).prismaField({
    type: 'ManualAssessment',
    errors: {
      types: [AssessmentError, ModelChangeError],
      directResult: true,
      union: {
        description:
          'The new assessment, a ManualAssessmentError, or a ScoringModelError (NOT_FOUND) for an unknown customer.',
      },
    },
    description:
      'Sets a manual rating with a reason, counted in the score until it expires; the customer is rescored at once. Secret keys only; refused with a ManualAssessmentError (OUT_OF_RANGE, MISSING_VALUE, ALREADY_EXISTS without replace).',
    args: {
      customerId: t.arg.id({ description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({ description: "The workspace's own id for the customer; or give customerId." }),
      score: t.arg.float({ required: true, description: '0–100, on the health score scale.' }),
      reason: t.arg.string({ required: true, description: 'Why (not empty): shown with the score.' }),
      expiresAt: t.arg({ type: 'DateTime', description: 'When it stops counting; or give validForDays.' }),
      validForDays: t.arg.int({
        description: `Days it counts for (default ${DEFAULT_VALID_FOR_DAYS}).`,
      }),
      weight: t.arg.float({ description: 'Share of the score while in force, above 0 and at most 1 (default 0.25).' }),
      author: t.arg.string({ description: 'Who is setting it, e.g. a name or email.' }),
      replace: t.arg.boolean({ description: 'Required to replace an assessment still in force.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const customerId = await customerIdFor(ctx, args, 'customer');
      const now = new Date();
      const expiresAt = assessmentExpiry(args, now);
      const created = await setManualAssessment(ctx.prisma, {
        workspaceId: ctx.caller.workspaceId,
        customerId,
        score: args.score,
        reason: args.reason,
        expiresAt,
        weight: args.weight ?? undefined,
        author: args.author,
        replace: args.replace ?? false,
        now,
        onScoreChanges: (changes) => ctx.live.publishScoreChanges(changes),
      });
      return ctx.prisma.manualAssessment.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, created.id),
      });
    },
  }),
  endManualAssessment: t.withAuth({ write: true }).prismaField({
    type: 'ManualAssessment',
    nullable: true,
    errors: {
      types: [ModelChangeError],
      directResult: true,
      union: {
        description:
          'The ended assessment (null when none was in force), or a ScoringModelError (NOT_FOUND) for an unknown customer.',
      },
    },
    description:
      'Withdraws the assessment in force (null when there is none); the customer is rescored at once. Secret keys only.',
    args: {
      customerId: t.arg.id({ description: "The customer's global id; or give externalId (exactly one)." }),
      externalId: t.arg.string({ description: "The workspace's own id for the customer; or give customerId." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const customerId = await customerIdFor(ctx, args, 'customer');
      const ended = await endManualAssessment(ctx.prisma, ctx.caller.workspaceId, customerId, new Date(), (changes) =>
        ctx.live.publishScoreChanges(changes),
      );
      return ended
        ? ctx.prisma.manualAssessment.findUniqueOrThrow({
            ...query,
            where: workspaceKey(ctx.caller.workspaceId, ended.id),
          })
        : null;
    },
  }),
}));
