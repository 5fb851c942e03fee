// The timing helper for real, with both host interpreters: its protocol, run()'s contract, timeouts, aborts, cleanup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { CleanupStack } from '../../src/lifecycle/cleanup.js';
import { memoryLogger } from '../../src/lifecycle/log.js';
import { median } from '../../src/measure/stats.js';
import { ProcessTimer, TIMER_HELPER_PATH } from '../../src/measure/timer.js';
import { decodeReply, encodeRequest, TIMER_PROTOCOL } from '../../src/measure/timer-protocol.js';
import { testContext } from '../helpers/context.js';

const INTERPRETERS = ['python3', '/usr/bin/python3.11'];

/** Whether pid runs (a zombie left for a non-reaping init counts as dead: it was killed). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
};

/** Feeds lines to a fresh helper, waits for `replies` replies (the hello first), then closes its stdin. */
async function converse(interpreter: string, lines: string[], replies: number) {
  const child = execa(interpreter, ['-I', TIMER_HELPER_PATH], { stdin: 'pipe', timeout: 30_000 });
  let out = '';
  child.stdout.setEncoding('utf8');
  const enough = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').length > replies) resolve();
    }),
  );
  child.stdin.write(lines.join(''));
  await enough;
  child.stdin.end();
  await child;
  return out.split('\n').filter(Boolean).map(decodeReply);
}

