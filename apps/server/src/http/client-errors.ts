// Requests Node's HTTP parser refuses before Pulso sees them: headers (the URL included) beyond
// Node's limit, a malformed request, a request that took too long to arrive. Node's own answer
// writes the status and destroys the socket in the same breath: bytes of the request still on
// their way then make the kernel reset the connection, and a client that has not read the status
// yet reads ECONNRESET instead (the mutation fuzz met it once under load; the test reproduces it
// with a client that goes on sending). Here the status is written, the socket half-closed once it
// is flushed, and what the client still sends is read and dropped for at most LINGER_MS. The
// statuses are Node's own.
import type { Duplex } from 'node:stream';

/** How long a refused client may go on sending before its connection is cut. */
const LINGER_MS = 2_000;

const answered = new WeakSet<Duplex>();

function statusLine(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return '413 Payload Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/** The server's `clientError` handler. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  // A connection the client reset, or one whose current response has begun, cannot take a status
  // line. A keep-alive connection that answered earlier requests can: Node answers it too.
  const current = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${statusLine(error.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // Node's parser no longer reads this socket: drop what still arrives, then let it go.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.on('error', () => {});
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
