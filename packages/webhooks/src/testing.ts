// A real webhook receiver for tests: an HTTP server on loopback that records every request and
// answers as the test decides (a status code, or a promise that never settles to time out).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrismaClient } from '@pulso/database';
import { Webhook } from 'standardwebhooks';
import { WebhookWorker, type WebhookWorkerOptions } from './worker.ts';

export interface ReceivedWebhook {
  /** The webhook-id header. */
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload: any;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** The status answered, once answered (undefined while held or if the connection was cut). */
  answered?: number;
}

export type Responder = (request: ReceivedWebhook) => number | Promise<number>;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Changes how later requests are answered. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(responder: Responder = () => 200): Promise<WebhookReceiver> {
  let respond = responder;
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedWebhook = {
        id: String(req.headers['webhook-id']),
        headers: req.headers,
        body,
        payload: JSON.parse(body),
        receivedAt: Date.now(),
      };
      received.push(request);
      void Promise.resolve(respond(request)).then((status) => {
        if (res.destroyed) return;
        request.answered = status;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    respond: (next) => {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The real delivery worker for tests with a receiver from startWebhookReceiver (not started): it
 * may reach loopback, which production refuses by default, polls every 50 ms, gives up on an
 * attempt after 2 s, and retries a failure only after a minute unless told otherwise, so a test
 * reads a failed attempt before the next one comes.
 */
export function loopbackWorker(prisma: PrismaClient, options: WebhookWorkerOptions = {}): WebhookWorker {
  return new WebhookWorker(prisma, {
    pollIntervalMs: 50,
    timeoutMs: 2_000,
    retry: { baseMs: 60_000 },
    addresses: { allowPrivateAddresses: true },
    ...options,
  });
}

/**
 * Verifies a received request as a receiver would, with the standardwebhooks library (signature
 * and a timestamp within 5 minutes); returns the parsed payload, throws when it does not verify.
 */
export function verifyWebhook(secret: string, request: Pick<ReceivedWebhook, 'body' | 'headers'>): unknown {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

/** Polls `check` until it returns something truthy (a row, a count reached), or fails naming `what`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
