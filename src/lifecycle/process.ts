// Runs external commands: argv arrays, a timeout on every call, errors that name the step.
import { execa } from 'execa';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunOptions {
  /** Names the step in a timeout or failure message. */
  step: string;
  timeoutMs: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Replace the environment instead of extending process.env. */
  extendEnv?: boolean;
  input?: string;
  signal?: AbortSignal;
  /**
   * Run it as the leader of its own process group, and on abort or timeout signal the whole group: for a
   * script whose children would outlive it (debootstrap's tar and dpkg keep writing, and holding the output
   * pipes open, after the shell is killed). The group gets SIGTERM, then SIGKILL 2 s later.
   */
  group?: boolean;
}

/** Signals the process group led by `pid`; a group already gone is not an error. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // gone
  }
}

/**
 * Runs argv through execa; a non-zero exit is returned as data, and so are a missing binary or a timeout
 * (exitCode -1). durationMs runs from just before the spawn to the process's exit, as an external timer
 * (hyperfine) measures it, not to the end of output handling (bench/overhead.ts measures what is left).
 * Without `input`, stdin is /dev/null.
 */
export async function run(argv: string[], opts: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error(`${opts.step}: empty command`);
  let tExit = 0;
  const t0 = performance.now();
  const child = execa(file, args, {
    reject: false,
    timeout: opts.timeoutMs,
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: opts.extendEnv ?? true,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    cancelSignal: opts.signal,
    stripFinalNewline: false,
    forceKillAfterDelay: 2_000,
    ...(opts.group ? { detached: true } : {}),
  });
  child.once('exit', () => (tExit = performance.now()));
  let stopGroup: (() => void) | undefined;
  let groupTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  if (opts.group) {
    stopGroup = () => {
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 2_000);
      killTimer.unref();
    };
    opts.signal?.addEventListener('abort', stopGroup, { once: true });
    groupTimer = setTimeout(stopGroup, opts.timeoutMs);
    groupTimer.unref();
  }
  const r = await child.finally(() => {
    clearTimeout(groupTimer);
    clearTimeout(killTimer);
    if (stopGroup) opts.signal?.removeEventListener('abort', stopGroup);
  });
  // The group's other members may outlive its leader: they go with it.
  if (opts.group && (opts.signal?.aborted || r.timedOut)) signalGroup(child.pid, 'SIGKILL');
  const missing = (r as { code?: string }).code === 'ENOENT';
  return {
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    stdout: String(r.stdout ?? ''),
    stderr: missing ? `${file}: command not found` : String(r.stderr ?? ''),
    durationMs: (tExit || performance.now()) - t0,
    timedOut: Boolean(r.timedOut),
  };
}

/** Like run(), but throws an Error naming the step and the command's own message when it fails. */
export async function runOk(argv: string[], opts: RunOptions): Promise<RunResult> {
  return checked(argv, opts, await run(argv, opts));
}

/** Returns r when the command succeeded, else throws runOk()'s Error (the step, the exit code, the output's tail). */
export function checked(argv: string[], opts: Pick<RunOptions, 'step' | 'timeoutMs'>, r: RunResult): RunResult {
  if (r.timedOut) throw new Error(`${opts.step}: timed out after ${Math.round(opts.timeoutMs / 1000)} s (${argv.join(' ')})`);
  if (r.exitCode !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${opts.step}: ${argv[0]} exited with ${r.exitCode}${tail ? `: ${tail}` : ''}`);
  }
  return r;
}

/**
 * `from | to` without a shell: from's stdout is to's stdin, both under opts' timeout and signal; throws runOk()'s
 * Error for the first of them that failed (its step names which side).
 */
export async function runPipeOk(from: string[], to: string[], opts: RunOptions): Promise<void> {
  const common = { reject: false, timeout: opts.timeoutMs, env: opts.env, cancelSignal: opts.signal, forceKillAfterDelay: 2_000 } as const;
  const src = execa(from[0]!, from.slice(1), { ...common, stdin: 'ignore', buffer: { stdout: false } });
  const dst = execa(to[0]!, to.slice(1), common);
  src.stdout!.pipe(dst.stdin!);
  const [a, b] = await Promise.all([src, dst]);
  const result = (r: { exitCode?: number; stderr?: unknown; durationMs: number; timedOut?: boolean }): RunResult => ({
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
    stdout: '',
    stderr: String(r.stderr ?? ''),
    durationMs: r.durationMs,
    timedOut: Boolean(r.timedOut),
  });
  checked(from, { ...opts, step: `${opts.step} (sending side)` }, result(a));
  checked(to, { ...opts, step: `${opts.step} (receiving side)` }, result(b));
}
