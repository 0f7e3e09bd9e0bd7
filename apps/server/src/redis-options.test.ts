import { describe, expect, it } from 'vitest';
import { redisOptions } from './redis-options.ts';

describe('redisOptions', () => {
  it('reads host, port, user, password, database, TLS and family as ioredis reads the URL', () => {
    expect(redisOptions('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(redisOptions('redis://cache')).toEqual({ host: 'cache', port: 6379 });
    expect(redisOptions('rediss://pulso:s%3Acr%40t@cache.example.com:6380/2?family=6')).toEqual({
      host: 'cache.example.com',
      port: 6380,
      username: 'pulso',
      password: 's:cr@t',
      db: 2,
      tls: {},
      family: 6,
    });
    // A password alone (Redis before ACLs), an IPv6 address.
    expect(redisOptions('redis://:secret@[::1]:7000')).toEqual({ host: '::1', port: 7000, password: 'secret' });
  });

  it('refuses another scheme, a database that is not a number, or a query it does not read', () => {
    expect(() => redisOptions('http://127.0.0.1:6379')).toThrow(/redis:\/\//);
    expect(() => redisOptions('redis://127.0.0.1:6379/cache')).toThrow(/database must be a number/);
    expect(redisOptions('redis://127.0.0.1:6379/')).toEqual({ host: '127.0.0.1', port: 6379 });
    // What ioredis took from the query, refused rather than ignored.
    expect(() => redisOptions('redis://127.0.0.1:6379?db=2')).toThrow(/"db" is not read/);
    expect(() => redisOptions('redis://127.0.0.1:6379?family=5')).toThrow(/family must be 4 or 6/);
  });
});
