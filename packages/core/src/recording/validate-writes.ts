// Validation of interaction writes before anything is stored. Every problem of a batch is
// reported at once, each naming its field, so a client fixes a batch in one round: what the input
// alone shows (writeShapeProblems), what only the scoring model can say (modelProblems: the
// engine's own checks, so API and engine never disagree about what is valid) and which customers
// do not exist (resolve-customers.ts) are reported together (a future date once hid an unknown
// type): the model's with the input's when the input has problems, and inside the transaction,
// against the model version the write is scored with, with the customers'.
import {
  type CompiledModel,
  interactionIntensity,
  ScoringInputError,
  scoreCustomer,
  sentimentRefusal,
  valueRefusal,
} from '@pulso/scoring';
import { paddedExternalIdProblem } from '../customers/customer-fields.ts';
import { occurredAtOf, type CustomerRef, type InteractionWrite } from './interaction-write.ts';
import { InteractionValidationError, type FieldProblem } from './recording-errors.ts';

export const MAX_BATCH = 1_000;
/** Client clocks run a little ahead: a time up to this far in the future is taken as now. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_KEY_LENGTH = 200;
const MAX_COMMENT_LENGTH = 10_000;
const MAX_SOURCE_LENGTH = 200;

/** Refuses a batch over MAX_BATCH writes; `what` names them (`interactions`, `outcomes`), as the API's field does. */
export function checkBatchSize(writes: readonly unknown[], what = 'interactions'): void {
  if (writes.length <= MAX_BATCH) return;
  throw new InteractionValidationError([
    { field: what, code: 'TOO_MANY', message: `at most ${MAX_BATCH} ${what} per batch, got ${writes.length}` },
  ]);
}

/** What every idempotent write names, whatever it records (an interaction, an outcome). */
export interface KeyedWrite {
  customer: CustomerRef;
  idempotencyKey: string;
  occurredAt?: Date | null;
  source?: string | null;
}

/**
 * Problems of the fields every idempotent write shares: the customer named once (an external id
 * that may create it without whitespace around it), a key of the right length used once in the batch (`keys` remembers them), a date not in the future, a source
 * of the right length. Pushed onto `problems` in field order.
 */
export function checkKeyedWrite(
  w: KeyedWrite,
  i: number,
  now: Date,
  field: (i: number) => string,
  keys: Map<string, number>,
  problems: FieldProblem[],
): void {
  const at = field(i);
  const hasId = w.customer.id != null;
  const hasExternal = w.customer.externalId != null;
  if (hasId === hasExternal)
    problems.push({ field: `${at}.customer`, code: 'INVALID', message: 'give exactly one of id or externalId' });
  if (hasExternal && w.customer.externalId!.trim() === '')
    problems.push({ field: `${at}.customer.externalId`, code: 'INVALID', message: 'must not be empty' });
  // With a name, the write may create the customer: its external id is refused as a new
  // customer's is. Without one, it is only looked up, exactly as given.
  const padded =
    hasExternal && w.customer.name != null
      ? paddedExternalIdProblem(`${at}.customer.externalId`, w.customer.externalId!)
      : null;
  if (padded) problems.push(padded);
  if (hasId && w.customer.name != null)
    problems.push({
      field: `${at}.customer.name`,
      code: 'INVALID',
      message: 'a name creates a missing customer: give it with externalId, not id',
    });
  if (w.customer.name != null && w.customer.name.trim() === '')
    problems.push({ field: `${at}.customer.name`, code: 'INVALID', message: 'must not be empty' });
  const key = w.idempotencyKey;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    problems.push({
      field: `${at}.idempotencyKey`,
      code: 'INVALID',
      message: `must be 1 to ${MAX_KEY_LENGTH} characters`,
    });
  } else if (keys.has(key)) {
    problems.push({
      field: `${at}.idempotencyKey`,
      code: 'DUPLICATE_KEY',
      message: `"${key}" is also used by ${field(keys.get(key)!)} in this batch`,
    });
  } else keys.set(key, i);
  if (w.occurredAt) {
    if (Number.isNaN(w.occurredAt.getTime()))
      problems.push({ field: `${at}.occurredAt`, code: 'INVALID_DATE', message: 'is not a valid date' });
    else if (w.occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      problems.push({
        field: `${at}.occurredAt`,
        code: 'FUTURE_DATE',
        message: `${w.occurredAt.toISOString()} is in the future (now is ${now.toISOString()})`,
      });
    }
  }
  if (w.source != null && (w.source.length === 0 || w.source.length > MAX_SOURCE_LENGTH))
    problems.push({ field: `${at}.source`, code: 'INVALID', message: `must be 1 to ${MAX_SOURCE_LENGTH} characters` });
}

