// The process timer: times commands through one long-lived Python helper (timer.py) that starts each
// with posix_spawn, so a sample does not include the cost of forking Node. execa stays for everything else.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { run, type RunOptions, type RunResult } from '../lifecycle/process.js';
import { PACKAGE_ROOT } from '../lifecycle/paths.js';
import { median } from './stats.js';
import { decodeReply, elapsedMs, encodeRequest, exitCodeOf, splitLines, TIMER_PROTOCOL, type ExitReply, type Hello, type Reply, type TimeRequest } from './timer-protocol.js';
import type { CleanupStack } from '../lifecycle/cleanup.js';
import type { Logger } from '../lifecycle/log.js';
import type { TimingFloor } from '../results/schema.js';

/** The helper's source, shipped with the package. */
export const TIMER_HELPER_PATH = join(PACKAGE_ROOT, 'src', 'measure', 'timer.py');

/** How long the helper may take to say hello, and to exit once its stdin is closed. */
const HELLO_MS = 10_000;
const CLOSE_MS = 5_000;
/** SIGTERM, then SIGKILL this much later, on a timeout or an abort (as run() does through execa). */
const KILL_AFTER_MS = 2_000;

export interface TimerOptions {
  /** The work dir under which the helper's capture files live (removed on close). */
  baseDir: string;
  cleanup: CleanupStack;
  log: Logger;
  /** The host Python that runs the helper (default python3). */
  interpreter?: string;
}

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/** The helper process: `python3 -I timer.py`, its pipes ours (no buffering of its output by execa). */
const spawnHelper = (interpreter: string) =>
  execa(interpreter, ['-I', TIMER_HELPER_PATH], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });

interface Helper {
  child: ReturnType<typeof spawnHelper>;
  dir: string;
  hello: Hello;
  /** Runs the helper's teardown now (and takes it off the cleanup stack). */
  close: () => Promise<void>;
}

/** Ends the helper's stdin (it kills what still runs and exits), SIGKILLs it if it lingers, removes its files. */
async function shutDown(child: Helper['child'], dir: string): Promise<void> {
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_MS);
  await child;
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Times commands through the helper. The helper starts on first use (registering its close on the
 * cleanup stack); where it cannot start, run() falls back to execa and says so once, and floor() records
 * which path timed the samples.
 */
export class ProcessTimer {
  private helper?: Promise<Helper | Error>;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private dead?: Error;
  private stderrTail = '';
  readonly interpreter: string;

  constructor(private readonly opts: TimerOptions) {
    this.interpreter = opts.interpreter ?? 'python3';
  }

  /** Starts the helper (once); resolves with its hello, or an Error saying why it could not start. */
  async start(): Promise<Hello | Error> {
    this.helper ??= this.launch().catch((err: Error) => err);
    const h = await this.helper;
    return h instanceof Error ? h : h.hello;
  }

