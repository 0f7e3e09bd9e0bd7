// pino: structured logs, cheap enough to leave on in production. Two formats of the same lines:
// JSON, one object a line, for log collectors (production, or stdout piped to a file or a program);
// and pretty, for a person at a terminal during development (time, level, message and fields, one
// line each, in colour when the terminal takes it), rendered by pino-pretty, the formatter pino's
// authors keep.
//
// pino-pretty is used through `prettyFactory`, which formats each line synchronously in this
// process, and the line is written through pino's own destination, which flushes what it holds
// when the process exits. Its usual form, a transport, runs in a worker thread: the bundle
// scripts/build.mjs makes cannot load that worker's file, and the lines still queued for the
// worker can be lost when the process exits (a failed start then prints nothing). Formatting in
// process costs a few microseconds a line, nothing at a terminal.
import { pino, type Logger, type LoggerOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * The format when PULSO_LOG_FORMAT does not choose: pretty when stdout is a terminal outside
 * production, JSON lines everywhere else (a pipe, a file, a container's log driver, production).
 */
export function defaultLogFormat(env: NodeJS.ProcessEnv, stdoutIsTTY: boolean | undefined): LogFormat {
  return stdoutIsTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/** Where the lines go (pino's default destination, stdout, unless given another stream). */
export interface LineSink {
  write(text: string): unknown;
}

/**
 * Standard output for a process that prints other text among its logs (the start's progress and
 * banner) through the same stream, so that nothing overtakes a line written before it. Synchronous
 * while the server starts, so that progress shows as it happens even while the event loop is busy
 * (seeding the demo); asynchronous once `serving()` is called, as pino writes by default (SonicBoom,
 * in order, flushed when the process exits): a synchronous write to a pipe cost about 100 µs a line
 * against 5 (100,000 access lines into `| cat` on a 2-core machine), which every request would pay.
 */
export class StdoutLines implements LineSink {
  #destination: LineSink = pino.destination({ dest: 1, sync: true });

  write(text: string): unknown {
    return this.#destination.write(text);
  }

  /** From now on, asynchronously (what was written so far is out: each write returned after it). */
  serving(): void {
    this.#destination = pino.destination(1);
  }
}

export function createLogger(level: string, format: LogFormat = 'json', sink?: LineSink): Logger {
  const options: LoggerOptions = { level, base: { service: 'pulso' }, redact: ['req.headers.authorization'] };
  if (format === 'json') return sink ? pino(options, sink) : pino(options);
  const prettify = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    // Every line is Pulso's: the service name says nothing at a terminal.
    ignore: 'service,access',
    singleLine: true,
    messageFormat: accessLine,
  });
  const out = sink ?? pino.destination(1);
  return pino(options, {
    write(line: string) {
      const text = prettify(line);
      if (text) out.write(text);
    },
  });
}

interface Access {
  method?: string;
  path?: string;
  operation?: string;
  status?: number | null;
  aborted?: boolean;
  durationMs?: number;
  caller?: string;
  errorCodes?: string[];
}

/** An access-log line (http/request-log.ts) as a terminal shows one: `POST /graphql 200 3.1 ms Op (caller)`. */
function accessLine(log: Record<string, unknown>, messageKey: string): string {
  const access = log.access as Access | undefined;
  const message = String(log[messageKey] ?? '');
  if (!access || typeof access !== 'object') return message;
  const parts = [access.method, access.path, access.status ?? 'no answer', `${access.durationMs} ms`];
  if (access.operation) parts.push(access.operation);
  if (access.caller) parts.push(`(${access.caller})`);
  if (access.errorCodes?.length) parts.push(`errors: ${access.errorCodes.join(', ')}`);
  if (access.aborted) parts.push('cut by the client');
  return parts.join(' ');
}
