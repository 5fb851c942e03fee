// The live pages' event streams (SSE): capped in all and per address; each holds at most one unsent page, and one
// that has not taken what it was sent for too long is dropped, so a reader that never reads costs one page, not memory.
import type { ServerResponse } from 'node:http';
import { HttpError } from './http.js';

export interface StreamLimits {
  /** Open live pages at most, and per client address. */
  maxStreams: number;
  streamsPerAddress: number;
  /** A live page that has not taken what was sent to it for this long is dropped. */
  streamStallMs: number;
}

interface Stream {
  res: ServerResponse;
  client: string;
  /** A page was held back while it was stalled: send the newest once it drains. */
  owes: boolean;
  stalledSince?: number;
}

const PING = ': ping\n\n';

/** The open live pages: `open` answers an /events request, `send` gives every page the newest event. */
export function liveStreams(limits: StreamLimits, now: () => number = () => performance.now()) {
  const streams = new Set<Stream>();
  let latest = '';

  const push = (s: Stream, chunk: string) => {
    if (s.res.writableNeedDrain) {
      if (chunk !== PING) s.owes = true;
      if (now() - (s.stalledSince ?? now()) > limits.streamStallMs) s.res.destroy();
      return;
    }
    s.stalledSince = undefined;
    if (!s.res.write(chunk)) s.stalledSince = now();
  };

  return {
    /** Starts an event stream on res, with the newest event when the page has not seen it; 503 or 429 beyond the caps. */
    open(res: ServerResponse, client: string, behind: boolean): void {
      if (streams.size >= limits.maxStreams) throw new HttpError(503, 'too many open live pages', { 'retry-after': '10' });
      if ([...streams].filter((s) => s.client === client).length >= limits.streamsPerAddress) {
        throw new HttpError(429, `more than ${limits.streamsPerAddress} live pages from this address`, { 'retry-after': '10' });
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const s: Stream = { res, client, owes: false };
      streams.add(s);
      res.on('drain', () => {
        s.stalledSince = undefined;
        if (!s.owes) return;
        s.owes = false;
        push(s, latest);
      });
      res.once('close', () => streams.delete(s));
      push(s, 'retry: 2000\n\n');
      if (behind && latest) push(s, latest);
    },
    /** Sends an event to every live page (a stalled one gets it once it drains). */
    send(event: string): void {
      latest = event;
      for (const s of streams) push(s, event);
    },
    /** A comment line that keeps idle connections open, and finds the stalled ones. */
    ping(): void {
      for (const s of streams) push(s, PING);
    },
    /** Ends every stream. */
    close(): void {
      for (const s of streams) s.res.end();
      streams.clear();
    },
  };
}
