// Property-based fuzzing of every mutation over real HTTP (see README.md in this folder). Cases
// are generated from the schema, so a new mutation is fuzzed with no edit here. For each case:
// the answer comes within a time limit and is never a 5xx; every error has a message and an
// `extensions.code`; every typed user error has a code and a message; and when the request was
// refused, no table changed. Kept counterexamples (regressions.json) are replayed first.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@pulso/server';
import { createTestServer, type TestServer } from '@pulso/server/testing';
import { fuzzCases, requestFor, type FuzzCase, type FuzzRequest } from './fuzz-case.ts';
import type { KnownValues } from './input-arbitraries.ts';
import { rootFields } from './root-fields.ts';
import { changedTables, fingerprintReader, type TableFingerprints } from './table-snapshot.ts';

const REGRESSIONS = new URL('./regressions.json', import.meta.url);
/**
 * Cases per run on PostgreSQL (the issue asks for at least 1,000 per CI run); PULSO_FUZZ_POSTGRES_RUNS
 * overrides. The thousand go to PostgreSQL because a case costs about a third of the CPU there that
 * it costs on PGlite, whose engine runs in the test's own process (2026-12-05: 1,000 cases 12 s
 * against 18 s, the file 33 against 44 CPU-s).
 */
const POSTGRES_RUNS = Number(process.env.PULSO_FUZZ_POSTGRES_RUNS ?? 1_000);
/** Cases per run on PGlite, the same properties against the other database; PULSO_FUZZ_RUNS overrides. */
const RUNS = Number(process.env.PULSO_FUZZ_RUNS ?? 250);
const SEED = Number(process.env.PULSO_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** An answer slower than this is a hang (generous: the machine is shared and small). */
const ANSWER_TIMEOUT_MS = 20_000;

interface KeptCase {
  /** Why it was kept: the failure it caused, and the run that found it. */
  note: string;
  case: FuzzCase;
}

const kept = (): KeptCase[] => JSON.parse(readFileSync(REGRESSIONS, 'utf8')) as KeptCase[];

/** Type names of typed user errors (every object type implementing UserError). */
const USER_ERROR_TYPES = new Set(
  Object.values(schema.getTypeMap())
    .filter((type) => 'getInterfaces' in type && type.getInterfaces().some((i) => i.name === 'UserError'))
    .map((type) => type.name),
);

interface Target {
  t: TestServer;
  url: string;
  readOnlyKey: string;
  known: KnownValues;
  customerIds: string[];
  interactionIds: string[];
  spareApiKeyId: string;
  /** Every table's fingerprint as of now (read again only once a transaction has ended). */
  fingerprints: () => Promise<TableFingerprints>;
}

async function startTarget(database: 'pglite' | 'postgres'): Promise<Target> {
  const t = await createTestServer({ database, workspace: 'demo', demoCustomers: 4 });
  const url = await t.server.listen(0, '127.0.0.1');
  const createKey = async (name: string, kind: string) => {
    const { body } = await t.graphql(
      `mutation ($name: String!, $kind: ApiKeyKind!) { createApiKey(name: $name, kind: $kind) { ... on CreatedApiKey { key apiKey { id } } } }`,
      { name, kind },
    );
    return body.data.createApiKey as { key: string; apiKey: { id: string } };
  };
  const readOnly = await createKey('fuzz read-only', 'READ_ONLY');
  // A key only the fuzzer's revokeApiKey cases name, so a revocation reaches its resolver's happy path.
  const spare = await createKey('fuzz spare', 'SECRET');
  const { prisma } = t.database;
  const where = { workspaceId: t.workspaceId };
  const customers = await prisma.customer.findMany({
    where,
    orderBy: { externalId: 'asc' },
    select: { id: true, externalId: true, segment: true },
  });
  const interactions = await prisma.interaction.findMany({
    where,
    orderBy: { id: 'asc' },
    take: 4,
    select: { id: true },
  });
  const categories = await prisma.category.findMany({ where, orderBy: { key: 'asc' }, select: { key: true } });
  const types = await prisma.interactionType.findMany({ where, orderBy: { key: 'asc' }, select: { key: true } });
  const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
  return {
    t,
    url,
    readOnlyKey: readOnly.key,
    known: {
      externalIds: customers.map((c) => c.externalId),
      categoryKeys: categories.map((c) => c.key),
      interactionTypeKeys: types.map((c) => c.key),
      segments: [...new Set(customers.map((c) => c.segment).filter((s): s is string => !!s))].sort(),
    },
    customerIds: customers.map((c) => globalId('Customer', c.id)),
    interactionIds: interactions.map((i) => globalId('Interaction', i.id)),
    spareApiKeyId: spare.apiKey.id,
    fingerprints: fingerprintReader(t.database),
  };
}

/** Replaces the placeholders of input-arbitraries.ts with this run's ids and freshly signed tokens. */
async function resolvePlaceholders(target: Target, value: unknown): Promise<unknown> {
  const tokens = new Map<string, string>();
  for (const [, externalId] of JSON.stringify(value ?? null).matchAll(/@@customerToken:(.*?)@@/g)) {
    // Signed now, by the server, with whatever signing secret the workspace has at this point.
    const { body } = await target.t.graphql(
      `mutation ($e: String!) { createCustomerToken(externalId: $e) { ... on CustomerToken { token } } }`,
      {
        e: JSON.parse(`"${externalId}"`),
      },
    );
    tokens.set(externalId!, body.data?.createCustomerToken?.token ?? 'unsignable');
  }
  const replace = (s: string) =>
    s
      .replace(/@@customer:(\d+)@@/g, (_, i) => target.customerIds[Number(i)] ?? 'gone')
      .replace(/@@interaction:(\d+)@@/g, (_, i) => target.interactionIds[Number(i)] ?? 'gone')
      .replace(/@@spareApiKey@@/g, target.spareApiKeyId)
      .replace(/@@customerToken:(.*?)@@/g, (_, e) => tokens.get(e)!);
  // Into a copy (the case itself keeps its placeholders, for shrinking and for regressions.json),
  // built iteratively, because values may nest thousands of levels deep.
  const root: { value?: unknown } = {};
  const stack: [unknown, Record<string | number, unknown>, string | number][] = [[value, root, 'value']];
  while (stack.length) {
    const [v, holder, key] = stack.pop()!;
    if (typeof v === 'string') holder[key] = replace(v);
    else if (Array.isArray(v)) {
      const copy: unknown[] = new Array(v.length);
      holder[key] = copy;
      for (const [i, item] of v.entries()) stack.push([item, copy as unknown as Record<number, unknown>, i]);
    } else if (v && typeof v === 'object') {
      const copy: Record<string, unknown> = {};
      holder[key] = copy;
      for (const [k, item] of Object.entries(v)) stack.push([item, copy, k]);
    } else holder[key] = v;
  }
  return root.value;
}

/**
 * Waits until no rescoring job and no model evaluation is queued or running, so that only the
 * request under test can write: an evaluation an earlier case started (evaluateScoringModel,
 * suggestScoringModel) writes its progress for a while after that case was answered.
 */
async function settled(target: Target): Promise<void> {
  const deadline = Date.now() + 60_000;
  const running = { status: { in: ['PENDING' as const, 'RUNNING' as const] } };
  for (;;) {
    const { prisma } = target.t.database;
    const busy =
      (await prisma.rescoreRun.count({ where: running })) + (await prisma.modelEvaluation.count({ where: running }));
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`rescoring jobs or model evaluations still running after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function authorization(target: Target, c: FuzzCase): string | undefined {
  if (typeof c.auth === 'object') return c.auth.header;
  const keys = {
    secret: target.t.secretKey,
    publishable: target.t.publishableKey,
    readOnly: target.readOnlyKey,
    none: undefined,
  };
  const key = keys[c.auth];
  return key ? `Bearer ${key}` : undefined;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * One request on a connection of its own (node:http, no keep-alive pool: a pooled connection the
 * server has just closed as idle would fail a request for a reason that is not the server's).
 */
function send(base: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = {
      ...request.headers,
      ...(request.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(request.body)) }),
    };
    const req = httpRequest(
      new URL(request.path, base),
      { method: request.method, headers, agent: false, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.name === 'AbortError'
            ? `no answer within ${ANSWER_TIMEOUT_MS} ms (a hang)`
            : `the request failed: ${error.code ?? ''} ${error.message}`,
        ),
      ),
    );
    req.end(request.body);
  });
}

/** A case as JSON, cut short (a case may hold megabytes). */
function printable(c: unknown): string {
  try {
    if (c === undefined) return '(none)';
    return JSON.stringify(c, (_key, value: unknown) =>
      typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…(${value.length} characters)` : value,
    ).slice(0, 1_500);
  } catch (error) {
    return `(cannot print: ${(error as Error).message})`;
  }
}

