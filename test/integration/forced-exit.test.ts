// A forced exit (cleanup past its grace, or a second signal), in a real process: the local folders still go
// (their synchronous fallback), what cannot go is named, and the manifest stays exactly while something is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { forcedLeftovers } from '../helpers/forced.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'lifecycle');
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');
let scratch: string;

// A process that registers a live manifest, a work dir whose removal never ends but whose fallback works, and
// (when `stuck`) a container whose removal never ends and has no fallback.
const script = (work: string, stuck: boolean, graceMs: number) => `
  const { CleanupStack } = await import(${JSON.stringify(join(DIST, 'cleanup.js'))});
  const { handleSignals } = await import(${JSON.stringify(join(DIST, 'signals.js'))});
  const { registerLive } = await import(${JSON.stringify(join(DIST, 'manifest.js'))});
  const { memoryLogger } = await import(${JSON.stringify(join(DIST, 'log.js'))});
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { rmSync } = await import('node:fs');
  const cleanup = new CleanupStack();
  const log = memoryLogger();
  const state = handleSignals(cleanup, { ...log, warn: (m) => process.stderr.write('WARN ' + m + '\\n') }, undefined, ${graceMs});
  await registerLive('forced-test', cleanup);
  const work = ${JSON.stringify(work)};
  await mkdir(join(work, 'venv', 'lib'), { recursive: true });
  await writeFile(join(work, 'venv', 'lib', 'f'), 'x');
  // Its removal takes its time (a loaded machine); its synchronous fallback does not wait.
  cleanup.push('work dir ' + work, () => new Promise(() => {}), () => rmSync(work, { recursive: true, force: true }));
  ${stuck ? "cleanup.push('container c0ffee', () => new Promise(() => {}));" : ''}
  state.controller.signal.addEventListener('abort', () => { cleanup.runAll(); });
  process.stderr.write('READY\\n');
  setInterval(() => {}, 1000);
  function join(...p) { return p.join('/'); }
`;

async function runAndSignal(work: string, stuck: boolean, opts: { graceMs: number; second: boolean }) {
  const child = execa('node', ['--input-type=module', '-e', script(work, stuck, opts.graceMs)], {
    reject: false,
    timeout: 60_000,
    env: { ISOBENCH_CACHE: join(scratch, 'cache') },
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
    child.once('exit', () => reject(new Error('exited before READY')));
  });
  child.kill('SIGTERM');
  if (opts.second) {
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
  }
  return child;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-forced-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('a forced exit', { timeout: 90_000 }, () => {
  it('past the grace: the work dir goes, the stuck container is named, and the manifest stays for cleanup', async () => {
    const work = join(scratch, 'work-stuck');
    const r = await runAndSignal(work, true, { graceMs: 1_000, second: false });
    expect(r.exitCode).toBe(143);
    expect(r.stderr).toMatch(/cleanup did not finish within 1 s of SIGTERM: exiting; left behind: container c0ffee; manifest of forced-test \(isobench cleanup removes them\)/);
    expect(existsSync(work)).toBe(false);
    expect(await readdir(join(scratch, 'cache', 'runs'))).toEqual(['forced-test.json']);
    // The tests' reading of that line (test/helpers/forced.ts) is this message's.
    expect(forcedLeftovers(r.stderr)).toBe('container c0ffee; manifest of forced-test');
  });

  it('a second signal with only a local folder left: the folder, and then the manifest, go', async () => {
    const work = join(scratch, 'work-local');
    const r = await runAndSignal(work, false, { graceMs: 30_000, second: true });
    expect(r.exitCode).toBe(143);
    expect(r.stderr).toMatch(/WARN forced exit; left behind: nothing$/);
    expect(existsSync(work)).toBe(false);
    expect(await readdir(join(scratch, 'cache', 'runs'))).toEqual([]);
    expect(forcedLeftovers(r.stderr)).toBeUndefined();
  });
});

describe('isobench cleanup --run ID', { timeout: 120_000 }, () => {
  it("removes that dead run's leftovers and nothing of another dead run's; a malformed id is a usage error", async () => {
    const cache = join(scratch, 'cache-run');
    const gone = execa('true');
    const pid = gone.pid!;
    await gone;
    const hex = () => randomBytes(3).toString('hex');
    const ids = [`test-20000101-000002-${hex()}`, `test-20000101-000003-${hex()}`];
    await mkdir(join(cache, 'runs'), { recursive: true });
    for (const id of ids) {
      await writeFile(join(cache, 'runs', `${id}.json`), JSON.stringify({ runId: id, pid, startTime: '1', hostname: hostname(), startedAt: new Date().toISOString() }));
      await mkdir(join(tmpdir(), `isobench-${id}-work`), { recursive: true });
    }
    const cli = (args: string[]) => execa('node', [BIN, 'cleanup', ...args], { reject: false, timeout: 120_000, env: { ISOBENCH_CACHE: cache } });
    const r = await cli(['--run', ids[0]!]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(run ${ids[0]})`);
    expect(r.stdout).not.toContain(ids[1]);
    expect(existsSync(join(tmpdir(), `isobench-${ids[0]}-work`))).toBe(false);
    expect(await readdir(join(cache, 'runs'))).toEqual([`${ids[1]}.json`]);
    expect(existsSync(join(tmpdir(), `isobench-${ids[1]}-work`))).toBe(true);
    const bad = await cli(['--run', '../x']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--run: expected a run id/);
    const rest = await cli(['--run', ids[1]!]);
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(existsSync(join(tmpdir(), `isobench-${ids[1]}-work`))).toBe(false);
    expect(await readdir(join(cache, 'runs'))).toEqual([]);
  });
});
