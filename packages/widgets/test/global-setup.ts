// Starts a real Pulso server (PGlite in memory, the demo workspace) on a free port for the browser
// tests, and a second server on another origin that serves a plain page with a strict
// Content-Security-Policy and Trusted Types, loading only the widgets' script tag.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { createLogger, createPulsoServer, type PulsoServer } from '@pulso/server';
import { createTestServer } from '@pulso/server/testing';
import { signCustomerToken, signViewToken } from '@pulso/tokens';
import { setSpareServer, setTestSigner } from './commands.ts';

export interface PulsoFixture {
  /** The server's origin, e.g. http://127.0.0.1:43121. */
  url: string;
  secretKey: string;
  publishableKey: string;
  workspaceId: string;
  /** Demo customers, lowest score first. */
  customers: { id: string; externalId: string; name: string; score: number | null; band: string | null }[];
  /** The page on another origin with a strict CSP. */
  cspPageUrl: string;
  /**
   * Whether the server lets view tokens read \`customer\` and \`atRiskCustomers\` (the portal widgets'
   * credential). Until it does, the portal widgets' tests use the secret key instead.
   */
  viewTokens: { customer: boolean; atRisk: boolean };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pulso: PulsoFixture;
  }
}

export default async function setup(project: TestProject) {
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
  const site: Server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src ${url}; connect-src ${url}; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html`,
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
    sign: (grant, expiresInSeconds) =>
      grant.kind === 'rate'
        ? signCustomerToken({ secret: tokenSigningSecret, externalId: grant.externalId, expiresInSeconds })
        : signViewToken({ secret: tokenSigningSecret, workspaceId: test.workspaceId, grant, expiresInSeconds }),
  });

  // The restart tests' server: the same database (as a restarted process finds it), its own port.
  let spare: PulsoServer | undefined;
  let sparePort = 0;
  const stopSpare = async () => {
    await spare?.close(0);
    spare = undefined;
  };
  setSpareServer({
    async start() {
      spare ??= createPulsoServer({ database: test.database, logger: createLogger('silent') });
      const origin = spare.http.listening
        ? `http://127.0.0.1:${(spare.http.address() as AddressInfo).port}`
        : await spare.listen(sparePort, '127.0.0.1');
      sparePort = Number(new URL(origin).port);
      return origin;
    },
    stop: stopSpare,
  });

  project.provide('pulso', {
    url,
    secretKey: test.secretKey,
    publishableKey: test.publishableKey,
    workspaceId: test.workspaceId,
    customers,
    cspPageUrl,
    viewTokens,
  });

  return async () => {
    setTestSigner(undefined);
    setSpareServer(undefined);
    await stopSpare();
    await new Promise<void>((resolve) => site.close(() => resolve()));
    await test.server.close(2_000);
    await test.close();
  };
}

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
<script type="module" src="${p.pulso}/widgets/pulso.js"></script></head>
<body>
<pulso-rating customer="${p.customer}" customer-token="${p.customerToken}" api-key="${p.publishableKey}" ask-again-days="0"></pulso-rating>
<pulso-gauge customer="${p.customer}" token="${p.gaugeToken}"></pulso-gauge>
<pulso-at-risk token="${p.listToken}" page-size="3"></pulso-at-risk>
</body></html>`;
}
