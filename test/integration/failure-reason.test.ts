// A real failed install, as a user whose pip reaches no index: the row's reason is one line with the cause and
// the fix, the report's row links to the run's log, and the log holds pip's whole output.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runResultsSchema } from '../../src/results/schema.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');
const made: string[] = [];

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a failed venv install (pip reaches no index)', () => {
  afterAll(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });

  it('one-line reason and fix in results and report, the whole pip output in isobench.log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isobench-test-failure-'));
    made.push(dir);
    const out = join(dir, 'out');
    // pip as a user with no pip configuration: only the closed index, one retry (its warning names the cause).
    const env: Record<string, string | undefined> = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_INDEX_URL: `http://127.0.0.1:${await closedPort()}/simple`, PIP_RETRIES: '1' };
    for (const k of Object.keys(env)) if (/^PIP_(FIND_LINKS|EXTRA_INDEX_URL|NO_INDEX)$/.test(k)) delete env[k];
    const r = await execa('node', [BIN, 'run', '--only', 'venv', '--samples', '1', '--lang', 'en', '--out', out], { reject: false, timeout: 300_000, env, extendEnv: false });
    expect(r.exitCode, r.stderr).toBe(1);

    const results = runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    const [venv] = results.environments;
    expect(venv!.status).toBe('errored');
    expect(venv!.reason).toBe('install failed: pip could not reach a package index (connection refused, 1 retry)');
    expect(venv!.fix).toBe('the network, PIP_INDEX_URL (or pip.indexUrl in the config), or a wheelhouse (pip.wheelhouse)');
    expect(venv!.log).toBe('isobench.log');
    expect(venv!.steps.find((s) => !s.ok)!.error).toBe('pip could not reach a package index (connection refused, 1 retry)');

    const md = await readFile(join(out, 'report.md'), 'utf8');
    const row = md.split('\n').find((l) => l.includes('install failed:'));
    expect(row).toMatch(/^\| venv-python3\b/);
    expect(row!.endsWith(` | errored | ${venv!.reason} | ${venv!.fix}; the whole output: [isobench.log](isobench.log) |`), row).toBe(true);
    expect(row).not.toContain('WARNING');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('the whole output: <a href="isobench.log">isobench.log</a>');

    // The log: pip's whole output (its retry warning and both ERROR lines), which neither results nor report hold.
    const log = await readFile(join(out, 'isobench.log'), 'utf8');
    expect(log).toMatch(/WARNING: Retrying \(Retry\(total=0.*Connection refused/);
    expect(log).toContain('ERROR: Could not find a version that satisfies the requirement requests (from versions: none)');
    expect(log).toContain('ERROR: No matching distribution found for requests');
    expect(JSON.stringify(results)).not.toContain('Retrying (Retry(');
    // The terminal gets the one line and the fix too, not pip's output.
    expect(r.stderr).toContain(`${venv!.reason} (fix: ${venv!.fix}); the whole output is in the log`);
    expect(r.stderr).not.toContain('Retrying (Retry(');
  }, 300_000);
});