describe.each(INTERPRETERS)('timing helper under %s', (interpreter) => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let timer: ProcessTimer;

  beforeAll(async () => {
    ctx = await testContext();
    timer = new ProcessTimer({ baseDir: ctx.workDir, cleanup: ctx.cleanup, log: ctx.log, interpreter });
  });

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('says hello with the protocol version and its Python', async () => {
    const hello = await timer.start();
    if (hello instanceof Error) throw hello;
    const version = (await execa(interpreter, ['--version'])).stdout.replace('Python ', '').trim();
    expect(hello).toEqual({ ev: 'hello', protocol: TIMER_PROTOCOL, python: version, clockResolutionNs: expect.any(Number) });
  });

  // The best of 5: on a loaded machine the scheduler may start or wake a process late, which is the machine's time, not the timer's.
  // How close to 200 ms it comes is a figure for bench/fidelity.ts; here: never below the sleep, never above the wall time around the call.
  it('times `sleep 0.2` at no less than 200 ms and no more than the wall time around the call', async () => {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await timer.run(['sleep', '0.2'], { step: 'sleep', timeoutMs: 10_000 });
      const wall = performance.now() - t0;
      expect(r.exitCode).toBe(0);
      expect(r.durationMs).toBeGreaterThanOrEqual(200);
      expect(r.durationMs).toBeLessThanOrEqual(wall);
    }
  });

  it('keeps run()\'s contract: exit code, both outputs, stdin input, env, extendEnv, cwd', async () => {
    const script = 'read line; echo "out:$line:$ISOBENCH_T:$HOME:$(pwd)"; echo err >&2; exit 3';
    const r = await timer.run(['sh', '-c', script], { step: 'sh', timeoutMs: 10_000, input: 'hello\n', env: { ISOBENCH_T: 'x y' }, cwd: '/usr' });
    expect(r).toMatchObject({ exitCode: 3, stdout: `out:hello:x y:${process.env.HOME}:/usr\n`, stderr: 'err\n', timedOut: false });
    const bare = await timer.run(['/bin/sh', '-c', 'echo "[$HOME]"'], { step: 'sh', timeoutMs: 10_000, env: { A: '1' }, extendEnv: false });
    expect(bare.stdout).toBe('[]\n');
  });

  it('reports a missing command as run() does, and a bad cwd as an error', async () => {
    expect(await timer.run(['isobench-no-such-command'], { step: 'x', timeoutMs: 10_000 })).toMatchObject({
      exitCode: -1,
      stderr: 'isobench-no-such-command: command not found',
      timedOut: false,
    });
    const r = await timer.run(['true'], { step: 'x', timeoutMs: 10_000, cwd: '/isobench-no-such-dir' });
    expect(r.exitCode).toBe(-1);
    expect(r.stderr).toContain('/isobench-no-such-dir');
  });

  it('kills a command that outlives its timeout, with what it started (its process group)', async () => {
    const pidFile = join(ctx.workDir, `grandchild-${interpreter.replace(/\W/g, '')}`);
    const r = await timer.run(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { step: 'sleep', timeoutMs: 300 });
    expect(r).toMatchObject({ exitCode: -1, timedOut: true });
    expect(r.durationMs).toBeGreaterThanOrEqual(300);
    expect(r.durationMs).toBeLessThan(2_000);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(1);
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('stops a command when the abort signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const t0 = performance.now();
    const r = await timer.run(['sleep', '30'], { step: 'sleep', timeoutMs: 60_000, signal: controller.signal });
    expect(r).toMatchObject({ exitCode: -1, timedOut: false });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(await timer.run(['true'], { step: 'x', timeoutMs: 10_000, signal: controller.signal })).toMatchObject({ exitCode: -1 });
  });

  it('times commands that run at the same time, each on its own', async () => {
    const t0 = performance.now();
    const [a, b] = await Promise.all([0.3, 0.5].map((s) => timer.run(['sleep', String(s)], { step: 'sleep', timeoutMs: 10_000 })));
    const wall = performance.now() - t0;
    expect(a!.durationMs).toBeGreaterThanOrEqual(300);
    expect(b!.durationMs).toBeGreaterThanOrEqual(500);
    // Each its own: both fit in one wall span shorter than the two one after the other.
    expect(Math.max(a!.durationMs, b!.durationMs)).toBeLessThanOrEqual(wall);
    expect(wall).toBeLessThan(a!.durationMs + b!.durationMs);
  });

  it('measures its floor with `true` and says which path it is', async () => {
    const f = await timer.floor(5);
    expect(f.spawner).toBe('posix_spawn');
    expect(f.helper).toMatch(new RegExp(`^${interpreter.replace(/[./]/g, '\\$&')} 3\\.\\d+\\.\\d+$`));
    expect(f.samples).toHaveLength(5);
    expect(f.floorMs).toBe(median(f.samples));
    expect(f.floorMs).toBeGreaterThan(0);
  });

  it('answers bad lines with an error naming the problem and goes on', async () => {
    const ok = encodeRequest({ op: 'time', id: 4, argv: ['true'], env: { PATH: process.env.PATH! }, cwd: null, stdin: '/dev/null', stdout: '/dev/null', stderr: '/dev/null', timeoutMs: 5_000, killAfterMs: 100 });
    const replies = await converse(interpreter, ['not json\n', '{"op":"time"}\n', '{"op":"stat","id":2}\n', '{"op":"time","id":3,"argv":[]}\n', ok], 6);
    expect(replies.map((r) => r.ev)).toEqual(['hello', 'error', 'error', 'error', 'error', 'exit']);
    expect(replies.slice(1, 5).map((r) => (r.ev === 'error' ? r.error : ''))).toEqual([
      expect.stringMatching(/^not JSON/),
      'id: expected an integer',
      'op: expected "time" or "kill", got "stat"',
      expect.stringMatching(/^env: missing/),
    ]);
    expect(replies[5]).toMatchObject({ id: 4, code: 0, timedOut: false, killed: false });
  });

  it('exits at the end of its stdin, killing what still runs', async () => {
    const child = execa(interpreter, ['-I', TIMER_HELPER_PATH], { stdin: 'pipe', timeout: 30_000 });
    const pidFile = join(ctx.workDir, `eof-${interpreter.replace(/\W/g, '')}`);
    child.stdin.write(encodeRequest({ op: 'time', id: 1, argv: ['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], env: { PATH: process.env.PATH! }, cwd: null, stdin: '/dev/null', stdout: '/dev/null', stderr: '/dev/null', timeoutMs: 60_000, killAfterMs: 100 }));
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 20));
    const pid = Number(await readFile(pidFile, 'utf8'));
    child.stdin.end();
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(decodeReply(r.stdout.split('\n')[1]!)).toMatchObject({ ev: 'exit', id: 1, signal: 9 });
  });
});

describe('the timer on the cleanup stack', () => {
  it('is closed by the stack: the helper exits and its files go', async () => {
    const cleanup = new CleanupStack(10_000);
    const ctx = await testContext();
    const timer = new ProcessTimer({ baseDir: ctx.workDir, cleanup, log: ctx.log });
    await timer.run(['true'], { step: 'x', timeoutMs: 10_000 });
    const [what] = cleanup.pending();
    const pid = Number(/pid (\d+)/.exec(what!)?.[1]);
    expect(alive(pid)).toBe(true);
    expect(await cleanup.runAll()).toEqual([]);
    expect(alive(pid)).toBe(false);
    await expect(timer.run(['true'], { step: 'x', timeoutMs: 10_000 })).rejects.toThrow(/closed/);
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('falls back to Node\'s spawn, once warned, when the interpreter cannot run the helper', async () => {
    const ctx = await testContext();
    const log = memoryLogger();
    const timer = new ProcessTimer({ baseDir: ctx.workDir, cleanup: ctx.cleanup, log, interpreter: 'isobench-no-such-python' });
    const r = await timer.run(['sh', '-c', 'echo fine'], { step: 'x', timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
    const f = await timer.floor(3);
    expect(f).toMatchObject({ spawner: 'node', helper: expect.stringMatching(/^not used: isobench-no-such-python could not run the timing helper/) });
    expect(log.lines.filter((l) => l.startsWith('warning:'))).toHaveLength(1);
    // Nothing of a helper to tear down: only what every context holds (its work dir, its live manifest).
    expect(ctx.cleanup.pending()).toContain(`work dir ${ctx.workDir}`);
    expect(ctx.cleanup.pending().filter((w) => /tim(er|ing)/.test(w))).toEqual([]);
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });
});
