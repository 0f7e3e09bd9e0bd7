// The GraphQL-over-HTTP audit suite (graphql-http) against the live server. Every mandatory
// ("MUST") audit passes; the recommended ones are reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { createWorkspace } from '@pulso/core';
import { DEMO_SECRET_KEY, freePort, startServer, type ServerProcess } from './support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulso-audit-'));
let server: ServerProcess;

beforeAll(async () => {
  // The audits need a workspace and its key, not the demo's 300 customers: a migrated folder with
  // one workspace spares the initdb and the seeding.
  const database = await openMigratedPGliteFolder(join(dir, 'data'));
  try {
    await createWorkspace(database.prisma, { slug: 'audit', name: 'Audit', secretKey: DEMO_SECRET_KEY });
  } finally {
    await database.close();
  }
  server = await startServer({
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(await freePort()),
    PULSO_SEED_DEMO: 'false',
  });
});
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

// The audits send `{ __typename }` and friends; with the demo's secret key they run as a real client.
const audits = serverAudits({
  url: () => `${server.url}/graphql`,
  fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${DEMO_SECRET_KEY}`);
    return fetch(input, { ...init, headers });
  },
});

describe('GraphQL over HTTP audits', () => {
  for (const audit of audits) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST')) {
        expect(
          result.status,
          result.status === 'ok' ? '' : `${audit.name}: ${'reason' in result ? result.reason : ''}`,
        ).toBe('ok');
      } else {
        // SHOULD / MAY audits: recorded, never required.
        expect(['ok', 'warn', 'notice', 'error']).toContain(result.status);
      }
    });
  }
});
