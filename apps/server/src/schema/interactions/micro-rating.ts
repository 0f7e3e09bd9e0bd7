// submitMicroRating: what the public rating widget calls, with a publishable key (it may do
// nothing else) and a customer token that the host site's backend signed, so that nobody can rate
// on behalf of another customer. The rating is a `micro_rating` interaction recorded through the
// same path as recordInteraction: idempotent, scored in the same transaction, published live.
// Which choices a variant offers and how much a rating weighs are the engine's micro-rating rules.
// Ratings arriving together share a transaction (group commit, packages/workspaces/src/group-commit.ts):
// a busy product page sends thousands a second, and one transaction each would cap them far lower.
import { GraphQLError } from 'graphql';
import { TokenError, verifyCustomerToken } from '@pulso/tokens';
import type { InteractionWrite } from '@pulso/core';
import { DETAILED_COMMENT_LENGTH, MAX_MICRO_RATING_COMMENT_LENGTH, MICRO_RATING_CHOICES } from '@pulso/scoring';
import { builder } from '../../builder.ts';
import type { CallerContext } from '../../context.ts';
import { JourneyStageEnum } from '../common/enums.ts';
import {
  CustomerTokenError,
  IdempotencyConflictError,
  InteractionValidationError,
  invalid,
  ValidationError,
} from '../common/write-errors.ts';

const MicroRatingVariant = builder.enumType('MicroRatingVariant', {
  description: 'The buttons the widget showed.',
  values: {
    LIKE_DISLIKE: { description: 'Like / dislike: LIKED or DISLIKED.' },
    THREE_LEVELS: {
      description: '"I liked it" / "indifferent" / "I wasted my time": LIKED, INDIFFERENT or WASTED_TIME.',
    },
  } as const,
});

const MicroRatingChoice = builder.enumType('MicroRatingChoice', {
  description: 'The button the customer pressed; it must be one the variant shows.',
  values: {
    LIKED: { description: 'Liked it.' },
    DISLIKED: { description: 'Disliked it (like / dislike variant).' },
    INDIFFERENT: { description: 'Indifferent (three-level variant).' },
    WASTED_TIME: { description: 'I wasted my time (three-level variant).' },
  } as const,
});

const SubmitMicroRatingInput = builder.inputType('SubmitMicroRatingInput', {
  description: "One customer's rating from the widget, vouched for by a customer token.",
  fields: (t) => ({
    customerToken: t.string({
      required: true,
      description: "The customer token the host site's backend signed (see packages/tokens).",
    }),
    customer: t.string({
      required: false,
      description: "The customer's external id the widget was given; must match the token's.",
    }),
    variant: t.field({ type: MicroRatingVariant, required: true, description: 'The buttons the widget showed.' }),
    rating: t.field({
      type: MicroRatingChoice,
      required: true,
      description: "The customer's choice; one the variant offers.",
    }),
    comment: t.string({
      required: false,
      description: `Optional words, at most ${MAX_MICRO_RATING_COMMENT_LENGTH.toLocaleString('en')} characters; ${DETAILED_COMMENT_LENGTH} or more make the rating count double.`,
    }),
    journeyStage: t.field({
      type: JourneyStageEnum,
      required: false,
      description: 'Where in the journey the widget was shown, if known.',
    }),
    idempotencyKey: t.string({
      required: true,
      description: 'Generated once per rating by the widget and reused on every retry of it.',
    }),
  }),
});

const MicroRatingReceipt = builder
  .objectRef<{ interactionId: string; replayed: boolean }>('MicroRatingReceipt')
  .implement({
    description: 'The rating was recorded. Deliberately nothing about scores: the caller is a public page.',
    fields: (t) => ({
      id: t.exposeID('interactionId', { description: 'Id of the recorded interaction.' }),
      replayed: t.exposeBoolean('replayed', {
        description: 'True when this was a retry of a rating already recorded.',
      }),
    }),
  });

