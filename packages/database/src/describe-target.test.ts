// How a database is named in what Pulso prints (the "listening" log line, the start banner, every
// "cannot reach" and "could not prepare" error): never with a secret of its connection string,
// which pg takes in the user part and as query parameters alike.
import { describe, expect, it } from 'vitest';
import { DatabaseUnreachableError, describeTarget, openDatabase } from './database.ts';

const postgres = (url: string) => describeTarget({ kind: 'postgres', url });

describe('describeTarget', () => {
  it('hides the password of the user part', () => {
    expect(postgres('postgres://pulso:hunter2@db.internal:5432/pulso')).toBe(
      'PostgreSQL postgres://pulso:***@db.internal:5432/pulso',
    );
  });

  it('hides secrets given as query parameters, and keeps the others as written', () => {
    expect(postgres('postgres://postgres@127.0.0.1:5432/db?password=hunter2')).toBe(
      'PostgreSQL postgres://postgres@127.0.0.1:5432/db?password=***',
    );
    const described = postgres(
      'postgresql://u@h/db?sslmode=verify-full&sslpassword=k3y%26pass&PASSWORD=x&application_name=a%20b&passfile=/p&sslkey=/etc/k.pem',
    );
    expect(described).toBe(
      'PostgreSQL postgresql://u@h/db?sslmode=verify-full&sslpassword=***&PASSWORD=***&application_name=a%20b&passfile=***&sslkey=/etc/k.pem',
    );
    // An encoded name is the same parameter to pg.
    expect(postgres('postgres://u@h/db?pass%77ord=hunter2')).not.toContain('hunter2');
    expect(postgres('postgres://u:a@h/db?password=b&password=c')).toBe(
      'PostgreSQL postgres://u:***@h/db?password=***&password=***',
    );
  });

  it('names a PGlite folder as it is', () => {
    expect(describeTarget({ kind: 'pglite', dataDir: '/var/lib/pulso/data' })).toBe('PGlite /var/lib/pulso/data');
  });
});

it('says which database it cannot reach without the password given as a query parameter', async () => {
  const refused = await openDatabase({
    kind: 'postgres',
    url: 'postgres://postgres@127.0.0.1:1/pulso?password=hunter2&sslpassword=s3cret',
  }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(DatabaseUnreachableError);
  const { message } = refused as Error;
  expect(message).toMatch(
    /^cannot reach the database at PostgreSQL postgres:\/\/postgres@127\.0\.0\.1:1\/pulso\?password=\*\*\*&sslpassword=\*\*\*: /,
  );
  expect(message).not.toMatch(/hunter2|s3cret/);
});
