// Imports through a real Pulso server over HTTP on loopback (in process: @pulso/server's test
// harness), against what the same import does straight into the database: the same counts; a run
// stopped one way and resumed the other storing every row once and scoring every customer; a
// server's rate limits waited out (its x-ratelimit headers, its 429s with Retry-After); a server
// not listening yet retried; a body limit met by smaller requests; a key stored meanwhile with
// other content taken for already imported.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '@pulso/server/testing';
import { DATE_RANGE } from './cells.ts';
import { loadMapping, parseMapping } from './config.ts';
import { directSink } from './direct-sink.ts';
import { graphqlClient, type GraphQLClientOptions } from './graphql-client.ts';
import { importCsv } from './import.ts';
import { serverSink } from './server-sink.ts';
import { BatchRefused } from './sink.ts';

const docs = join(import.meta.dirname, '../../../docs/import');
const file = (name: string) => ({
  mapping: loadMapping(join(docs, `${name}.json`)),
  csv: readFileSync(join(docs, `${name}.csv`), 'utf8'),
  fileName: `${name}.csv`,
  now: new Date('2026-07-01T00:00:00Z'),
});

const nps = parseMapping({
  source: 'nps',
  customer: { externalId: 'id', name: 'name' },
  interaction: { type: { value: 'nps' }, occurredAt: 'at', value: 'score' },
});
/** `count` rows of as many customers, answered the day before `now`. */
const npsFile = (count: number) => ({
  mapping: nps,
  csv: `id,name,at,score\n${Array.from({ length: count }, (_, i) => `n${i},N ${i},2026-06-30,${i % 11}`).join('\n')}\n`,
  fileName: 'nps.csv',
  now: new Date('2026-07-01T00:00:00Z'),
});

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(options: Parameters<typeof createTestServer>[0] = {}) {
  const t = await createTestServer({ over: 'http', workspace: 'empty', ...options });
  servers.push(t);
  const url = await t.server.listen(0, '127.0.0.1');
  const through = (client: Partial<GraphQLClientOptions> = {}) =>
    serverSink(graphqlClient({ url, key: t.secretKey, ...client }), { slug: 'test' }, `the server at ${url}`);
  const direct = () => directSink(t.database, { id: t.workspaceId, slug: 'test' }, 'PGlite in memory');
  const stored = async () => ({
    interactions: await t.database.prisma.interaction.count({ where: { workspaceId: t.workspaceId } }),
    keys: (
      await t.database.prisma.interaction.groupBy({ by: ['idempotencyKey'], where: { workspaceId: t.workspaceId } })
    ).length,
    customers: await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId } }),
    unscored: await t.database.prisma.customer.count({ where: { workspaceId: t.workspaceId, score: null } }),
  });
  return { t, url, through, direct, stored };
}

