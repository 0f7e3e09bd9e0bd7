import type { Io } from './io.ts';

/** What a command runs with: where it writes and asks, and the environment it reads its settings from. */
export interface CommandContext {
  io: Io;
  env: NodeJS.ProcessEnv;
}

export type Command = (args: string[], context: CommandContext) => Promise<number>;