/** Sends one case and checks every property; throws (with the response) when one fails. */
/** What became of a case: carried out, a typed user error, or refused with an error code (or an HTTP status). */
type Outcome = 'carried out' | 'user error' | `refused ${string}`;

/** The own keys of the prototypes every object and array inherits from ("Array.prototype.x"). */
function prototypeKeys(): string[] {
  return [
    ...Reflect.ownKeys(Object.prototype).map((k) => `Object.prototype.${String(k)}`),
    ...Reflect.ownKeys(Array.prototype).map((k) => `Array.prototype.${String(k)}`),
  ];
}

async function checkCase(target: Target, c: FuzzCase): Promise<Outcome> {
  await settled(target);
  const args = (await resolvePlaceholders(target, c.args)) as Record<string, unknown>;
  const request = requestFor(schema, { ...c, args });
  const auth = authorization(target, c);
  if (auth) request.headers.authorization = auth;
  const before = await target.fingerprints();
  const prototypes = prototypeKeys();
  const started = Date.now();
  const response = await send(target.url, request);
  const text = response.text;
  // The server runs in this process: a key its input put on a built-in prototype shows here.
  const added = prototypeKeys().filter((key) => !prototypes.includes(key));
  if (added.length) throw new Error(`the request added to a built-in prototype: ${added.join(', ')}`);
  const seen = `HTTP ${response.status} in ${Date.now() - started} ms: ${text.slice(0, 600)}`;
  const fail = (problem: string): never => {
    throw new Error(`${problem}\n  ${seen}`);
  };

  if (response.status >= 500) fail('a server error');
  // Node's HTTP parser refuses headers (or a GET's URL) over 16 KiB before Pulso sees the request:
  // its status line is the reason, and nothing ran.
  if (response.status === 431) return 'refused HTTP 431';
  let body: GraphQLBody | undefined;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    body = undefined;
  }
  if (response.status >= 400 && !body?.errors?.length) fail('a refusal that does not say why (no errors in the body)');
  for (const error of body?.errors ?? []) {
    if (typeof error.message !== 'string' || !error.message.trim()) fail('an error without a message');
    if (typeof error.extensions?.code !== 'string' || !error.extensions.code)
      fail(`an error without extensions.code: ${String(error.message)}`);
    if (error.extensions?.code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.')
      fail('an unexpected (masked) error');
  }
  // The root fields answered: the case's mutation, or whatever a raw body asked for.
  const results = Object.values(body?.data ?? {}) as ({
    __typename?: string;
    code?: unknown;
    message?: unknown;
  } | null)[];
  const isUserError = (r: (typeof results)[number]) => !!r?.__typename && USER_ERROR_TYPES.has(r.__typename);
  // A raw body selects what it likes; the case's own operations ask for code and message.
  for (const r of c.transport.kind === 'raw' ? [] : results.filter(isUserError)) {
    if (typeof r!.code !== 'string' || !r!.code || typeof r!.message !== 'string' || !r!.message)
      fail('a typed user error without a code or a message');
  }

  const refused =
    response.status >= 400 || !body || results.length === 0 || results.every((r) => r == null || isUserError(r));
  if (!refused) return 'carried out';
  await settled(target);
  const changed = changedTables(before, await target.fingerprints());
  if (changed.length) fail(`a refused request wrote to ${changed.join(', ')}`);
  if (results.some(isUserError)) return 'user error';
  return `refused ${String(body?.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`)}`;
}

/** Runs the property; on failure, with PULSO_FUZZ_RECORD=1, keeps the shrunk counterexample in regressions.json. */
async function fuzz(target: Target, numRuns: number, label: string): Promise<void> {
  const started = Date.now();
  console.log(`[fuzz ${label}] seed ${SEED}, ${numRuns} cases (replay: PULSO_FUZZ_SEED=${SEED})`);
  if (process.env.PULSO_FUZZ_SURVEY === '1') return survey(target, numRuns, label);
  const outcomes = new Map<Outcome, number>();
  const details = await fc.check(
    fc.asyncProperty(fuzzCases(schema, target.known), async (c) => {
      const outcome = await checkCase(target, c);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }),
    { seed: SEED, numRuns },
  );
  const tally = [...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${n} ${outcome}`);
  console.log(
    `[fuzz ${label}] ${details.numRuns} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tally.join(', ')}`,
  );
  if (!details.failed) {
    // Not a vacuous pass: a good share of the cases got past every check to the resolvers.
    const reached = (outcomes.get('carried out') ?? 0) + (outcomes.get('user error') ?? 0);
    expect(reached, 'cases carried out or refused by a resolver with a typed user error').toBeGreaterThan(numRuns / 10);
    return;
  }
  if (process.env.PULSO_FUZZ_RECORD === '1' && details.counterexample) {
    const error =
      details.errorInstance instanceof Error
        ? details.errorInstance.message.split('\n')[0]
        : String(details.errorInstance);
    const cases = kept();
    cases.push({
      note: `${error} (seed ${SEED}, path ${details.counterexamplePath}, ${label})`,
      case: details.counterexample[0],
    });
    writeFileSync(REGRESSIONS, `${JSON.stringify(cases, null, 2)}\n`);
    console.log(`[fuzz ${label}] the counterexample was added to test/fuzz/regressions.json`);
  }
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`${error}\n\n${fc.defaultReportMessage(details)}`);
}