describe('importing through a running server', () => {
  it('counts what an import straight into the database counts, and a rerun stores nothing', async () => {
    const { through } = await server();
    const other = await server();
    for (const name of ['hubspot-contacts', 'zendesk-tickets', 'billing-events']) {
      const viaServer = await importCsv({ sink: through(), ...file(name) });
      const viaDatabase = await importCsv({ sink: other.direct(), ...file(name) });
      const { history: _a, ...a } = viaServer;
      const { history: _b, ...b } = viaDatabase;
      expect(a, name).toEqual(b);
    }
    expect(await importCsv({ sink: through(), ...file('zendesk-tickets') })).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      interactionsInserted: 0,
      interactionsSkipped: 4,
      customersScored: 0,
    });
  });

  it('records a reactivation listed before its churn through the server too (the refusal read by its code)', async () => {
    const { through } = await server();
    const summary = await importCsv({
      sink: through(),
      mapping: parseMapping({
        source: 'billing',
        customer: { externalId: 'id' },
        outcome: { kind: { column: 'event' }, occurredAt: 'at' },
      }),
      csv: 'id,event,at\nb-1,reactivated,2026-06-10\nb-2,reactivated,2026-06-08\nb-1,churned,2026-05-01\n',
      fileName: 'newest-first.csv',
      now: new Date('2026-07-01T00:00:00Z'),
      batchSize: 1,
    });
    expect(summary.bad).toEqual([{ line: 3, reason: expect.stringMatching(/"b-2" has not churned/) }]);
    expect(summary).toMatchObject({ outcomesInserted: 2, customersChurned: 0 });
  });

  it('resumes through the server a run stopped straight into the database, and the other way round', async () => {
    const { through, direct, stored } = await server();
    const rows = npsFile(250);
    const stopAfterFirstBatch = () => {
      const interrupt = new AbortController();
      return { signal: interrupt.signal, onProgress: () => interrupt.abort(), batchSize: 100 };
    };
    const first = await importCsv({ sink: direct(), ...rows, ...stopAfterFirstBatch() });
    expect(first).toMatchObject({ interrupted: true, interactionsInserted: 100 });
    const resumed = await importCsv({ sink: through(), ...rows, batchSize: 100 });
    expect(resumed).toMatchObject({ interrupted: false, interactionsInserted: 150, interactionsSkipped: 100 });
    expect(await stored()).toEqual({ interactions: 250, keys: 250, customers: 250, unscored: 0 });

    const other = npsFile(250);
    other.fileName = 'nps-2.csv';
    other.csv = other.csv.replace(/,2026-06-30,/g, ',2026-06-29,');
    const serverFirst = await importCsv({ sink: through(), ...other, ...stopAfterFirstBatch() });
    expect(serverFirst).toMatchObject({ interrupted: true, interactionsInserted: 100 });
    const directAfter = await importCsv({ sink: direct(), ...other, batchSize: 100 });
    expect(directAfter).toMatchObject({ interactionsInserted: 150, interactionsSkipped: 100 });
    expect(await stored()).toEqual({ interactions: 500, keys: 500, customers: 250, unscored: 0 });
  });

  it('waits out the rate limits: the budget its answers report, and a 429 with Retry-After', async () => {
    // The key's budget is small: the answers' x-ratelimit headers say so, and the client waits for the window.
    const paced = await server({ rateLimits: { perKey: 4, perAddress: 0, perCustomerToken: 0, windowSeconds: 1 } });
    const waits: string[] = [];
    const summary = await importCsv({
      sink: paced.through({ onWait: (m) => waits.push(m) }),
      ...npsFile(20),
      batchSize: 10,
    });
    expect(summary).toMatchObject({ interactionsInserted: 20, badCount: 0 });
    expect(waits.some((w) => w.startsWith('at the rate limit'))).toBe(true);
    expect(waits.some((w) => w.startsWith('rate limited by the server'))).toBe(false);
    expect(await paced.stored()).toMatchObject({ interactions: 20, unscored: 0 });

    // The address's budget is small and the key's large: the headers show the key's, so the
    // server refuses with 429 and Retry-After, and the client sends again after it.
    const refusing = await server({
      rateLimits: { perKey: 1_000, perAddress: 4, perCustomerToken: 0, windowSeconds: 1 },
    });
    waits.length = 0;
    const again = await importCsv({
      sink: refusing.through({ onWait: (m) => waits.push(m) }),
      ...npsFile(20),
      batchSize: 10,
    });
    expect(again).toMatchObject({ interactionsInserted: 20, badCount: 0 });
    expect(waits.some((w) => w.startsWith('rate limited by the server'))).toBe(true);
    expect(await refusing.stored()).toMatchObject({ interactions: 20, keys: 20, unscored: 0 });
  }, 60_000);

  it('retries a server that is not listening yet, and sends a batch in parts under its body limit', async () => {
    const t = await createTestServer({ over: 'http', workspace: 'empty', limits: { maxBodyBytes: 20_000 } });
    servers.push(t);
    // Not listening yet: it starts on this port a moment after the import does.
    const port = await freePort();
    const waits: string[] = [];
    const client = graphqlClient({
      url: `http://127.0.0.1:${port}`,
      key: t.secretKey,
      retryPausesMs: Array.from({ length: 20 }, () => 200),
      onWait: (m) => waits.push(m),
    });
    setTimeout(() => void t.server.listen(port, '127.0.0.1'), 600);
    const notes = parseMapping({
      source: 'notes',
      customer: { externalId: 'id' },
      interaction: { type: { value: 'meeting' }, occurredAt: 'at', comment: 'note' },
    });
    // A batch of 100 with 500-character notes is about 60 KB: three times the server's limit.
    const csv = `id,at,note\n${Array.from({ length: 200 }, (_, i) => `m${i % 20},2026-06-${10 + (i % 20)},${'x'.repeat(490)} ${i}`).join('\n')}\n`;
    const summary = await importCsv({
      sink: serverSink(client, { slug: 'test' }, 'the server'),
      mapping: notes,
      csv,
      fileName: 'notes.csv',
      now: new Date('2026-07-01T00:00:00Z'),
      batchSize: 100,
    });
    expect(summary).toMatchObject({ interactionsInserted: 200, badCount: 0, customersCreated: 20 });
    expect(waits.some((w) => /did not answer \(ECONNREFUSED\), retrying/.test(w))).toBe(true);
    expect(await t.database.prisma.interaction.count({ where: { workspaceId: t.workspaceId } })).toBe(200);
  });

  it('takes a key stored with other content since the lookup for already imported', async () => {
    const { t, through } = await server();
    const rows = npsFile(5);
    // The first row stored, then made other content under the same key (as another client's write).
    await importCsv({ sink: through(), ...rows, csv: rows.csv.split('\n').slice(0, 2).join('\n') });
    const sink = through();
    // A lookup that answers before that write: the conflict is met at write time.
    const late = {
      ...sink,
      lookup: async (...args: Parameters<typeof sink.lookup>) => ({
        ...(await sink.lookup(...args)),
        interactions: new Set<string>(),
      }),
    };
    await t.database.prisma.interaction.updateMany({
      where: { workspaceId: t.workspaceId },
      data: { source: 'elsewhere', contentHash: 'other' },
    });
    const summary = await importCsv({ sink: late, ...rows });
    expect(summary).toMatchObject({ interactionsInserted: 4, interactionsSkipped: 1, badCount: 0 });
    expect(await t.database.prisma.interaction.count({ where: { workspaceId: t.workspaceId } })).toBe(5);
  });
});

