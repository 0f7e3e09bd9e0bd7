// The embeddable widgets and the demo page. `/widgets/pulso.js` (the three elements) and the
// per-element entries `/widgets/pulso-rating.js`, `pulso-gauge.js` and `pulso-at-risk.js` are
// built by packages/widgets (`generate`) with the chunks they import, all served with CORS so
// that any site can load them, compressed as each client accepts (compressed-file.ts);
// `/` is a demo on the demo workspace: a mock product page with the rating widget beside a mock
// internal portal with a gauge and the at-risk list, so that a rating visibly moves the gauge.
// The page is what a customer's own backend would render: it signs a customer token and view
// tokens with the workspace's token signing secret and never puts a secret key in the page.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { issueApiKey } from '@pulso/api-keys';
import type { PrismaClient } from '@pulso/database';
import { DEMO_WORKSPACE_SLUG } from '@pulso/demo-data';
import { signCustomerToken, signViewToken } from '@pulso/tokens';
import { type CompressedFile, compressFile, sendFile } from './compressed-file.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database-outage.ts';

// Found through the package, not a relative path: the same line works from the sources and from
// the compiled server (apps/server/dist), which sit at different depths.
const DIST = pathToFileURL(
  `${dirname(createRequire(import.meta.url).resolve('@pulso/widgets/custom-elements.json'))}/`,
);
/** The entries and the chunks they import (shared code, messages, code loaded on demand): pulso-<name>-<hash>.js. */
const SCRIPT_PATH = /^\/widgets\/(pulso(?:-[\w-]+)?\.js)$/;
/** The scripts pages name: their URL stays, their content changes with each release. */
const ENTRIES = new Set(['pulso.js', 'pulso-rating.js', 'pulso-gauge.js', 'pulso-at-risk.js']);
const DEMO_KEY_NAME = 'Demo page';

/** Five minutes fresh, then revalidated with the ETag: a new bundle reaches pages quickly. */
const BUNDLE_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
/** A chunk's name carries a hash of its content: the same URL never serves other bytes. */
const CHUNK_CACHE = 'public, max-age=31536000, immutable';

export interface WidgetsRoute {
  /** Answers the request when it is for the widgets or the demo page; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export interface WidgetsRouteOptions {
  /** Hears what went wrong (for the log); the answer itself says nothing about it. */
  onError?: (error: unknown) => void;
  /** Shown at `/` when the instance has no workspace at all: how to create one. */
  createWorkspaceCommand?: string;
}

