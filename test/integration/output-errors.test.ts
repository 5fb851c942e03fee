// Operating-system errors on the output, for real: a full tmpfs (ENOSPC), a read-only mount (EROFS), a folder
// the process may not write (EACCES, as an unprivileged user), the out dir removed mid-run. Each is one line
// naming the path and the cause, exit 2, no temporary file left, and results.json kept where it could be written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { runResultsSchema } from '../../src/results/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'isobench.js');
let scratch: string;
const mounted: string[] = [];

const run = (args: string[]) => execa('node', [BIN, ...args], { reject: false, timeout: 600_000 });
const mount = async (dir: string, opts: string) => {
  await mkdir(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { timeout: 10_000 });
  mounted.push(dir);
};

function waitFor(child: ResultPromise, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) resolve();
    });
    child.once('exit', () => reject(new Error(`exited before ${pattern}: ${text}`)));
  });
}

/** The last stderr line, which must be the one error line (no stack trace anywhere). */
function errorLine(stderr: string): string {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return stderr.trim().split('\n').at(-1)!;
}

const tmpFiles = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((f) => f.includes('.tmp-'));
const results = async (out: string) => runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
});
afterEach(async () => {
  for (const dir of mounted.splice(0).reverse()) await execa('umount', ['-l', dir], { reject: false, timeout: 10_000 });
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('--out on a full file system (64 KiB tmpfs)', () => {
  it('one line naming the file and ENOSPC, exit 2, no temp file, results.json kept', async () => {
    const fs = join(scratch, 'full');
    await mount(fs, 'size=64k');
    const out = join(fs, 'out');
    const r = await run(['run', '--only', 'venv', '--samples', '1', '--out', out]);
    const line = errorLine(r.stderr);
    expect(r.exitCode, r.stderr).toBe(2);
    // Either the final results.json did not fit (the one written after the environment stays, whole), or a
    // report did not fit after results.json was written, and the line says it is kept: never both, never neither.
    expect(line).toMatch(new RegExp(`^isobench: cannot write ${out}/(results\\.json: no space left on the device \\(ENOSPC\\)|[^/\\s]+: no space left on the device \\(ENOSPC\\); results\\.json is kept); free space there or write to another folder$`));
    const resultsFailed = line.startsWith(`isobench: cannot write ${out}/results.json:`);
    expect(line.includes('results.json is kept')).toBe(!resultsFailed);
    expect(await tmpFiles(out)).toEqual([]);
    const kept = await results(out);
    // results.json on disk is always whole (written atomically). When the final one did not fit, it is the one
    // written at the start, marked incomplete, so no reader takes it for the run; else it holds the environment.
    expect(resultsFailed ? { complete: kept.complete } : { statuses: kept.environments.map((e) => e.status) }).toEqual(
      resultsFailed ? { complete: false } : { statuses: ['completed'] },
    );
  }, 600_000);
});

describe('--out on a read-only file system', () => {
  it('at the start: one line, exit 2, nothing created', async () => {
    const fs = join(scratch, 'ro');
    await mount(fs, 'ro,size=64k');
    const r = await run(['run', '--only', 'venv', '--out', join(fs, 'out')]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(errorLine(r.stderr)).toMatch(/^isobench: cannot create --out \S+ \(EROFS\); pass a folder in a writable place$/);
  }, 120_000);

  it('turned read-only mid-run: one line naming results.json and EROFS, exit 2, the earlier results.json kept', async () => {
    const fs = join(scratch, 'remount');
    await mount(fs, 'size=4m');
    const out = join(fs, 'out');
    const child = run(['run', '--only', 'venv', '--samples', '1', '--out', out]);
    await waitFor(child, /venv-python3: install/);
    await execa('mount', ['-o', 'remount,ro', fs], { timeout: 10_000 });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(2);
    expect(errorLine(r.stderr)).toBe(`isobench: cannot write ${out}/results.json: read-only file system (EROFS); write to a folder you may write to`);
    expect(await tmpFiles(out)).toEqual([]);
    expect((await results(out)).environments).toEqual([]);
  }, 600_000);
});

describe('the out dir removed mid-run', () => {
  it('one line naming results.json and that its folder is gone, exit 2, no work dir left', async () => {
    const out = join(scratch, 'removed');
    const child = run(['run', '--only', 'venv', '--samples', '1', '--out', out]);
    await waitFor(child, /venv-python3: install/);
    await rm(out, { recursive: true, force: true });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(2);
    expect(errorLine(r.stderr)).toBe(`isobench: cannot write ${out}/results.json: its folder no longer exists (removed during the run?) (ENOENT); leave the folder in place until the run ends`);
    const runId = /isobench (\S+):/.exec(r.stderr)![1]!;
    expect((await readdir(tmpdir())).filter((f) => f.startsWith(`isobench-${runId}`))).toEqual([]);
  }, 600_000);
});

describe('a folder the process may not write (EACCES, as user nobody)', () => {
  it('report --junit into it: one line naming the file and EACCES, exit 2, no temp file', async () => {
    const src = join(ROOT, 'reports', 'sample', 'results.json');
    const dir = join(scratch, 'eacces');
    await mkdir(join(dir, 'locked'), { recursive: true });
    await chmod(dir, 0o755);
    await chmod(join(dir, 'locked'), 0o755); // root's; nobody may not create files there
    await copyFile(src, join(dir, 'results.json'));
    await chmod(join(dir, 'results.json'), 0o644);
    await chmod(scratch, 0o755);
    const junit = join(dir, 'locked', 'claims.xml');
    const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', BIN, 'report', join(dir, 'results.json'), '--junit', junit], {
      reject: false,
      timeout: 120_000,
      env: { HOME: dir, ISOBENCH_CACHE: join(scratch, 'cache-nobody') },
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(errorLine(r.stderr)).toBe(`isobench: cannot write ${junit}: permission denied (EACCES); write to a folder you may write to`);
    expect(await tmpFiles(join(dir, 'locked'))).toEqual([]);
  }, 120_000);
});
