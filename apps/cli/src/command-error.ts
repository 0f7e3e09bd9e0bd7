// A refusal a command explains in one line (bad option, no such workspace, data folder in use),
// as opposed to a bug, which keeps its stack trace.
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CommandError';
  }
}
