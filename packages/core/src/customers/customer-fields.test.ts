// Customer field validation: a pure rule, tested without a database.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../validation/validation-error.ts';
import { checkCustomerFields, CustomerValidationError, MAX_CUSTOMER_TEXT } from './customer-fields.ts';

function problemsOf(run: () => void) {
  try {
    run();
  } catch (error) {
    if (error instanceof CustomerValidationError) return error.problems;
    throw error;
  }
  return [];
}

const whole = { path: 'input', partial: false };
const patch = { path: 'patch', partial: true };

describe('checkCustomerFields', () => {
  it('accepts a complete customer, and a patch of a single field', () => {
    expect(problemsOf(() => checkCustomerFields({ externalId: 'acme', name: 'Acme', segment: null }, whole))).toEqual(
      [],
    );
    expect(problemsOf(() => checkCustomerFields({ segment: 'smb' }, patch))).toEqual([]);
    expect(problemsOf(() => checkCustomerFields({ externalId: null, name: null }, patch))).toEqual([]);
  });

  it('lists every problem at once, each with its path', () => {
    const long = 'x'.repeat(MAX_CUSTOMER_TEXT + 1);
    expect(problemsOf(() => checkCustomerFields({ name: long, segment: ' ', properties: [1] }, whole))).toEqual([
      { field: 'input.externalId', code: 'REQUIRED', message: 'is required' },
      { field: 'input.name', code: 'TOO_LONG', message: `at most ${MAX_CUSTOMER_TEXT} characters, got 201` },
      {
        field: 'input.segment',
        code: 'INVALID',
        message: `must be 1 to ${MAX_CUSTOMER_TEXT} characters, or null for none`,
      },
      { field: 'input.properties', code: 'INVALID', message: 'must be a JSON object' },
    ]);
  });

  it('refuses blank text in a patch, and takes exactly 200 characters', () => {
    expect(problemsOf(() => checkCustomerFields({ name: '  ' }, patch))).toEqual([
      { field: 'patch.name', code: 'INVALID', message: 'must not be empty' },
    ]);
    const longest = 'x'.repeat(MAX_CUSTOMER_TEXT);
    expect(problemsOf(() => checkCustomerFields({ externalId: longest, name: longest }, whole))).toEqual([]);
  });

  it('refuses an external id with whitespace around it (ids are matched exactly), whole or in a patch', () => {
    for (const externalId of [' acme', 'acme ', '\u00a0acme']) {
      const problem = {
        code: 'INVALID',
        message: `must not begin or end with whitespace: external ids are matched exactly, so ${JSON.stringify(externalId)} would be another customer than "acme"`,
      };
      expect(problemsOf(() => checkCustomerFields({ externalId, name: 'Acme' }, whole))).toEqual([
        { field: 'input.externalId', ...problem },
      ]);
      expect(problemsOf(() => checkCustomerFields({ externalId }, patch))).toEqual([
        { field: 'patch.externalId', ...problem },
      ]);
    }
    // Inside it, whitespace is part of the id; a name is trimmed when stored.
    expect(problemsOf(() => checkCustomerFields({ externalId: 'acme corp', name: ' Acme ' }, whole))).toEqual([]);
  });

  it('is a ValidationError naming its first problem, and not an interaction one', () => {
    let caught: unknown;
    try {
      checkCustomerFields({ externalId: '', name: 'Acme' }, whole);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({
      name: 'CustomerValidationError',
      field: 'input.externalId',
      code: 'INVALID',
      message: 'input.externalId: must not be empty',
    });
  });
});