/**
 * PULSO_FUZZ_SURVEY=1: every case runs (no stop, no shrinking) and the distinct failures are
 * printed with a case of each, to see all there is to fix at once. Passes whatever it finds.
 */
async function survey(target: Target, numRuns: number, label: string): Promise<void> {
  const found = new Map<string, { count: number; example: FuzzCase; previous?: FuzzCase; detail: string }>();
  let previous: FuzzCase | undefined;
  const slowest: { ms: number; c: FuzzCase }[] = [];
  for (const c of fc.sample(fuzzCases(schema, target.known), { seed: SEED, numRuns })) {
    const started = Date.now();
    await checkCase(target, c).catch((error: Error) => {
      const kind = error.message
        .split('\n')[0]!
        .replace(/"[^"]*"/g, '"…"')
        .slice(0, 160);
      const entry = found.get(kind) ?? { count: 0, example: c, previous, detail: error.message };
      entry.count++;
      found.set(kind, entry);
    });
    previous = c;
    slowest.push({ ms: Date.now() - started, c });
    slowest.sort((a, b) => b.ms - a.ms).splice(5);
  }
  for (const { ms, c } of slowest) console.log(`[fuzz ${label} survey] slow: ${ms} ms ${printable(c).slice(0, 400)}`);
  for (const [kind, { count, example, previous: before, detail }] of found) {
    console.log(
      `[fuzz ${label} survey] ${count}× ${kind}\n${detail.slice(0, 800)}\n  case: ${printable(example)}\n  after: ${printable(before)}\n`,
    );
  }
}

describe.each([
  ['pglite', RUNS],
  ['postgres', POSTGRES_RUNS],
] as const)('every mutation over HTTP, fuzzed (%s)', (database, numRuns) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(database);
  }, 120_000);
  afterAll(() => target?.t.close());

  it('generates cases for every mutation of the schema', () => {
    const mutations = rootFields(schema, ['mutation']).map((r) => r.name);
    const sample = fc.sample(fuzzCases(schema, target.known), { seed: SEED, numRuns: 2_000 });
    expect(new Set(sample.map((c) => c.mutation))).toEqual(new Set(mutations));
  });

  it('replays the kept regression cases first', async () => {
    for (const { note, case: c } of kept()) {
      await checkCase(target, c).catch((error: Error) => {
        throw new Error(`kept case (${note}) fails again: ${error.message}\n${JSON.stringify(c).slice(0, 2_000)}`);
      });
    }
  });

  it(`answers ${numRuns} generated requests without a 5xx, a hang, an unexplained refusal or a refused write`, async () => {
    await fuzz(target, numRuns, database);
  }, 600_000);
});
