// Bad input, refused before anything is stored. Customers and interactions each have their own
// error (a caller can tell which write refused), but both list problems the same way, field by
// field, so that the API answers both with one ValidationError shape.
export interface FieldProblem {
  /** Path of the offending input field, e.g. `interactions[3].value`. */
  field: string;
  code: string;
  message: string;
}

/** Bad input: nothing was stored. Lists every problem found, each naming its field. */
export class ValidationError extends Error {
  override readonly name: string = 'ValidationError';
  /** The first problem's field and code; `problems` lists them all. */
  readonly field: string;
  readonly code: string;
  constructor(readonly problems: FieldProblem[]) {
    super(
      problems.length === 1
        ? `${problems[0]!.field}: ${problems[0]!.message}`
        : `${problems.length} invalid fields: ${problems.map((p) => p.field).join(', ')}`,
    );
    this.field = problems[0]?.field ?? '';
    this.code = problems[0]?.code ?? 'INVALID';
  }
}
