// One delivery attempt: the event's payload POSTed with the Standard Webhooks headers, signed with
// the `standardwebhooks` reference library (the same code receivers verify with, so Pulso cannot
// drift from the spec's signing string or encoding). A 2xx answer within the timeout acknowledges
// it; anything else (another status, a redirect, a timeout, a refused connection) is a failure to
// retry, except a URL no attempt can send (one with credentials), which is given up at once.
// Connections follow the address policy (address-policy.ts): undici's fetch, because its
// dispatcher takes the `lookup` that checks each address connected to (Node's global fetch has no
// such hook), from the same undici release as the dispatcher.
import { Webhook } from 'standardwebhooks';
import { Agent, fetch, type Response } from 'undici';
import { guardedLookup, PUBLIC_ONLY, refusedLiteral, type AddressPolicy } from './address-policy.ts';

export interface SendResult {
  ok: boolean;
  /** The HTTP status, when the endpoint answered. */
  statusCode: number | null;
  /** Why it failed, in a few words; null when acknowledged. */
  error: string | null;
  /** No retry can succeed until the endpoint is changed: the event is given up at once. */
  permanent?: boolean;
}

export interface OutgoingWebhook {
  url: string;
  secret: string;
  messageId: string;
  payload: unknown;
}

export const USER_AGENT = 'Pulso-Webhooks/1';

/** The headers of one attempt: a fresh timestamp each time, so receivers can refuse old replays. */
export function signedHeaders(
  secret: string,
  messageId: string,
  body: string,
  at: Date = new Date(),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

const publicOnly = new Agent({ connect: { lookup: guardedLookup(PUBLIC_ONLY) } });
const anyAddress = new Agent();

export async function sendWebhook(
  message: OutgoingWebhook,
  timeoutMs: number,
  policy: AddressPolicy = PUBLIC_ONLY,
): Promise<SendResult> {
  const url = new URL(message.url);
  // Refused at registration since; an endpoint stored before keeps failing until its URL is changed.
  if (url.username || url.password)
    return {
      ok: false,
      statusCode: null,
      error:
        'the endpoint URL includes credentials (user:password@), which cannot be sent: change its URL to one without them (verify the signature instead), then redeliver',
      permanent: true,
    };
  const refused = refusedLiteral(url, policy);
  if (refused) return { ok: false, statusCode: null, error: `refused: ${refused}` };
  const body = JSON.stringify(message.payload);
  let response: Response;
  try {
    response = await fetch(message.url, {
      dispatcher: policy.allowPrivateAddresses ? anyAddress : publicOnly,
      method: 'POST',
      headers: signedHeaders(message.secret, message.messageId, body),
      body,
      // A redirect is not an acknowledgement: the endpoint's URL should be updated instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
  // The body is not read: only the status matters, and a large one must not hold the worker.
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
  return {
    ok: false,
    statusCode: response.status,
    error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
  };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = err.cause;
  if (cause?.code === 'PULSO_REFUSED_ADDRESS') return `refused: ${cause.message}`;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`.slice(0, 500);
  return (err.message || String(error)).slice(0, 500);
}
