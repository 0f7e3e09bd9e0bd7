// pino: structured JSON logs, cheap enough to leave on in production.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'pulso' }, redact: ['req.headers.authorization'] });
}