export function createWidgetsRoute(
  prisma: PrismaClient,
  {
    onError = () => {},
    createWorkspaceCommand = 'npm run pulso -- workspace create --name "Your company"',
  }: WidgetsRouteOptions = {},
): WidgetsRoute {
  const scripts = new Map<string, Promise<CompressedFile | null>>();
  const loadScript = (name: string) => {
    let script = scripts.get(name);
    if (!script) {
      script = readFile(new URL(name, DIST)).then(compressFile, () => {
        scripts.delete(name);
        return null;
      });
      scripts.set(name, script);
    }
    return script;
  };

  // One publishable key for the demo page per server process; the previous process's is revoked.
  let demoKey: Promise<string> | undefined;
  const demoPublishableKey = (workspaceId: string) =>
    (demoKey ??= (async () => {
      const issued = issueApiKey('PUBLISHABLE');
      await prisma.apiKey.updateMany({
        where: { workspaceId, name: DEMO_KEY_NAME, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await prisma.apiKey.create({
        data: { workspaceId, kind: 'PUBLISHABLE', name: DEMO_KEY_NAME, prefix: issued.prefix, hash: issued.hash },
      });
      return issued.key;
    })().catch((error: unknown) => {
      demoKey = undefined;
      throw error;
    }));

  async function serveScript(req: IncomingMessage, res: ServerResponse, name: string) {
    const loaded = await loadScript(name);
    const cors = {
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      vary: 'accept-encoding',
    };
    if (!loaded) {
      res.writeHead(404, { ...cors, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('The widgets bundle is not built: run `npm start` (or `pnpm -r run generate`).\n');
      return;
    }
    sendFile(req, res, loaded, {
      ...cors,
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': ENTRIES.has(name) ? BUNDLE_CACHE : CHUNK_CACHE,
      'x-content-type-options': 'nosniff',
    });
  }

  async function serveDemo(req: IncomingMessage, res: ServerResponse) {
    const workspace = await prisma.workspace.findUnique({
      where: { slug: DEMO_WORKSPACE_SLUG },
      select: { id: true, tokenSigningSecret: true },
    });
    if (!workspace) {
      // A fresh instance without the demo: the page a newcomer opens says how to begin.
      if ((await prisma.workspace.count()) === 0) {
        res
          .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
          .end(
            `Pulso is running, with no workspace yet. Create your company's workspace and its keys with:\n\n  ${createWorkspaceCommand}\n\n(This page shows the widgets on the demo workspace, which PULSO_SEED_DEMO=true seeds on an empty database.)\n`,
          );
        return;
      }
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        .end(
          'No demo workspace: this page shows the widgets on the demo workspace only (see packages/widgets/README.md to embed them).\n',
        );
      return;
    }
    const asked = new URL(req.url ?? '/', 'http://pulso.local').searchParams.get('customer');
    const customer =
      (asked
        ? await prisma.customer.findUnique({
            where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: asked } },
            select: { externalId: true, name: true },
          })
        : null) ??
      // By default a customer on the edge of the at-risk band: one "I wasted my time" visibly moves
      // the gauge, often across the band line (an at-risk customer may already be at the floor).
      (await prisma.customer.findFirst({
        where: { workspaceId: workspace.id, band: 'NEEDS_ATTENTION', churnedAt: null },
        orderBy: [{ score: 'asc' }, { id: 'asc' }],
        select: { externalId: true, name: true },
      })) ??
      (await prisma.customer.findFirst({
        where: { workspaceId: workspace.id, churnedAt: null },
        orderBy: { id: 'asc' },
        select: { externalId: true, name: true },
      }));
    if (!customer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The demo workspace has no customer.\n');
      return;
    }
    const secret = workspace.tokenSigningSecret;
    const [publishableKey, customerToken, gaugeToken, listToken] = await Promise.all([
      demoPublishableKey(workspace.id),
      signCustomerToken({ secret, externalId: customer.externalId }),
      signViewToken({
        secret,
        workspaceId: workspace.id,
        grant: { kind: 'customer', externalId: customer.externalId },
      }),
      signViewToken({ secret, workspaceId: workspace.id, grant: { kind: 'at_risk' } }),
    ]);
    const html = demoPage({ customer, publishableKey, customerToken, gaugeToken, listToken });
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The demo holds itself to what it asks of embedding sites: no inline script or style.
      'content-security-policy':
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; require-trusted-types-for 'script'; trusted-types pulso; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  function serveAsset(res: ServerResponse, type: string, body: string) {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache' }).end(body);
  }

  return {
    handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      // A database error's message names files, SQL and the database: it goes to the log only.
      const fail = (error: unknown) => {
        onError(error);
        const unavailable = isDatabaseUnavailable(error);
        if (!res.headersSent)
          res.writeHead(unavailable ? 503 : 500, {
            'content-type': 'text/plain; charset=utf-8',
            'cache-control': 'no-store',
            ...(unavailable ? { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } : {}),
          });
        res.end(
          unavailable
            ? 'The database cannot be reached right now: try again in a few seconds.\n'
            : 'Internal error: see the server log.\n',
        );
      };
      const script = SCRIPT_PATH.exec(path)?.[1];
      if (script) void serveScript(req, res, script).catch(fail);
      else if (path === '/') void serveDemo(req, res).catch(fail);
      else if (path === '/widgets/demo.css') serveAsset(res, 'text/css', DEMO_CSS);
      else if (path === '/widgets/demo.js') serveAsset(res, 'text/javascript', DEMO_JS);
      else return false;
      return true;
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function demoPage(p: {
  customer: { externalId: string; name: string };
  publishableKey: string;
  customerToken: string;
  gaugeToken: string;
  listToken: string;
}): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pulso widgets demo</title>
<link rel="stylesheet" href="/widgets/demo.css">
<script type="module" src="/widgets/pulso-rating.js"></script>
<script type="module" src="/widgets/pulso-gauge.js"></script>
<script type="module" src="/widgets/pulso-at-risk.js"></script>
<script type="module" src="/widgets/demo.js"></script>
</head>
<body>
<header><strong>Pulso</strong> widgets on the demo workspace. The customer below is <em>${e(p.customer.name)}</em> (${e(p.customer.externalId)}); pick another in the at-risk list.</header>
<main>
<section class="product" aria-labelledby="product-title">
  <p class="tag">A product page (public: publishable key + customer token)</p>
  <h1 id="product-title">How to export your monthly report</h1>
  <p>Open <b>Reports</b>, choose the month, then <b>Export</b>. The file arrives by email within a minute.</p>
  <pulso-rating variant="three-levels" comment stage="LEARNING" ask-again-days="0"
    customer="${e(p.customer.externalId)}" customer-token="${e(p.customerToken)}" api-key="${e(p.publishableKey)}"></pulso-rating>
</section>
<section class="portal" aria-labelledby="portal-title">
  <p class="tag">An internal portal (view tokens from the portal's backend)</p>
  <h2 id="portal-title">${e(p.customer.name)}</h2>
  <pulso-gauge customer="${e(p.customer.externalId)}" token="${e(p.gaugeToken)}"></pulso-gauge>
  <pulso-at-risk token="${e(p.listToken)}" page-size="5"></pulso-at-risk>
</section>
</main>
</body>
</html>
`;
}

// The page offers both schemes: the widgets follow its color-scheme (light-dark()), not the system's.
// Two columns from 688 px whatever the page holds at the time: with auto-fit, a layout made while the
// portal was not yet in the page (a shift seen once in 18 loads under 4x CPU throttling) put the
// product page full width, and the portal's arrival moved it: a shift not of the widgets' making.
const DEMO_CSS = `:root { color-scheme: light dark; }
body { font-family: system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1f2328; }
header { padding: 12px 24px; background: #ffffff; border-bottom: 1px solid #d1d9e0; }
main { display: grid; gap: 24px; padding: 24px; }
@media (min-width: 688px) { main { grid-template-columns: 1fr 1fr; } }
section { background: #ffffff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 16px 24px; }
.tag { color: #59636e; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
pulso-gauge { margin: 8px auto 24px; display: block; }
@media (prefers-color-scheme: dark) {
  body { background: #010409; color: #f0f6fc; }
  header, section { background: #0d1117; border-color: #3d444d; }
}
`;

const DEMO_JS = `// Picking a customer in the at-risk list shows that customer: the page signs its tokens.
document.addEventListener('pulso-select', (event) => {
  const url = new URL(location.href);
  url.searchParams.set('customer', event.detail.externalId);
  location.assign(url);
});
`;