describe('dates the API refuses', () => {
  const dated = (...dates: string[]) => ({
    ...npsFile(0),
    csv: `id,name,at,score\n${dates.map((d, i) => `d${i},D ${i},${d},7`).join('\n')}\n`,
  });

  it('are bad rows on every path, the dry run included, and the rest is stored', async () => {
    const { through, direct, stored } = await server();
    const rows = dated('2026-06-30', '1969-12-31', '0001-01-01', '1970-01-01', '1969-12-31T23:59:59.999Z');
    const reasons = (summary: Awaited<ReturnType<typeof importCsv>>) => summary.bad.map((b) => [b.line, b.reason]);
    const expected = [
      [3, expect.stringContaining('at: "1969-12-31" is out of range: dates go from 1970-01-01T00:00:00Z')],
      [4, expect.stringContaining('at: "0001-01-01" is out of range')],
      [6, expect.stringContaining('is out of range')],
    ];
    const dry = await importCsv({ sink: through(), ...rows, dryRun: true });
    expect(reasons(dry)).toEqual(expected);
    const viaServer = await importCsv({ sink: through(), ...rows });
    expect(reasons(viaServer)).toEqual(expected);
    expect(viaServer).toMatchObject({ interactionsInserted: 2, badCount: 3 });
    const other = await server();
    const viaDatabase = await importCsv({ sink: other.direct(), ...rows });
    expect(reasons(viaDatabase)).toEqual(expected);
    expect(viaDatabase).toMatchObject({ interactionsInserted: 2, badCount: 3 });
    expect(await stored()).toMatchObject({ interactions: 2 });
    expect(await importCsv({ sink: direct(), ...rows })).toMatchObject({ interactionsSkipped: 2, badCount: 3 });
  });

  it("are the server's own: its DateTime takes the importer's bounds and refuses their neighbours", async () => {
    const { through } = await server();
    const sink = through();
    await sink.saveCustomers([{ externalId: 'a', name: 'A', segment: null, properties: {} }], true);
    const write = (at: Date, key: string) => ({
      customer: { externalId: 'a' },
      typeKey: 'nps',
      occurredAt: at,
      value: 7,
      source: 'bounds',
      idempotencyKey: key,
    });
    const min = Date.parse(DATE_RANGE.min);
    const max = Date.parse(DATE_RANGE.max);
    const refusal = (writes: ReturnType<typeof write>[]) =>
      sink.recordInteractions(writes).then(
        () => [],
        (error: unknown) => {
          if (!(error instanceof BatchRefused)) throw error;
          return error.problems.map((p) => [p.index, p.reason]);
        },
      );
    // Each bound's neighbour outside is refused by the DateTime scalar, before anything is run.
    expect(
      await refusal([
        write(new Date(min + 1), 'in'),
        write(new Date(min - 1), 'before'),
        write(new Date(max), 'max'),
        write(new Date(max + 1), 'after'),
      ]),
    ).toEqual([
      [1, expect.stringContaining(`is out of range: from ${DATE_RANGE.min} to ${DATE_RANGE.max}`)],
      [3, expect.stringContaining('occurredAt: DateTime')],
    ]);
    // The bounds themselves pass the scalar: the latest is then refused by the engine as in the future.
    expect(await refusal([write(new Date(min), 'min'), write(new Date(max), 'max')])).toEqual([
      [1, expect.stringContaining('is in the future')],
    ]);
    expect(await sink.recordInteractions([write(new Date(min), 'min')])).toEqual({ recorded: 1, replayed: 0 });
  });

  it('a batch the server still refuses makes the writes it names bad rows, and the rest is sent again', async () => {
    const { through, stored } = await server();
    const sink = through();
    // A server stricter than the importer: the second row's date reaches it out of its range.
    const stricter = {
      ...sink,
      recordInteractions: (writes: Parameters<typeof sink.recordInteractions>[0]) =>
        sink.recordInteractions(
          writes.map((w) => (w.customer.externalId === 'd1' ? { ...w, occurredAt: new Date('1969-06-01') } : w)),
        ),
    };
    const summary = await importCsv({ sink: stricter, ...dated('2026-06-28', '2026-06-29', '2026-06-30') });
    expect(summary).toMatchObject({ interactionsInserted: 2, badCount: 1 });
    expect(summary.bad).toEqual([{ line: 3, reason: expect.stringContaining('occurredAt: DateTime') }]);
    expect(await stored()).toMatchObject({ interactions: 2 });
  });
});

async function freePort(): Promise<number> {
  const probe = createNetServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}
