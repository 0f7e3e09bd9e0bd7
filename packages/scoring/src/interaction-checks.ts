// The checks every formula makes of each interaction before reading it: a type the model knows,
// a real date not after the scoring instant. Two plain functions, no object per interaction: they
// run once per interaction of every customer scored.
import type { CompiledModel, CompiledType } from './compile.ts';
import { ScoringInputError } from './errors.ts';
import type { InteractionInput } from './types.ts';
import { requireDate } from './validate.ts';

/** The interaction's compiled type; throws UNKNOWN_KEY for a type the model does not have. */
export function typeOf(model: CompiledModel, interaction: InteractionInput, index: number): CompiledType {
  const type = model.types.get(interaction.typeKey);
  if (type === undefined) {
    throw new ScoringInputError(
      `interactions[${index}].typeKey`,
      'UNKNOWN_KEY',
      `unknown interaction type "${String(interaction.typeKey)}"`,
    );
  }
  return type;
}

/** When it happened, in epoch milliseconds; throws INVALID_DATE, or FUTURE_DATE after `asOfMs`. */
export function occurredAtMs(interaction: InteractionInput, index: number, asOfMs: number): number {
  const at = requireDate(`interactions[${index}].occurredAt`, interaction.occurredAt);
  if (at > asOfMs) {
    throw new ScoringInputError(
      `interactions[${index}].occurredAt`,
      'FUTURE_DATE',
      `${interaction.occurredAt.toISOString()} is after the scoring instant ${new Date(asOfMs).toISOString()}`,
    );
  }
  return at;
}
