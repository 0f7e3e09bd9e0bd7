// Allowed origins are stored exactly as browsers send them, or refused naming the field.
import { describe, expect, it } from 'vitest';
import { ApiKeyError } from './api-key-error.ts';
import { normaliseOrigin } from './origins.ts';

function refusal(value: string) {
  try {
    normaliseOrigin(value, 'allowedOrigins[0]');
  } catch (error) {
    if (error instanceof ApiKeyError) return `${error.field} ${error.code}`;
    throw error;
  }
  return null;
}

describe('normaliseOrigin', () => {
  it('keeps a scheme, host and port, without blanks or a trailing slash', () => {
    expect(normaliseOrigin('https://app.example.com', 'f')).toBe('https://app.example.com');
    expect(normaliseOrigin(' http://localhost:3000/ ', 'f')).toBe('http://localhost:3000');
  });

  it('refuses what a browser never sends as an origin', () => {
    // An origin in another spelling than the browser's (capitals) would never match: refused too.
    const values = ['app.example.com', 'https://app.example.com/path', 'ftp://example.com', 'https://App.example.com'];
    for (const value of values) expect(refusal(value), value).toBe('allowedOrigins[0] INVALID_ORIGIN');
  });

  it('refuses a wildcard, which would match no page, saying to list each origin', () => {
    for (const value of ['https://*.example.com', 'https://*', 'http://app.*.com'])
      expect(() => normaliseOrigin(value, 'f'), value).toThrow(/holds a wildcard: origins are matched exactly/);
  });

  it('says why a file or data page cannot be allowed, instead of suggesting the origin "null"', () => {
    for (const value of ['file:///home/me/page.html', 'data:text/html,hi']) {
      expect(() => normaliseOrigin(value, 'f'), value).toThrow(/is not an http or https origin/);
      expect(() => normaliseOrigin(value, 'f'), value).not.toThrow(/e\.g\. null/);
    }
  });
});
