// Small HTTP pieces of the class server: plain replies with a status, and a request body read under a size and time limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** An HTTP error the server answers with: status, one line saying what was wrong, and extra headers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Sends a JSON reply; errors close the connection so a half-read request cannot linger. */
export function reply(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  const close = status >= 400 ? { connection: 'close' } : {};
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...close, ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * Makes the socket close, once its reply is sent, the way the client can still read that reply.
 * A reply that comes before the body has all arrived (413, 429…) leaves bytes unread; closing then makes the kernel
 * send RST, and the client sees ECONNRESET instead of the answer. So: send FIN, let Node's parser go on reading and
 * dropping what the client still sends, and close when the client has closed its side, or after `ms`.
 * Node calls `destroySoon` after a `connection: close` reply; this replaces it on this one socket.
 */
export function lingerOnClose(socket: Socket, ms: number): void {
  socket.destroySoon = () => {
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end();
  };
}

/** Reads the whole body: 413 beyond maxBytes, 408 when it has not all arrived within timeoutMs. */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: HttpError) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.pause();
      reject(err);
    };
    const timer = setTimeout(() => fail(new HttpError(408, `the body did not arrive within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return fail(new HttpError(413, `body is over the limit of ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    req.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.once('error', () => fail(new HttpError(400, 'the request was cut off')));
  });
}

/** The client's address (the socket's; proxies are not trusted). */
export function clientOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