/** What the input alone shows to be wrong, in write order. */
export function writeShapeProblems(
  writes: readonly InteractionWrite[],
  now: Date,
  field: (i: number) => string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = new Map<string, number>();
  writes.forEach((w, i) => {
    checkKeyedWrite(w, i, now, field, keys, problems);
    if (w.comment != null && w.comment.length > MAX_COMMENT_LENGTH) {
      problems.push({
        field: `${field(i)}.comment`,
        code: 'TOO_LONG',
        message: `at most ${MAX_COMMENT_LENGTH} characters, got ${w.comment.length}`,
      });
    }
  });
  return problems;
}

/**
 * The engine's own checks (type key, survey answer on its scale, intensity) on each write alone:
 * what the scoring model says is wrong with each, in write order. A date in the future
 * is read as now here (occurredAtOf), so the engine never reports it: that is the shape's problem.
 */
export function modelProblems(
  compiled: CompiledModel,
  writes: readonly InteractionWrite[],
  now: Date,
  field: (i: number) => string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  writes.forEach((w, i) => {
    const refusal = sentimentRefusal(compiled, w.typeKey, w.sentiment);
    if (refusal !== null) {
      problems.push({ field: `${field(i)}.sentiment`, code: 'SENTIMENT_NOT_TAKEN', message: refusal });
      return;
    }
    const noValue = valueRefusal(compiled, w.typeKey, w.value);
    if (noValue !== null) {
      problems.push({ field: `${field(i)}.value`, code: 'VALUE_NOT_TAKEN', message: noValue });
      return;
    }
    try {
      scoreCustomer(
        compiled,
        {},
        [
          {
            id: 'check',
            typeKey: w.typeKey,
            occurredAt: occurredAtOf(w, now),
            intensity: interactionIntensity(w.intensity, w.comment),
            sentiment: w.sentiment ?? null,
            value: w.value ?? null,
          },
        ],
        now,
      );
    } catch (error) {
      if (!(error instanceof ScoringInputError)) throw error;
      // The API calls the type key `type`.
      const name = error.field.replace(/^interactions\[0\]\./, '').replace(/^typeKey$/, 'type');
      const code = error.code === 'UNKNOWN_KEY' && name === 'type' ? 'UNKNOWN_INTERACTION_TYPE' : error.code;
      problems.push({ field: `${field(i)}.${name}`, code, message: error.message.replace(/^[^:]*: /, '') });
    }
  });
  return problems;
}

/**
 * The problems of both checks, write by write (each write's own problems in the order its checks
 * found them), so that one answer lists everything a client has to fix.
 */
export function inWriteOrder(
  count: number,
  field: (i: number) => string,
  ...lists: readonly FieldProblem[][]
): FieldProblem[] {
  const all = lists.flat();
  const writeOf = (problem: FieldProblem) => {
    for (let i = 0; i < count; i++) {
      const at = field(i);
      if (problem.field === at || problem.field.startsWith(`${at}.`)) return i;
    }
    return -1;
  };
  return all
    .map((problem, order) => ({ problem, order, write: writeOf(problem) }))
    .sort((a, b) => a.write - b.write || a.order - b.order)
    .map((p) => p.problem);
}
