// Where a command writes and how it asks: the process's streams in `main.ts`, buffers in tests.
import { createInterface } from 'node:readline/promises';

export interface Io {
  /** Results: what a script reads (stdout). */
  out(line: string): void;
  /** Progress, notes and questions (stderr). */
  note(line: string): void;
  /** Asks a question and resolves with the answer; null when nobody can answer (stdin is not a terminal). */
  ask(question: string): Promise<string | null>;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  note: (line) => process.stderr.write(`${line}\n`),
  ask: async (question) => {
    if (!process.stdin.isTTY) return null;
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
};
