// How far an import is, on stderr (stdout keeps the summary a script reads): on a terminal a bar
// redrawn in place (cli-progress), measured in bytes of the file read, with rows, bad rows and
// rows a second; elsewhere (a log, a CI job) a plain line every few seconds, so a long import is
// seen to move without filling the log. Waits (a rate limit, a server not answering) are said too.
import cliProgress from 'cli-progress';
import type { Progress } from './import.ts';

export interface ProgressReporter {
  update(progress: Progress): void;
  /** Says that the import waits, and why. */
  wait(message: string): void;
  stop(): void;
}

const number = (n: number) => n.toLocaleString('en-US');

export function progressReporter(options: {
  stream: NodeJS.WriteStream;
  /** The file's size and how much of it was read, in bytes. */
  size: number;
  bytesRead: () => number;
  /** Seconds between lines when the stream is no terminal (default 5). */
  everySeconds?: number;
}): ProgressReporter {
  const { stream, size, bytesRead } = options;
  const started = Date.now();
  const rate = (rows: number) => number(Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)));
  const percent = () => (size > 0 ? Math.min(100, Math.floor((bytesRead() / size) * 100)) : 0);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: ' {phase} [{bar}] {percentage}% | {detail}',
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let phase: Progress['phase'] | null = null;
    return {
      update(p) {
        const detail =
          p.phase === 'import'
            ? `${number(p.rows)} rows, ${number(p.bad)} bad, ${rate(p.rows)} rows/s`
            : `${number(p.done ?? 0)}/${number(p.total ?? 0)} customers`;
        const [value, total] = p.phase === 'import' ? [bytesRead(), Math.max(size, 1)] : [p.done ?? 0, p.total ?? 1];
        if (p.phase !== phase) {
          if (phase) bar.stop();
          phase = p.phase;
          bar.start(total, value, { phase: p.phase.padEnd(7), detail });
        } else {
          bar.setTotal(total);
          bar.update(value, { detail });
        }
      },
      wait(message) {
        if (phase) bar.update({ detail: message });
        else stream.write(`${message}\n`);
      },
      stop() {
        if (phase) bar.stop();
        phase = null;
      },
    };
  }
  const every = (options.everySeconds ?? 5) * 1000;
  let last = 0;
  let lastPhase: Progress['phase'] | null = null;
  // The last update not written yet: stop() writes it, so the log ends on the final count.
  let unwritten: Progress | null = null;
  const write = (p: Progress) => {
    unwritten = null;
    stream.write(
      p.phase === 'import'
        ? `import: ${number(p.rows)} rows (${percent()} % of the file), ${number(p.bad)} bad, ${rate(p.rows)} rows/s\n`
        : `history: ${number(p.done ?? 0)} of ${number(p.total ?? 0)} customers\n`,
    );
  };
  return {
    update(p) {
      if (p.phase === lastPhase && Date.now() - last < every) {
        unwritten = p;
        return;
      }
      last = Date.now();
      lastPhase = p.phase;
      write(p);
    },
    wait(message) {
      stream.write(`${message}\n`);
    },
    stop() {
      if (unwritten) write(unwritten);
    },
  };
}
