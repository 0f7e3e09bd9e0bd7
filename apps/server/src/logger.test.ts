// The pretty format's lines as written (pino and pino-pretty, in process, into a sink): one line a
// record, an access-log record as a terminal reads one, an error with its stack; and the choice
// of format from the terminal and NODE_ENV. Real processes under a terminal: test/terminal-logs.test.ts.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogFormat } from './logger.ts';

function pretty() {
  const written: string[] = [];
  const logger = createLogger('info', 'pretty', { write: (text: string) => written.push(text) });
  return { logger, written };
}

describe('logs', () => {
  it('are pretty at a terminal outside production, JSON lines anywhere else', () => {
    expect(defaultLogFormat({}, true)).toBe('pretty');
    expect(defaultLogFormat({ NODE_ENV: 'development' }, true)).toBe('pretty');
    expect(defaultLogFormat({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(defaultLogFormat({}, false)).toBe('json');
    expect(defaultLogFormat({}, undefined)).toBe('json');
  });

  it('write an access-log record as method, path, status, time, operation and caller, on one line', () => {
    const { logger, written } = pretty();
    logger.child({ requestId: 'r-1' }).info(
      {
        access: {
          method: 'POST',
          path: '/graphql',
          operation: 'AtRisk',
          status: 200,
          durationMs: 3.1,
          caller: 'key:abc',
          errorCodes: ['RATE_LIMITED'],
        },
      },
      'request',
    );
    logger.info({ access: { method: 'GET', path: '/x', status: null, aborted: true, durationMs: 9 } }, 'request');
    const lines = written.map(stripVTControlCharacters);
    expect(lines).toEqual([
      expect.stringMatching(
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/graphql 200 3\.1 ms AtRisk \(key:abc\) errors: RATE_LIMITED \{"requestId":"r-1"\}\n$/,
      ),
      expect.stringMatching(/INFO: GET \/x no answer 9 ms cut by the client\n$/),
    ]);
  });

  it('write an error with its message and stack, and hide the authorization header', () => {
    const { logger, written } = pretty();
    logger.error(
      { err: new Error('the disk is full'), req: { headers: { authorization: 'Bearer pulso_sk_x' } } },
      'failed',
    );
    const text = written.join('');
    expect(text).toMatch(/ERROR: failed/);
    expect(text).toContain('the disk is full');
    expect(text).toContain('logger.test.ts');
    expect(text).not.toContain('pulso_sk_x');
  });
});
