// Host side of the guest agent protocol (see guest-agent.ts): exec and spawn of argv in the guest.
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { Background, ExecOptions, ExecResult } from '../types.js';
import { OutputWatch } from '../output-watch.js';
import { connectUnix, onJsonLines } from './json-lines.js';

/** What the agent says once it runs: guest uptimes (s) when init started and when the agent said hello. */
export interface Hello {
  initUptime: number;
  uptime: number;
  kernel: string;
}

interface Handler {
  out(fd: number, data: Buffer): void;
  exit(code: number, error?: string): void;
  lost(reason: string): void;
}

/** How long a killed command may take to report its exit before we stop waiting. */
const KILL_GRACE_MS = 5_000;

export class AgentClient {
  /** Resolves when the agent says hello (the guest is ready); rejects if the connection is lost first. */
  readonly hello: Promise<Hello>;
  private nextId = 1;
  private readonly handlers = new Map<number, Handler>();
  private lostReason: string | undefined;

  private constructor(private readonly sock: Socket) {
    let onHello!: (h: Hello) => void;
    let onLost!: (e: Error) => void;
    this.hello = new Promise<Hello>((resolve, reject) => {
      onHello = resolve;
      onLost = reject;
    });
    this.hello.catch(() => undefined);
    onJsonLines(sock, (m) => {
      if (m.ev === 'hello') return onHello(m as unknown as Hello);
      const h = this.handlers.get(Number(m.id));
      if (!h) return;
      if (m.ev === 'out') h.out(Number(m.fd), Buffer.from(String(m.data), 'base64'));
      if (m.ev === 'exit') {
        this.handlers.delete(Number(m.id));
        h.exit(Number(m.code), typeof m.error === 'string' ? m.error : undefined);
      }
    });
    const lose = (reason: string) => {
      this.lostReason ??= reason;
      onLost(new Error(reason));
      for (const h of this.handlers.values()) h.lost(reason);
      this.handlers.clear();
    };
    sock.on('error', (err) => lose(`guest agent connection failed: ${err.message}`));
    sock.on('close', () => lose('guest agent connection closed (the guest stopped or QEMU exited)'));
  }

  /** Connects to the agent's socket (QEMU's chardev), retrying while QEMU starts up. */
  static async connect(path: string, deadlineMs: number, giveUp: () => string | undefined): Promise<AgentClient> {
    return new AgentClient(await connectUnix(path, deadlineMs, giveUp));
  }

  /** Runs argv in the guest to completion; a non-zero exit is data, a lost guest throws. */
  exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const t0 = performance.now();
    const chunks: Record<number, Buffer[]> = { 1: [], 2: [] };
    let timedOut = false;
    return new Promise<ExecResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (exitCode: number, extraErr = '') => {
        clearTimeout(timer);
        resolve({
          exitCode,
          stdout: Buffer.concat(chunks[1]!).toString('utf8'),
          stderr: Buffer.concat(chunks[2]!).toString('utf8') + extraErr,
          durationMs: performance.now() - t0,
          timedOut,
        });
      };
      const id = this.request(argv, opts, {
        out: (fd, data) => chunks[fd]?.push(data),
        exit: (code, error) => finish(code, error ? `${error}\n` : ''),
        lost: (reason) => {
          clearTimeout(timer);
          reject(new Error(`${argv[0]}: ${reason}`));
        },
      });
      if (opts.timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true;
          this.kill(id);
          timer = setTimeout(() => finish(-1, 'killed after timeout; no exit reported\n'), KILL_GRACE_MS);
        }, opts.timeoutMs);
      }
    });
  }

  /** Starts argv in the guest and returns at once: waitFor a pattern in its output, stop it. */
  spawn(argv: string[], opts: ExecOptions = {}): Background {
    const decoders: Record<number, StringDecoder> = { 1: new StringDecoder('utf8'), 2: new StringDecoder('utf8') };
    const watch = new OutputWatch();
    let ended = false;
    const onEnd = new Set<() => void>();
    const end = (why: string) => {
      ended = true;
      watch.close(`${argv.join(' ')} ${why}`);
      for (const f of onEnd) f();
    };
    const id = this.request(argv, opts, {
      out: (fd, data) => watch.push(decoders[fd]?.write(data) ?? ''),
      exit: (code, error) => {
        if (error) watch.push(`${error}\n`);
        end(`exited with ${code}`);
      },
      lost: (reason) => end(reason),
    });
    return {
      waitFor: (pattern, timeoutMs) => watch.waitFor(pattern, timeoutMs),
      stop: async () => {
        if (ended) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, KILL_GRACE_MS);
          onEnd.add(() => {
            clearTimeout(timer);
            resolve();
          });
          this.kill(id);
        });
      },
    };
  }

  /** Closes the connection (the guest keeps running). */
  close(): void {
    this.sock.destroy();
  }

  private request(argv: string[], opts: ExecOptions, handler: Handler): number {
    if (argv.length === 0) throw new Error('guest exec: empty argv');
    const id = this.nextId++;
    if (this.lostReason) {
      const reason = this.lostReason;
      queueMicrotask(() => handler.lost(reason));
      return id;
    }
    this.handlers.set(id, handler);
    this.sock.write(`${JSON.stringify({ id, op: 'run', argv, env: opts.env ?? {}, input: opts.input ?? null })}\n`);
    return id;
  }

  private kill(id: number): void {
    if (!this.lostReason) this.sock.write(`${JSON.stringify({ id, op: 'kill' })}\n`);
  }
}
