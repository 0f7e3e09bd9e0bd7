// Live responses (Server-Sent Events, Apollo's multipart subscriptions, @defer/@stream's multipart)
// must reach the client as each part is written. A proxy in front of Pulso may hold a response back
// to buffer or compress it: nginx buffers proxied responses by default (`proxy_buffering on`), so a
// live widget behind it saw its events only once kilobytes of them had piled up, minutes late.
// `X-Accel-Buffering: no` turns nginx's buffering off for these responses alone, with no change to
// its configuration; `no-transform` asks any proxy not to rewrite (compress) them.
import type { Plugin } from 'graphql-yoga';

const STREAMING = /^\s*(text\/event-stream|multipart\/mixed)/i;

export function useStreamingResponses(): Plugin {
  return {
    onResponse({ response }) {
      if (!STREAMING.test(response.headers.get('content-type') ?? '')) return;
      response.headers.set('x-accel-buffering', 'no');
      const cacheControl = response.headers.get('cache-control');
      response.headers.set('cache-control', cacheControl ? `${cacheControl}, no-transform` : 'no-cache, no-transform');
    },
  };
}
