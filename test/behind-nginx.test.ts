// Pulso behind nginx as an operator first puts it there: a bare `proxy_pass`, nginx's defaults
// otherwise. nginx buffers a proxied response (`proxy_buffering on`) until kilobytes of it have come,
// so a live widget behind it saw its events minutes late; Pulso's streaming responses say
// `X-Accel-Buffering: no` (apps/server/src/plugins/streaming-responses.ts), which nginx obeys for
// that response alone. nginx is Debian's package (.ci/run installs it); the test fails without it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedPGliteFolder } from '@pulso/database/testing';
import { openEventStream } from '@pulso/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_SECRET_KEY, freePort, graphql, startServer, type ServerProcess } from './support/server-process.ts';

const NGINX = process.env.PULSO_NGINX ?? '/usr/sbin/nginx';
const dir = mkdtempSync(join(tmpdir(), 'pulso-nginx-'));
let server: ServerProcess;
let nginx: ChildProcess;
let proxied = '';

beforeAll(async () => {
  try {
    execFileSync(NGINX, ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error(`nginx is needed at ${NGINX} (apt-get install -y nginx, or set PULSO_NGINX)`);
  }
  await (await openMigratedPGliteFolder(join(dir, 'data'))).close();
  server = await startServer({
    PULSO_DATA_DIR: join(dir, 'data'),
    PORT: String(await freePort()),
    PULSO_DEMO_SECRET_KEY: DEMO_SECRET_KEY,
  });
  // nginx's workers may run as another user: its folders open to them.
  const run = join(dir, 'nginx');
  mkdirSync(run);
  chmodSync(run, 0o777);
  const port = await freePort();
  writeFileSync(
    join(run, 'nginx.conf'),
    `worker_processes 1;
error_log ${run}/error.log;
pid ${run}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${run}/body;
  proxy_temp_path ${run}/proxy;
  fastcgi_temp_path ${run}/fastcgi;
  uwsgi_temp_path ${run}/uwsgi;
  scgi_temp_path ${run}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass ${server.url}; }
  }
}
`,
  );
  nginx = spawn(NGINX, ['-p', run, '-c', join(run, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  proxied = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ready = await fetch(`${proxied}/livez`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i === 100) throw new Error(`nginx did not answer:\n${readFileSync(join(run, 'error.log'), 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  if (server && server.child.exitCode === null) await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('delivers a live event through nginx as it happens', async () => {
  const record = (value: number) =>
    graphql(
      proxied,
      'mutation ($input: RecordInteractionInput!) { recordInteraction(input: $input) { __typename } }',
      DEMO_SECRET_KEY,
      {
        input: {
          customer: { externalId: 'behind-nginx', name: 'Behind nginx' },
          type: 'nps',
          value,
          idempotencyKey: crypto.randomUUID(),
        },
      },
    );
  expect((await record(9)).status).toBe(200);
  // Buffered, not even the stream's headers would come: fail with that said, not at the test's timeout.
  const stream = await within(
    10_000,
    'the subscription was not answered through nginx within 10 s (buffered?)',
    openEventStream(
      `${proxied}/graphql`,
      'subscription ($c: String) { scoreChanged(externalId: $c) { score } }',
      { c: 'behind-nginx' },
      DEMO_SECRET_KEY,
    ),
  );
  try {
    expect(stream.status).toBe(200);
    expect((await record(0)).status).toBe(200);
    // Within seconds, not once nginx's buffer fills.
    const event = await stream.next(5_000);
    expect(event?.data?.scoreChanged?.score).toEqual(expect.any(Number));
  } finally {
    stream.close();
  }
}, 60_000);

function within<T>(ms: number, message: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
