// What a customer's own fields must be before they are stored: an external id and a name of 1 to
// 200 characters, a segment of 1 to 200 characters or none, properties as a JSON object. An
// external id is stored and matched exactly as written, so one with whitespace around it is
// refused rather than trimmed: " acme" would be another customer than "acme", and an import that
// matches on it would not find the one it meant. A rule of the domain, not of the API: any way in
// that writes customers checks them here and refuses with the same problems.
import { type FieldProblem, ValidationError } from '../validation/validation-error.ts';

/** The longest external id, name or segment. */
export const MAX_CUSTOMER_TEXT = 200;

/** Customer fields as given; undefined means "not given". */
export interface CustomerFields {
  externalId?: string | null | undefined;
  name?: string | null | undefined;
  segment?: string | null | undefined;
  properties?: unknown;
}

/** Bad customer fields: nothing was stored. */
export class CustomerValidationError extends ValidationError {
  override readonly name = 'CustomerValidationError';
}

export interface CustomerFieldsCheck {
  /** Prefix of the problems' field paths (`input`, `patch`). */
  path: string;
  /** A patch: missing or null external id and name keep their value instead of being required. */
  partial: boolean;
}

/**
 * Why an external id to store is refused, when it has whitespace around it (null otherwise):
 * external ids are matched exactly, so trimming one would make it name another customer.
 */
export function paddedExternalIdProblem(field: string, externalId: string): FieldProblem | null {
  const trimmed = externalId.trim();
  if (trimmed === externalId || trimmed === '') return null;
  return {
    field,
    code: 'INVALID',
    message: `must not begin or end with whitespace: external ids are matched exactly, so ${JSON.stringify(externalId)} would be another customer than ${JSON.stringify(trimmed)}`,
  };
}

/** Refuses the fields with a CustomerValidationError listing every problem, or returns. */
export function checkCustomerFields(fields: CustomerFields, check: CustomerFieldsCheck): void {
  const problems = customerFieldProblems(fields, check);
  if (problems.length) throw new CustomerValidationError(problems);
}

/** Every problem of the fields, in field order (empty when they may be stored). */
export function customerFieldProblems(fields: CustomerFields, { path, partial }: CustomerFieldsCheck): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const text = (name: 'externalId' | 'name') => {
    const value = fields[name];
    if (value === undefined || (partial && value === null)) {
      if (!partial) problems.push({ field: `${path}.${name}`, code: 'REQUIRED', message: 'is required' });
      return;
    }
    if (value === null || value.trim() === '')
      problems.push({ field: `${path}.${name}`, code: 'INVALID', message: 'must not be empty' });
    else if (value.length > MAX_CUSTOMER_TEXT)
      problems.push({
        field: `${path}.${name}`,
        code: 'TOO_LONG',
        message: `at most ${MAX_CUSTOMER_TEXT} characters, got ${value.length}`,
      });
    else if (name === 'externalId') {
      const padded = paddedExternalIdProblem(`${path}.externalId`, value);
      if (padded) problems.push(padded);
    }
  };
  text('externalId');
  text('name');
  if (fields.segment != null && (fields.segment.trim() === '' || fields.segment.length > MAX_CUSTOMER_TEXT)) {
    problems.push({
      field: `${path}.segment`,
      code: 'INVALID',
      message: `must be 1 to ${MAX_CUSTOMER_TEXT} characters, or null for none`,
    });
  }
  if (fields.properties != null && (typeof fields.properties !== 'object' || Array.isArray(fields.properties))) {
    problems.push({ field: `${path}.properties`, code: 'INVALID', message: 'must be a JSON object' });
  }
  return problems;
}