  /**
   * Runs argv with run()'s contract (argv array, timeout, env extending process.env unless extendEnv is
   * false, input on stdin else /dev/null, abort signal). durationMs is the helper's posix_spawn-to-waitpid time.
   */
  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    const h = await this.ready();
    if (h instanceof Error) return run(argv, opts);
    if (!argv[0]) throw new Error(`${opts.step}: empty command`);
    if (opts.signal?.aborted) return { exitCode: -1, stdout: '', stderr: `${opts.step}: canceled before it started`, durationMs: 0, timedOut: false };
    const id = this.nextId++;
    const file = (ext: string) => join(h.dir, `${id}.${ext}`);
    if (opts.input !== undefined) await writeFile(file('in'), opts.input);
    const req: TimeRequest = {
      op: 'time',
      id,
      argv,
      env: envFor(opts),
      cwd: opts.cwd ?? null,
      stdin: opts.input === undefined ? '/dev/null' : file('in'),
      stdout: file('out'),
      stderr: file('err'),
      timeoutMs: opts.timeoutMs,
      killAfterMs: KILL_AFTER_MS,
    };
    const onAbort = () => this.send(h, encodeRequest({ op: 'kill', id }));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await this.ask(h, req);
      if (reply.ev === 'error') return { exitCode: -1, stdout: '', stderr: reply.error, durationMs: 0, timedOut: false };
      const [stdout, stderr] = await Promise.all([readFile(file('out'), 'utf8'), readFile(file('err'), 'utf8')]);
      return { exitCode: exitCodeOf(reply), stdout, stderr, durationMs: elapsedMs(reply), timedOut: reply.timedOut };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      await Promise.all(['in', 'out', 'err'].map((e) => rm(file(e), { force: true })));
    }
  }

  /** The timing path's floor: `true` timed through run() `samples` times after two warm-ups; the median. */
  async floor(samples = 9): Promise<TimingFloor> {
    const hello = await this.start();
    const once = async () => {
      const r = await this.run(['true'], { step: 'timing floor (true)', timeoutMs: 10_000 });
      if (r.exitCode !== 0) throw new Error(`timing floor: \`true\` exited with ${r.exitCode}: ${r.stderr.trim()}`);
      return r.durationMs;
    };
    for (let i = 0; i < 2; i++) await once();
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) ms.push(await once());
    const viaHelper = !(hello instanceof Error);
    return {
      spawner: viaHelper ? 'posix_spawn' : 'node',
      helper: viaHelper ? `${this.interpreter} ${hello.python}` : `not used: ${hello.message}`,
      floorMs: median(ms),
      samples: ms,
      method: viaHelper
        ? `median wall time of \`true\` through the timing helper (posix_spawn to waitpid, ${this.interpreter}), ${samples} samples after 2 warm-ups`
        : `median wall time of \`true\` through execa (Node's spawn to the exit event), ${samples} samples after 2 warm-ups`,
    };
  }

  /** Closes the helper: ends its stdin (it kills what still runs and exits), then removes its files. Idempotent. */
  async close(): Promise<void> {
    const h = await this.helper;
    if (!h || h instanceof Error) return;
    this.dead ??= new Error('the timing helper was closed');
    await h.close();
  }

  /** The helper once started (an Error: it could not start, use execa); throws once it died or was closed. */
  private async ready(): Promise<Helper | Error> {
    await this.start();
    if (this.dead) throw this.dead;
    return this.helper!;
  }

  private async launch(): Promise<Helper> {
    const dir = await mkdtemp(join(this.opts.baseDir, 'timer-'));
    const child = spawnHelper(this.interpreter);
    let started = false;
    const close = this.opts.cleanup.push(`timing helper (${this.interpreter}, pid ${child.pid ?? '?'})`, async () => {
      if (started) this.dead ??= new Error('the timing helper was closed');
      await shutDown(child, dir);
    });
    const hello = new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hello within ${HELLO_MS} ms`)), HELLO_MS);
      const settle = <T>(f: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        this.pending.delete(0);
        f(x);
      };
      this.pending.set(0, { resolve: settle((r: Reply) => (r.ev === 'hello' ? resolve(r) : reject(new Error(`expected hello, got ${r.ev}`)))), reject: settle(reject) });
    });
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const { lines, rest } = splitLines(buffered + chunk);
      buffered = rest;
      for (const line of lines) this.dispatch(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-2000)));
    // A write after the helper died fails here; its exit, below, is what reports it.
    child.stdin.on('error', () => undefined);
    void child.then((r) => {
      const how = r.exitCode === undefined ? (r.signal ?? r.shortMessage) : `exit ${r.exitCode}`;
      const tail = this.stderrTail.trim().split('\n').pop();
      this.fail(new Error(`the timing helper (${this.interpreter}) exited (${how})${tail ? `: ${tail}` : ''}`), started);
    });
    try {
      const said = await hello;
      if (said.protocol !== TIMER_PROTOCOL) throw new Error(`it speaks protocol ${said.protocol}, isobench ${TIMER_PROTOCOL}`);
      started = true;
      return { child, dir, hello: said, close };
    } catch (err) {
      child.kill('SIGKILL');
      await close();
      const why = `${this.interpreter} could not run the timing helper (${(err as Error).message})`;
      this.opts.log.warn(`${why}; timing processes through Node's spawn instead (slower to start: see the timing floor in the host fingerprint)`);
      throw new Error(why);
    }
  }

  private ask(h: Helper, req: TimeRequest): Promise<ExitReply | Extract<Reply, { ev: 'error' }>> {
    const watchdog = req.timeoutMs + req.killAfterMs + 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.id);
        reject(new Error(`the timing helper gave no answer for ${req.argv[0]} within ${watchdog} ms`));
      }, watchdog);
      const done = <T>(f: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        this.pending.delete(req.id);
        f(x);
      };
      this.pending.set(req.id, {
        resolve: done((r: Reply) => (r.ev === 'hello' ? reject(new Error('unexpected hello')) : resolve(r))),
        reject: done(reject),
      });
      this.send(h, encodeRequest(req));
    });
  }

  private send(h: Helper, line: string): void {
    h.child.stdin.write(line);
  }

  private dispatch(line: string): void {
    let reply: Reply;
    try {
      reply = decodeReply(line);
    } catch (err) {
      return this.fail(err as Error);
    }
    const id = reply.ev === 'hello' ? 0 : reply.id;
    if (id === null) return this.fail(new Error(`the timing helper rejected a request: ${reply.ev === 'error' ? reply.error : line}`));
    this.pending.get(id)?.resolve(reply);
  }

  /** Rejects every pending call; fatal: the helper is gone for good (later calls throw instead of falling back). */
  private fail(err: Error, fatal = true): void {
    if (fatal) this.dead ??= err;
    for (const p of [...this.pending.values()]) p.reject(err);
    this.pending.clear();
  }
}

/** The command's environment as the helper needs it: complete, string values only. */
function envFor(opts: Pick<RunOptions, 'env' | 'extendEnv'>): Record<string, string> {
  const merged = { ...(opts.extendEnv === false ? {} : process.env), ...opts.env };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}
