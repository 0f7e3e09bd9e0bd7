// GraphiQL served by Pulso itself: yoga's default page loads its script, style and editor
// workers from unpkg.com, which leaves a blank "Loading…" page without internet access and nothing
// at all under a strict Content-Security-Policy. @graphql-yoga/render-graphiql carries the same
// GraphiQL build as strings (so it is bundled with the server: no package folder read at run time),
// imported on the first request for one (9 MB of text a start need not parse: the production build
// keeps it in a chunk of its own); they are served here as files under /graphiql/, and the page at
// /graphql (rendered through yoga's `renderGraphiQL` option) has no inline script and names no
// other origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';
import { type CompressedFile, compressFile, sendFile } from './compressed-file.ts';
import { QUICK_COMPRESSION } from './content-coding.ts';

export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

/**
 * The page's policy: the widgets' demo page's, plus what GraphiQL's editor (Monaco) needs: its
 * workers from this server, and inline styles, which Monaco writes into the page as it lays out.
 */
export const GRAPHIQL_CSP =
  "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Run before the GraphiQL bundle: Monaco asks MonacoEnvironment for its workers' addresses
// (served here rather than built into blob: URLs as yoga's page does). After it, GraphiQL is
// rendered with the options the page carries in a JSON block (data, never run as script).
const SETUP = `self.MonacoEnvironment={globalAPI:false,getWorkerUrl:function(_,label){return ${JSON.stringify(GRAPHIQL_ASSETS_PATH)}+({editorWorkerService:'editor.worker.js',json:'json.worker.js',graphql:'graphql.worker.js'})[label];}};\n`;
const START = `;\nYogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'),JSON.parse(document.getElementById('graphiql-options').textContent));\n`;

interface Asset {
  type: string;
  file: CompressedFile;
}

/** An asset by its name, compressed once (quickly: GraphiQL is large and asked for now and then). */
async function asset(name: string, type: string, body: string | Buffer): Promise<[string, Asset]> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return [name, { type, file: await compressFile(bytes, QUICK_COMPRESSION) }];
}

const ASSET_NAMES = new Set([
  'graphiql.js',
  'graphiql.css',
  'editor.worker.js',
  'json.worker.js',
  'graphql.worker.js',
  'favicon.ico',
]);

// Loaded and built on first request: servers without GraphiQL never parse the 9 MB.
let assets: Promise<Map<string, Asset>> | undefined;
function graphiqlAssets(): Promise<Map<string, Asset>> {
  assets ??= import('@graphql-yoga/render-graphiql/graphiql').then(
    async ({ css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker }) =>
      new Map(
        await Promise.all([
          asset('graphiql.js', 'text/javascript; charset=utf-8', SETUP + js + START),
          asset('graphiql.css', 'text/css; charset=utf-8', css),
          asset('editor.worker.js', 'text/javascript; charset=utf-8', editorWorkerService),
          asset('json.worker.js', 'text/javascript; charset=utf-8', jsonWorker),
          asset('graphql.worker.js', 'text/javascript; charset=utf-8', graphqlWorker),
          asset('favicon.ico', 'image/x-icon', Buffer.from(favicon.slice(favicon.indexOf(',') + 1), 'base64')),
        ]),
      ),
  );
  return assets;
}

/** The page at /graphql for a browser: yoga's `renderGraphiQL` option. */
export function renderGraphiQLPage(options: GraphiQLOptions & { endpoint?: string }): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  // Inside <script type="application/json">: only "</script" could end it early, and "<" is escaped.
  const data = JSON.stringify(options).replaceAll('<', '\\u003c');
  const at = GRAPHIQL_ASSETS_PATH;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${at}favicon.ico">
<link rel="stylesheet" href="${at}graphiql.css">
<script type="application/json" id="graphiql-options">${data}</script>
<script src="${at}graphiql.js" defer></script>
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
</body>
</html>
`;
}

/** Answers GET and HEAD for /graphiql/<asset>; false when the path is not one. */
export function serveGraphiQLAsset(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!path.startsWith(GRAPHIQL_ASSETS_PATH) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const name = path.slice(GRAPHIQL_ASSETS_PATH.length);
  if (!ASSET_NAMES.has(name)) return false;
  graphiqlAssets().then(
    (all) => {
      const found = all.get(name)!;
      // Revalidated with the ETag: a new release's GraphiQL reaches the browser at once.
      sendFile(req, res, found.file, { 'content-type': found.type, 'cache-control': 'no-cache' });
    },
    () => {
      assets = undefined;
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('GraphiQL could not be loaded.\n');
    },
  );
  return true;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
