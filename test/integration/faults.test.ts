// Faults for real: SIGINT during a Docker run, the daemon cut off mid-run, pip without an index.
// After each, nothing labelled or spawned by isobench remains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { runResultsSchema, type RunResults } from '../../src/results/schema.js';
import { LABEL_RUN } from '../../src/lifecycle/labels.js';
import { manifestDir } from '../../src/lifecycle/manifest.js';
import { cleanupRun, forcedLeftovers } from '../helpers/forced.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'isobench.js');
const docker = new Docker();
let scratch: string;

const start = (args: string[], env: Record<string, string | undefined> = {}) =>
  execa('node', [BIN, ...args], { reject: false, timeout: 900_000, env, extendEnv: true, buffer: true });

/** Resolves with the run id once stderr matches `pattern`. */
function waitForStderr(child: ResultPromise, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) resolve(/isobench (\S+):/.exec(text)?.[1] ?? '');
    });
    child.once('exit', () => reject(new Error(`exited before ${pattern}: ${text}`)));
  });
}

async function containersOf(runId: string) {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
}

async function workDirsOf(runId: string) {
  return (await readdir(tmpdir())).filter((f) => f.startsWith(`isobench-${runId}`));
}

async function results(out: string): Promise<RunResults> {
  return runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
  await docker.ping();
}, 180_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('SIGINT during a Docker run', () => {
  for (const [when, pattern, delayMs] of [
    ['while measuring', /docker-requests: measure/, 1500],
    ['while probing isolation', /docker-requests: isolation probes/, 200],
  ] as const) {
    it(`cleans up everything when interrupted ${when}`, async () => {
      const out = join(scratch, `sigint-${when.replace(/\W+/g, '-')}`);
      // The guests test stream's probe port (vitest.config.ts): the other stream's runs use the default one.
      const cfg = join(scratch, 'probe-port.yaml');
      await writeFile(cfg, 'probePort: 18801\n');
      const child = start(['run', '--only', 'docker', '--config', cfg, '--samples', '3', '--out', out]);
      const runId = await waitForStderr(child, pattern);
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode, String(r.stderr)).toBe(130);
      // The work dir goes even on a forced exit (its synchronous fallback).
      expect(await workDirsOf(runId), String(r.stderr)).toEqual([]);
      // On a loaded machine the Engine may not finish the removals within the grace (4.5 s): then the run names
      // what it left and keeps its manifest, and isobench cleanup removes them. Either way nothing stays.
      const forced = forcedLeftovers(String(r.stderr));
      if (forced !== undefined) {
        expect(forced, String(r.stderr)).toMatch(/container/);
        const c = await cleanupRun(runId);
        expect(c.exitCode, c.output).toBe(0);
      }
      expect(await containersOf(runId)).toEqual([]);
      expect(await readdir(manifestDir()).catch(() => [])).not.toContain(`${runId}.json`);
      const res = await results(out);
      expect(res.complete).toBe(false);
      const env = res.environments[0]!;
      // The signal may land after the last probe; then the environment is whole and only the run is incomplete.
      // Either way exactly one of these two outcomes, checked in every case.
      expect(env.status === 'completed' ? 'completed' : `${env.status}: ${env.reason}`).toMatch(/^(completed|errored: interrupted during (measure|probes))$/);
    }, 900_000);
  }
});

describe('the Docker daemon cut off in the middle of a run', () => {
  it('errors the Docker environment, completes the venv, and isobench cleanup removes what was left', async () => {
    const sock = join(scratch, 'proxy.sock');
    const open = new Set<Socket>();
    // A plain byte proxy to the real socket; half-open so hijacked attach streams work through it.
    const proxy = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = createConnection({ path: '/var/run/docker.sock', allowHalfOpen: true });
      open.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(sock, r));
    const out = join(scratch, 'cut');
    // The Docker row alone: the gVisor and Podman rows (test/integration/spectrum.test.ts) would run after the cut.
    const cfg = join(scratch, 'docker-row-only.yaml');
    await writeFile(cfg, 'probePort: 18801\nenvironments:\n  docker:\n    gvisor: { enabled: false }\n    podman: { enabled: false }\n');
    const child = start(['run', '--only', 'venv,docker', '--config', cfg, '--samples', '2', '--docker-host', `unix://${sock}`, '--out', out]);
    const runId = await waitForStderr(child, /docker-requests: start samples/);
    proxy.close();
    for (const s of open) s.destroy();
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(1);
    const res = await results(out);
    expect(res.complete).toBe(true);
    // The main rows by name (the default config's suite rows follow docker-requests and fail with it).
    const byName = Object.fromEntries(res.environments.map((e) => [e.name, e]));
    expect(byName['venv-python3']!.status).toBe('completed');
    expect(byName['docker-requests']!.status).toBe('errored');
    expect(byName['docker-requests']!.reason).toMatch(/Docker daemon (stopped answering|not reachable)|socket hang up/);
    expect(byName['docker-requests']!.metrics['image.bytes']).toBeDefined();
    expect(res.environments.filter((e) => e.kind === 'docker').every((e) => e.status === 'errored')).toBe(true);
    const c = await execa('node', [BIN, 'cleanup'], { reject: false, timeout: 120_000 });
    expect(c.exitCode, c.stderr).toBe(0);
    expect(await containersOf(runId)).toEqual([]);
    expect(await workDirsOf(runId)).toEqual([]);
  }, 900_000);
});

describe('pip with no reachable index', () => {
  it('errors the venv with one line naming the cause and the fix, and removes the venv', async () => {
    const out = join(scratch, 'nopip');
    const cfg = join(scratch, 'probe-port.yaml');
    await writeFile(cfg, 'probePort: 18801\n');
    const r = await start(['run', '--only', 'venv', '--config', cfg, '--samples', '1', '--out', out], {
      PIP_CONFIG_FILE: '/dev/null',
      PIP_FIND_LINKS: undefined,
      PIP_EXTRA_INDEX_URL: undefined,
      PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
      PIP_RETRIES: '0',
      PIP_TIMEOUT: '3',
    });
    expect(r.exitCode, String(r.stderr)).toBe(1);
    const env = (await results(out)).environments[0]!;
    expect(env.status).toBe('errored');
    // PIP_RETRIES=0: pip prints no retry warning, so unreachable and empty look alike, and the line says both.
    expect(env.reason).toBe('install failed: pip found requests on no index (from versions: none): an index it could not reach, or one without it');
    expect(env.fix).toMatch(/^the network, PIP_INDEX_URL/);
    const runId = (await results(out)).runId;
    expect(await workDirsOf(runId)).toEqual([]);
  }, 300_000);
});
