// The browser tests' Pulso: a real server (PGlite in memory, the demo workspace) on a free port,
// and a second server on another origin that serves a plain page with a strict
// Content-Security-Policy and Trusted Types, loading only the widgets' script tag.
//
// Started on first use (the pulsoFixture command, which test/fixture.ts calls before each file),
// not by the global setup itself: Vitest starts no test file of any project until every global
// setup has returned, and importing the server and seeding the demo here held the whole suite's
// first seconds. The global setup only leaves the starter where the commands find it.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { PulsoServer } from '@pulso/server';
import { signCustomerToken, signViewToken } from '@pulso/tokens';
import { type PulsoFixture, setFixtureStarter, setSpareServer, setTestSigner } from './commands.ts';

export default function setup() {
  let started: Promise<{ fixture: PulsoFixture; stop(): Promise<void> }> | undefined;
  setFixtureStarter(async () => (await (started ??= startFixture())).fixture);
  return async () => {
    setFixtureStarter(undefined);
    // A start that failed has nothing to stop (its error reached every test file).
    const running = await started?.catch(() => undefined);
    await running?.stop();
  };
}

async function startFixture(): Promise<{ fixture: PulsoFixture; stop(): Promise<void> }> {
  const [{ createLogger, createPulsoServer }, { createTestServer }] = await Promise.all([
    import('@pulso/server'),
    import('@pulso/server/testing'),
  ]);
  const test = await createTestServer({ workspace: 'demo', demoCustomers: 30 });
  const url = await test.server.listen(0, '127.0.0.1');
  const prisma = test.database.prisma;
  const { tokenSigningSecret } = await prisma.workspace.findUniqueOrThrow({
    where: { id: test.workspaceId },
    select: { tokenSigningSecret: true },
  });
  const customers = await prisma.customer.findMany({
    where: { workspaceId: test.workspaceId },
    orderBy: [{ score: 'asc' }, { id: 'asc' }],
    select: { id: true, externalId: true, name: true, score: true, band: true },
  });

  const target = customers.at(-1)!;
  // Lit's browser build, as a page that uses Lit loads it (the `node` export condition would give its SSR build).
  const litHtml = dirname(createRequire(createRequire(import.meta.url).resolve('lit')).resolve('lit-html'));
  const pageLit = readFileSync(join(litHtml.replace(/\/node$/, ''), 'lit-html.js'), 'utf8');
  const page = cspPage({
    pulso: url,
    customer: target.externalId,
    publishableKey: test.publishableKey,
    customerToken: await signCustomerToken({ secret: tokenSigningSecret, externalId: target.externalId }),
    gaugeToken: await signViewToken({
      secret: tokenSigningSecret,
      workspaceId: test.workspaceId,
      grant: { kind: 'customer', externalId: target.externalId },
      expiresInSeconds: 3600,
    }),
    listToken: await signViewToken({
      secret: tokenSigningSecret,
      workspaceId: test.workspaceId,
      grant: { kind: 'at_risk' },
      expiresInSeconds: 3600,
    }),
  });
  /** The site's policy: scripts from Pulso only (unless told), requests to Pulso, Trusted Types enforced. */
  const strictCsp = (scripts = url, policies = 'pulso') =>
    `default-src 'none'; script-src ${scripts}; connect-src ${url}; style-src 'self'; require-trusted-types-for 'script'; trusted-types ${policies}`;
  const site: Server = createServer((req, res) => {
    if (req.url === '/lit-html.js') {
      // The page's own Lit (a Lit design system, a Lit app): Lit's template library as published.
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(pageLit);
      return;
    }
    if (req.url === '/blank-with-lit') {
      // A blank page of a site whose own code uses Lit: its CSP allows Lit's policy beside the widgets'.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': strictCsp(`'self' ${url}`, 'pulso lit-html'),
      });
      res.end(BLANK_PAGE);
      return;
    }
    if (req.url === '/blank') {
      // A page of the site with nothing on it yet: the bundle test loads one script into it.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': strictCsp(),
      });
      res.end(BLANK_PAGE);
      return;
    }
    if (req.url?.startsWith('/framed')) {
      // The portal in a sandboxed frame (scripts only: an opaque origin, without storage or Web Locks),
      // as some sites embed what they did not write.
      const portal = `/portal${new URL(req.url, 'http://site').search}`;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; frame-src 'self'",
      });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framed</title></head><body><iframe sandbox="allow-scripts" src="${portal.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}" width="800" height="600"></iframe></body></html>`,
      );
      return;
    }
    if (req.url?.startsWith('/portal')) {
      // A portal page as its backend renders it (view tokens signed per page): for the tabs tests.
      const customer = new URL(req.url, 'http://site').searchParams.get('customer') ?? target.externalId;
      void portalPage(url, customer, (grant) =>
        signViewToken({ secret: tokenSigningSecret, workspaceId: test.workspaceId, grant }),
      ).then((html) => {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': strictCsp(),
        });
        res.end(html);
      });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': strictCsp(),
    });
    res.end(page);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const cspPageUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;

  const probe = async (token: string, query: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    return response.ok && !body.errors?.length;
  };
  const first = customers[0]!;
  const viewTokens = {
    customer: await probe(
      await signViewToken({
        secret: tokenSigningSecret,
        workspaceId: test.workspaceId,
        grant: { kind: 'customer', externalId: first.externalId },
      }),
      `{ customer(externalId: ${JSON.stringify(first.externalId)}) { id } }`,
    ),
    atRisk: await probe(
      await signViewToken({ secret: tokenSigningSecret, workspaceId: test.workspaceId, grant: { kind: 'at_risk' } }),
      '{ atRiskCustomers(first: 1) { score } }',
    ),
  };
  // Portal widgets must work with view tokens, never a secret key: fail at once if the server
  // stops accepting them for what the widgets read.
  if (!viewTokens.customer || !viewTokens.atRisk) {
    throw new Error(
      `the server refuses view tokens for ${[!viewTokens.customer && 'customer', !viewTokens.atRisk && 'atRiskCustomers'].filter(Boolean).join(' and ')}`,
    );
  }

  setTestSigner({
    sign: (grant, expiresInSeconds, issuedSecondsAgo = 0) => {
      const now = new Date(Date.now() - issuedSecondsAgo * 1000);
      return grant.kind === 'rate'
        ? signCustomerToken({ secret: tokenSigningSecret, externalId: grant.externalId, expiresInSeconds, now })
        : signViewToken({ secret: tokenSigningSecret, workspaceId: test.workspaceId, grant, expiresInSeconds, now });
    },
  });

  // Spare servers by name (a restart test's, one test file's own): the same database (as a
  // restarted process finds it) and live events, a port of their own.
  const spares = new Map<string, { server?: PulsoServer; port: number }>();
  const stopSpare = async (name: string) => {
    const spare = spares.get(name);
    await spare?.server?.close(0);
    if (spare) spare.server = undefined;
  };
  setSpareServer({
    async start(name) {
      const spare = spares.get(name) ?? { port: 0 };
      spares.set(name, spare);
      // The same live event bus too, as instances sharing a Redis do: a change written through the
      // main server reaches the spare's streams.
      spare.server ??= createPulsoServer({
        database: test.database,
        live: test.server.live,
        logger: createLogger('silent'),
      });
      const origin = spare.server.http.listening
        ? `http://127.0.0.1:${(spare.server.http.address() as AddressInfo).port}`
        : await spare.server.listen(spare.port, '127.0.0.1');
      spare.port = Number(new URL(origin).port);
      return origin;
    },
    stop: stopSpare,
  });

  const fixture: PulsoFixture = {
    url,
    secretKey: test.secretKey,
    publishableKey: test.publishableKey,
    workspaceId: test.workspaceId,
    customers,
    cspPageUrl,
    viewTokens,
  };

  const stop = async () => {
    setTestSigner(undefined);
    setSpareServer(undefined);
    for (const name of spares.keys()) await stopSpare(name);
    await new Promise<void>((resolve) => site.close(() => resolve()));
    await test.server.close(2_000);
    await test.close();
  };
  return { fixture, stop };
}

