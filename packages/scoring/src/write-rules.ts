// Rules every write path applies before an interaction is stored (the API's recordInteraction and
// recordInteractions, the rating widget, the CSV importer), so that one interaction means the same
// whichever way it arrived.
import type { CompiledModel } from './compile.ts';
import { MAX_INTENSITY } from './interaction-points.ts';
import { isDetailedComment } from './micro-rating.ts';
import type { Sentiment } from './types.ts';

/**
 * The instants Pulso takes, on every path (the API's DateTime scalar, the CSV importer): from the
 * epoch (PostgreSQL would store year 1, JavaScript and the scoring read such dates badly) to the
 * end of year 9999. One range, so that what an import's dry run accepts the API accepts too.
 */
export const DATE_RANGE = { min: '1970-01-01T00:00:00Z', max: '9999-12-31T23:59:59.999Z' } as const;
const DATE_RANGE_MS = { min: Date.parse(DATE_RANGE.min), max: Date.parse(DATE_RANGE.max) };

/** Whether an instant (ms since the epoch) is within DATE_RANGE. */
export function inDateRange(ms: number): boolean {
  return ms >= DATE_RANGE_MS.min && ms <= DATE_RANGE_MS.max;
}

/**
 * The intensity an interaction is stored with: the one given (1 when none), doubled when it carries
 * a detailed comment — words carry more than a bare click, so a like with a comment of
 * DETAILED_COMMENT_LENGTH characters or more beats a bare like, on every write path. Doubled within
 * the scale: an intensity above half of MAX_INTENSITY with a comment is stored as the maximum (it
 * was refused as out of range, naming a doubled value the client never sent). A given intensity out
 * of range is left as it is, to be refused with its own value.
 */
export function interactionIntensity(intensity: number | null | undefined, comment: string | null | undefined): number {
  const given = intensity ?? 1;
  if (!isDetailedComment(comment) || !(given >= 0 && given <= MAX_INTENSITY)) return given;
  return Math.min(given * 2, MAX_INTENSITY);
}

/**
 * Why a sentiment cannot be recorded on this type, or null when it can. A sentiment is never
 * silently dropped: formula 2 gives every type's sentiment a meaning except a survey answer's (the
 * answer is the value; "wasted my time" alone still counts there), and formula 1 ignores it on
 * POSITIVE types and survey answers, so there it is refused.
 */
export function sentimentRefusal(
  model: CompiledModel,
  typeKey: string,
  sentiment: Sentiment | null | undefined,
): string | null {
  if (sentiment == null) return null;
  const type = model.types.get(typeKey);
  if (type === undefined) return null;
  if (type.handling === 'FROM_VALUE' && !(model.formula === 2 && sentiment === 'WASTED_TIME'))
    return `a ${typeKey} answer is scored by its value; send no sentiment (or record the comment as its own interaction)`;
  if (model.formula === 1 && type.handling === 'POSITIVE')
    return `${typeKey} is always positive under this model (formula 1): its sentiment would be ignored; send none, or use a type that takes one`;
  return null;
}

/**
 * Why a value cannot be recorded on this type, or null when it can. Only a survey answer (a type
 * with a value scale: NPS, CSAT, CES) is scored by its value; on any other type a value was stored
 * and never read, as silently as a dropped sentiment (sentimentRefusal).
 */
export function valueRefusal(model: CompiledModel, typeKey: string, value: number | null | undefined): string | null {
  if (value == null) return null;
  const type = model.types.get(typeKey);
  if (type === undefined || type.scale !== null) return null;
  return `${typeKey} is not scored by a value (only survey answers on a scale are: NPS, CSAT, CES); send none`;
}
