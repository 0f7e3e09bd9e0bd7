// The floor of the dashboard benchmark: one hand-written SQL statement that builds the whole JSON
// answer in PostgreSQL (the page of at-risk customers, each with its last 5 interactions through a
// LATERAL subquery), behind a bare node:http handler. No GraphQL, no checks: nothing is faster.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { announce } from './items.ts';

const connectionString = process.env.BENCH_DATABASE_URL;
const workspaceId = process.env.BENCH_WORKSPACE_ID;
if (!connectionString || !workspaceId) throw new Error('BENCH_DATABASE_URL and BENCH_WORKSPACE_ID are required');
const pool = new pg.Pool({ connectionString, max: 10 });

const PAGE = `
  SELECT json_build_object('data', json_build_object('atRisk', coalesce(json_agg(page), '[]'::json)))::text AS body
  FROM (
    SELECT c."id", c."externalId", c."name", c."segment", c."score", c."band", c."scoreChange30d", c."scoreBreakdown",
           (SELECT coalesce(json_agg(i), '[]'::json) FROM (
              SELECT i."id", i."occurredAt", i."sentiment", i."value", i."comment", t."key" AS "typeKey", t."name" AS "typeName"
              FROM "Interaction" i JOIN "InteractionType" t ON t."id" = i."typeId"
              WHERE i."customerId" = c."id"
              ORDER BY i."occurredAt" DESC, i."id" DESC LIMIT 5) i) AS "interactions"
    FROM "Customer" c
    WHERE c."workspaceId" = $1 AND c."band" = 'AT_RISK'
    ORDER BY c."score" ASC, c."scoreChange30d" ASC NULLS LAST, c."id" ASC
    LIMIT $2) page`;

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const first = Number((JSON.parse(body || '{}') as { variables?: { first?: number } }).variables?.first ?? 10);
    pool.query<{ body: string }>({ name: 'at-risk-page', text: PAGE, values: [workspaceId, first] }).then(
      ({ rows }) => res.writeHead(200, { 'content-type': 'application/json' }).end(rows[0]!.body),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
    );
  });
});
server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
