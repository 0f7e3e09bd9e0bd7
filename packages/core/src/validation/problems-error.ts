// A refusal that lists every problem found in one answer, so a caller fixes its input in one round:
// the model change, the evaluation request and the API key operations are refused this way. The
// first problem's `field` and `code` stay on the error itself, as they were when only it was
// answered, and the message joins every problem's.

/** One thing wrong: the field, by the caller's names, and why. */
export interface Problem<Code extends string> {
  field: string;
  code: Code;
  message: string;
}

export abstract class ProblemsError<Code extends string> extends Error {
  readonly problems: readonly Problem<Code>[];
  constructor(
    readonly field: string,
    readonly code: Code,
    message: string,
    more: readonly Problem<Code>[] = [],
  ) {
    const problems = [{ field, code, message }, ...more];
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }

  /** The error of this class listing these problems (at least one). */
  static of<Code extends string, E>(
    this: new (
      field: string,
      code: Code,
      message: string,
      more: readonly Problem<Code>[],
    ) => E,
    problems: readonly Problem<Code>[],
  ): E {
    const [first, ...more] = problems;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass asked for (ApiKeyError.of gives an ApiKeyError)
    if (!first) throw new Error(`${this.name}.of needs a problem`);
    return new this(first.field, first.code, first.message, more);
  }
}