/** A page of the site with nothing on it yet: tests load scripts into it. */
const BLANK_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>';

function cspPage(p: {
  pulso: string;
  customer: string;
  publishableKey: string;
  customerToken: string;
  gaugeToken: string;
  listToken: string;
}) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title>
<script type="module" src="${p.pulso}/widgets/pulso-rating.js"></script>
<script type="module" src="${p.pulso}/widgets/pulso-gauge.js"></script>
<script type="module" src="${p.pulso}/widgets/pulso-at-risk.js"></script></head>
<body>
<pulso-rating customer="${p.customer}" customer-token="${p.customerToken}" api-key="${p.publishableKey}" ask-again-days="0"></pulso-rating>
<pulso-gauge customer="${p.customer}" token="${p.gaugeToken}"></pulso-gauge>
<pulso-at-risk token="${p.listToken}" page-size="3"></pulso-at-risk>
</body></html>`;
}

/** An internal portal's page: a customer's gauge and the at-risk list, with fresh view tokens. */
async function portalPage(
  pulso: string,
  customer: string,
  sign: (grant: { kind: 'customer'; externalId: string } | { kind: 'at_risk' }) => Promise<string>,
): Promise<string> {
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<script type="module" src="${pulso}/widgets/pulso-gauge.js"></script>
<script type="module" src="${pulso}/widgets/pulso-at-risk.js"></script></head>
<body>
<pulso-gauge customer="${attribute(customer)}" token="${await sign({ kind: 'customer', externalId: customer })}"></pulso-gauge>
<pulso-at-risk token="${await sign({ kind: 'at_risk' })}" page-size="3"></pulso-at-risk>
</body></html>`;
}
