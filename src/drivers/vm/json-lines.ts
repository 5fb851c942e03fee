// JSON-lines framing over a unix socket, shared by the QMP client and the guest agent client.
import { createConnection, type Socket } from 'node:net';

/** Calls onMessage for each JSON line received on `sock` (lines that are not JSON are ignored). */
export function onJsonLines(sock: Socket, onMessage: (msg: Record<string, unknown>) => void): void {
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg && typeof msg === 'object') onMessage(msg as Record<string, unknown>);
    }
  });
}

/** Connects to a unix socket, retrying until it exists or the deadline passes (QEMU creates it at startup). */
export async function connectUnix(path: string, deadlineMs: number, giveUp: () => string | undefined): Promise<Socket> {
  const until = performance.now() + deadlineMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = createConnection(path);
        s.once('connect', () => {
          s.off('error', reject);
          resolve(s);
        });
        s.once('error', reject);
      });
    } catch (err) {
      const reason = giveUp();
      if (reason) throw new Error(reason);
      if (performance.now() > until) throw new Error(`no socket at ${path} after ${deadlineMs} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