function checkOrigin(ctx: CallerContext): void {
  const caller = ctx.caller;
  if (caller.kind !== 'PUBLISHABLE' || caller.allowedOrigins.length === 0) return;
  if (!ctx.origin || !caller.allowedOrigins.includes(ctx.origin)) {
    // Names the origin refused, not those allowed: the answer goes to whoever sent the request, and
    // the key's other sites are the workspace's business (its admins list them with the key).
    const from = ctx.origin ? `from ${ctx.origin}` : 'without an Origin header';
    throw new GraphQLError(
      `this publishable key does not accept ratings ${from}: use a key whose allowed origins include the page's`,
      { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
    );
  }
}

/**
 * Records the rating (with others arriving at the same time) and publishes the score change once
 * committed; a workspace whose model lost its `micro_rating` type says so plainly.
 */
async function recordRating(ctx: CallerContext, write: InteractionWrite) {
  try {
    const { result, changes } = await ctx.groupCommit.record(ctx.caller.workspaceId, write, 'input');
    if (!result.replayed) ctx.metrics.interactionsRecorded(1);
    ctx.metrics.scoresComputed('write', changes.length);
    ctx.live.publishScoreChanges(changes);
    return result;
  } catch (error) {
    if (error instanceof InteractionValidationError && error.code === 'UNKNOWN_INTERACTION_TYPE') {
      throw invalid(
        'input',
        'NOT_CONFIGURED',
        'this workspace has no "micro_rating" interaction type: add it to the scoring model to accept ratings',
      );
    }
    throw error;
  }
}

builder.mutationFields((t) => ({
  submitMicroRating: t.withAuth({ rate: true }).field({
    type: MicroRatingReceipt,
    description:
      'Records a micro-rating from the rating widget (publishable or secret key, plus a customer token). Refused with CustomerTokenError, ValidationError or IdempotencyConflictError.',
    errors: {
      types: [CustomerTokenError, ValidationError, IdempotencyConflictError],
      directResult: true,
      union: {
        description:
          'The receipt, or a CustomerTokenError, ValidationError or IdempotencyConflictError when nothing was stored.',
      },
    },
    args: { input: t.arg({ type: SubmitMicroRatingInput, required: true, description: 'The rating.' }) },
    resolve: async (_root, { input }, ctx) => {
      checkOrigin(ctx);
      const secrets = await ctx.signingSecrets.secretsOf(ctx.caller.workspaceId);
      if (secrets === null) throw new Error(`the caller's workspace ${ctx.caller.workspaceId} is gone`);
      let externalId: string;
      try {
        ({ externalId } = await verifyCustomerToken(input.customerToken, secrets));
      } catch (error) {
        if (error instanceof TokenError) throw new CustomerTokenError(error.reason, error.message);
        throw error;
      }
      if (input.customer != null && input.customer !== externalId) {
        throw new CustomerTokenError(
          'OTHER_CUSTOMER',
          `the customer token is for another customer than "${input.customer}"`,
        );
      }
      const choices: readonly string[] = MICRO_RATING_CHOICES[input.variant];
      if (!choices.includes(input.rating)) {
        throw invalid(
          'input.rating',
          'INVALID',
          `a ${input.variant} rating is one of ${choices.join(', ')}, got ${input.rating}`,
        );
      }
      const comment = input.comment?.trim() || null;
      if (comment && comment.length > MAX_MICRO_RATING_COMMENT_LENGTH) {
        throw invalid(
          'input.comment',
          'TOO_LONG',
          `at most ${MAX_MICRO_RATING_COMMENT_LENGTH} characters, got ${comment.length}`,
        );
      }
      return recordRating(ctx, {
        // The host site vouched for the customer by signing its token: create it if new.
        customer: { externalId, name: externalId },
        typeKey: 'micro_rating',
        sentiment: input.rating,
        // No intensity: recording applies the comment rule to every write (@pulso/scoring write-rules).
        comment,
        journeyStage: input.journeyStage ?? null,
        source: 'widget',
        // Widget keys live apart from backend keys: a browser cannot collide with a backend write.
        idempotencyKey: `widget:${input.idempotencyKey}`,
      });
    },
  }),
}));
