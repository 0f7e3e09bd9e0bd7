// Why an assessment cannot be set or ended, naming the field: its own module, so that the rules
// (assessment-validity.ts) and the writes (assessments.ts) both raise it without importing each other.
/** An assessment that cannot be set: names the field (same shape as ModelChangeError). */
export class AssessmentError extends Error {
  override readonly name = 'AssessmentError';
  constructor(
    readonly field: string,
    readonly code: 'OUT_OF_RANGE' | 'MISSING_VALUE' | 'ALREADY_EXISTS' | 'NOT_FOUND',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
