// The pulso command run in the test's own process, with what it printed: the command tests' one
// way to call it (a child process where signals or the built file matter: import-signals.test.ts).
import { runPulso } from './cli.ts';
import type { Io } from './io.ts';

/** Runs `pulso argv` with this environment; nothing answers a question it asks. */
export async function runCaptured(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; notes: string }> {
  const out: string[] = [];
  const notes: string[] = [];
  const io: Io = { out: (line) => out.push(line), note: (line) => notes.push(line), ask: async () => null };
  const code = await runPulso(argv, { io, env });
  return { code, out: out.join('\n'), notes: notes.join('\n') };
}
