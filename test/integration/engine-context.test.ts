// A run through a Docker context whose endpoint is not a default socket, with real parts: the machine's dockerd
// reached through a small proxy on a socket of this test's own, a throwaway HOME whose ~/.docker names a context
// pointing there, and /run/docker.sock hidden from the run (a private mount namespace: see helpers/hidden-engines.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { runResultsSchema } from '../../src/results/schema.js';
import { contextDir } from '../../src/drivers/docker/host.js';
import { cacheDir } from '../../src/lifecycle/paths.js';
import { isobenchHidden } from '../helpers/hidden-engines.js';

let scratch: string;
let proxy: Server;
let sock: string;
let connections = 0;
const open = new Set<Socket>();

/** The environment of the run: a new HOME, isobench's real cache (images and wheelhouse), no DOCKER_HOST, no runtime dir. */
function runEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH!, HOME: home, ISOBENCH_CACHE: cacheDir(), LANG: 'C.UTF-8', ...extra };
}

/** A HOME whose ~/.docker/config.json makes `name` current, with that context's meta.json pointing at `endpoint`. */
async function homeWithContext(name: string, endpoint: string | undefined): Promise<string> {
  const home = await mkdtemp(join(scratch, 'home-'));
  const dir = join(home, '.docker');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
  if (endpoint) {
    const meta = join(dir, 'contexts', 'meta', contextDir(name));
    await mkdir(meta, { recursive: true });
    await writeFile(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: 'isobench test' }, Endpoints: { docker: { Host: endpoint, SkipTLSVerify: false } } }));
  }
  return home;
}

beforeAll(async () => {
  await new Docker().ping();
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-ctx-'));
  sock = join(scratch, 'engine.sock');
  // allowHalfOpen: the docker CLI half-closes an attach stream once its stdin is done and reads the output after.
  proxy = createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = createConnection({ path: '/var/run/docker.sock', allowHalfOpen: true });
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => (client.destroy(), upstream.destroy(), open.delete(client), open.delete(upstream));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => proxy.listen(sock, r));
}, 60_000);

afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  await rm(scratch, { recursive: true, force: true });
});

describe('a Docker context whose endpoint is not a default socket', () => {
  it('is where the run finds the engine: the Docker row completes through it, and the report names it and the rule', async () => {
    const home = await homeWithContext('isobench-ctx', `unix://${sock}`);
    const cfg = join(scratch, 'docker-row.yaml');
    await writeFile(cfg, 'environments:\n  docker:\n    pull: never\n    suites: []\n    gvisor: { enabled: false }\n    podman: { enabled: false }\n');
    const out = join(scratch, 'out');
    const before = connections;
    const r = await isobenchHidden(['run', '--only', 'docker', '--require', 'docker', '--config', cfg, '--samples', '2', '--lang', 'en', '--out', out], runEnv(home));
    expect(r.exitCode, String(r.stderr).slice(-3000)).toBe(0);
    expect(connections - before).toBeGreaterThan(10);
    const res = runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    // For a closing note: the measured results, kept where the caller asks (the scratch folder goes at the end).
    if (process.env.ISOBENCH_TEST_KEEP) await writeFile(join(process.env.ISOBENCH_TEST_KEEP, 'context-results.json'), JSON.stringify(res, null, 2));
    const row = res.environments.find((e) => e.name === 'docker-requests')!;
    expect(row.status, row.reason).toBe('completed');
    expect(row.facts['engine.name']).toBe('Docker');
    expect(row.facts['engine.host']).toBe(`unix://${sock}`);
    expect(res.host.facts['docker.host']).toBe(`unix://${sock}`);
    expect(res.host.facts['docker.host.rule']).toBe(`Docker context isobench-ctx (currentContext in ${home}/.docker/config.json)`);
    expect(res.host.facts['docker.engine']).toBe('Docker');
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain(`unix://${sock}`);
    expect(md).toContain('Docker context isobench-ctx');
  }, 1_200_000);

  it('DOCKER_CONTEXT naming a context that does not exist is one line with the cause and the fix, exit 2', async () => {
    const home = await homeWithContext('isobench-ctx', `unix://${sock}`);
    const out = join(scratch, 'missing');
    const r = await isobenchHidden(['run', '--only', 'docker', '--require', 'docker', '--out', out], runEnv(home, { DOCKER_CONTEXT: 'no-such-context' }), [], 120_000);
    expect(r.exitCode, String(r.stderr)).toBe(2);
    const line = String(r.stderr).split('\n').find((l) => l.includes('no-such-context'));
    expect(line, String(r.stderr)).toMatch(/not reachable: Docker context no-such-context \(DOCKER_CONTEXT\): no \S+\/contexts\/meta\/[0-9a-f]{64}\/meta\.json \(ENOENT\): the context does not exist/);
    expect(line).toMatch(/fix: list the contexts with docker context ls and choose one with docker context use NAME/);
  }, 180_000);
});
