// The floor of the GraphQL-overhead benchmark: node:http parsing the JSON request and writing the
// JSON answer, with no GraphQL at all.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, items } from './items.ts';

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const { query } = JSON.parse(body || '{}') as { query?: string };
    const data = query?.includes('benchItems') ? { benchItems: items() } : { __typename: 'Query' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
});
server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
