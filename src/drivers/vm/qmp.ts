// A minimal QMP client: one connection per command (greeting, qmp_capabilities, the command).
import { connectUnix, onJsonLines } from './json-lines.js';

/**
 * Sends one QMP command and resolves with its `return`; rejects with QMP's error description or on
 * timeout. `quit` may close the socket before answering: a close after sending counts as done.
 */
export async function qmpCommand(socketPath: string, execute: string, timeoutMs: number): Promise<unknown> {
  const sock = await connectUnix(socketPath, Math.min(timeoutMs, 1_000), () => undefined);
  try {
    return await new Promise<unknown>((resolve, reject) => {
      let sent = false;
      const timer = setTimeout(() => reject(new Error(`QMP ${execute}: no answer within ${timeoutMs} ms`)), timeoutMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      sock.on('error', (err) => done(() => reject(new Error(`QMP ${execute}: ${err.message}`))));
      sock.on('close', () => done(() => (sent ? resolve(undefined) : reject(new Error(`QMP ${execute}: connection closed`)))));
      onJsonLines(sock, (msg) => {
        if ('QMP' in msg) return void sock.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
        if ('error' in msg) {
          const desc = (msg.error as { desc?: string }).desc ?? JSON.stringify(msg.error);
          return done(() => reject(new Error(`QMP ${sent ? execute : 'qmp_capabilities'}: ${desc}`)));
        }
        if (!('return' in msg)) return; // an event
        if (!sent) {
          sent = true;
          return void sock.write(`${JSON.stringify({ execute })}\n`);
        }
        done(() => resolve(msg.return));
      });
    });
  } finally {
    sock.destroy();
  }
}
