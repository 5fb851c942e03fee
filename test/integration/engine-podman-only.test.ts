// A machine with Podman and no Docker engine, with real parts: a rootful `podman system service` started here, seen by
// the run at Podman's default socket (/run/podman/podman.sock, bound in a private mount namespace), and
// /run/docker.sock hidden from the run the same way (helpers/hidden-engines.ts). The machine's dockerd keeps running.
// Podman builds the requests image itself (/build, offline, from the wheelhouse); its storage gets the offline base and
// the suite images from dockerd's here (they are debootstrapped once by `isobench images build docker`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { runResultsSchema, type RunResults } from '../../src/results/schema.js';
import { copyImage, PODMAN_IGNORES_RUNTIME } from '../../src/drivers/docker/row-engine.js';
import { inspectImage } from '../../src/drivers/docker/build.js';
import { suiteImage } from '../../src/drivers/docker/suites.js';
import { labels, newRunId } from '../../src/lifecycle/labels.js';
import { currentOwner } from '../../src/lifecycle/owner.js';
import { cacheDir } from '../../src/lifecycle/paths.js';
import { testContext } from '../helpers/context.js';
import { isobenchHidden } from '../helpers/hidden-engines.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ROOTLESS = 'unix:///run/user/1001/podman/podman.sock';
const SUITES = ['bullseye', 'trixie'];
let scratch: string;
let podmanDir: string;
let service: ResultPromise | undefined;
let res: RunResults;
let report: string;
let stderr: string;
const teardown: (() => Promise<unknown>)[] = [];

async function answers(docker: Docker, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await docker.ping();
      return;
    } catch (err) {
      if (Date.now() > end) throw new Error(`podman system service did not answer in ${ms} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

beforeAll(async () => {
  const dockerd = new Docker();
  await dockerd.ping();
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-podman-'));
  teardown.push(() => rm(scratch, { recursive: true, force: true }));
  podmanDir = join(scratch, 'run-podman');
  await mkdir(podmanDir);
  // The mount point of the bind in the run's namespace (Podman's own runtime dir; removed again if made here).
  if (!existsSync('/run/podman')) {
    await mkdir('/run/podman');

    teardown.push(() => rmdir('/run/podman').catch(() => undefined));
  }
  const sock = join(podmanDir, 'podman.sock');
  // Rootful Podman gives its containers 1048576 open files and processes unless containers.conf says otherwise (the limit a systemd
  // service has). Under a lower hard limit without CAP_SYS_RESOURCE (a container's root), runc cannot set that: this
  // service's containers get the hard limit this test has instead (its own containers.conf; compiled-in defaults else).
  const limits = await readFile('/proc/self/limits', 'utf8');
  const hard = (what: string) => new RegExp(`^Max ${what}\\s+\\S+\\s+(\\d+)`, 'm').exec(limits)?.[1] ?? '1048576';
  const conf = join(scratch, 'containers.conf');
  // nproc: runc here could not set this session's own hard limit (96369) either, 4096 it could; ample for these rows.
  const [nofile, nproc] = [hard('open files'), String(Math.min(Number(hard('processes')), 4096))];
  await writeFile(conf, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n`);
  const argv = ['system', 'service', '--time=0', `unix://${sock}`];
  service = execa('podman', argv, { reject: false, timeout: 3_000_000, cwd: '/', stdin: 'ignore', env: { CONTAINERS_CONF: conf } });
  const svc = service;
  teardown.push(async () => (svc.kill('SIGTERM'), await svc));
  const podman = new Docker({ socketPath: sock, timeout: 60_000 });
  await answers(podman, 30_000).catch(async (err: Error) => {
    svc.kill('SIGTERM');
    throw new Error(`${err.message}; podman said: ${String((await svc).stderr).slice(-1000)}`);
  });
  // The images isobench debootstraps (root, minutes each) come over from dockerd's storage once; the requests image is
  // built by Podman in the run.
  const ctx = await testContext();
  for (const image of [ctx.config.environments.docker.offlineBase, ...SUITES.map(suiteImage)]) {
    expect(await inspectImage(dockerd, image), `${image} missing in dockerd: run isobench images build docker`).toBeDefined();
    if (!(await inspectImage(podman, image))) await copyImage(dockerd, podman, image, ctx);
  }
  expect(await ctx.cleanup.runAll()).toEqual([]);

  const home = await mkdtemp(join(scratch, 'home-'));
  const out = join(scratch, 'out');
  const env = { PATH: process.env.PATH!, HOME: home, ISOBENCH_CACHE: cacheDir(), LANG: 'C.UTF-8' };
  const cfg = join(scratch, 'podman.yaml');
  await writeFile(cfg, `environments:\n  docker:\n    pull: never\n    suites: [${SUITES.join(', ')}]\n`);
  const r = await isobenchHidden(['run', '--only', 'docker', '--config', cfg, '--samples', '2', '--lang', 'en', '--out', out], env, [`${podmanDir}=/run/podman`]);
  stderr = String(r.stderr);
  res = runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
  report = await readFile(join(out, 'report.md'), 'utf8');
  // For a closing note: the measured results, kept where the caller asks (the scratch folder goes at the end).
  if (process.env.ISOBENCH_TEST_KEEP) await writeFile(join(process.env.ISOBENCH_TEST_KEEP, 'podman-only-results.json'), JSON.stringify(res, null, 2));
}, 1_800_000);

afterAll(async () => {
  for (const t of teardown.reverse()) await t();
}, 120_000);

const row = (name: string) => res.environments.find((e) => e.name === name)!;

describe('a Podman-only machine (no Docker engine reachable)', () => {
  it('finds rootful Podman by the discovery order, after the Docker sockets it tried, and the report says so', () => {
    expect(res.complete, stderr).toBe(true);
    expect(res.host.facts['docker.engine']).toBe('Podman');
    expect(res.host.facts['docker.host']).toBe('unix:///run/podman/podman.sock');
    expect(res.host.facts['docker.host.rule']).toBe('rootful Podman (/run/podman/podman.sock)');
    expect(res.host.facts['docker.host.tried']).toMatch(/^unix:\/\/\/var\/run\/docker\.sock \(the default socket\): /);
    expect(report).toContain('rootful Podman (/run/podman/podman.sock)');
  });

  it('runs the container row on Podman, built there, and labels it Podman', () => {
    const r = row('docker-requests');
    expect(r.status, `${r.reason}\n${stderr.slice(-2000)}`).toBe('completed');
    expect(r.facts['engine.name']).toBe('Podman');
    expect(r.facts['engine.host']).toBe('unix:///run/podman/podman.sock');
    expect(r.label).toMatch(/, on Podman \d+\.\d+\.\d+ \(its Docker-compatible API at unix:\/\/\/run\/podman\/podman\.sock\)$/);
    expect(r.steps.find((s) => s.step === 'docker build')).toMatchObject({ ok: true });
    expect(r.metrics['image.bytes']!.value).toBeGreaterThan(50e6);
    expect(r.metrics['ready.python.ms']!.samples).toHaveLength(2);
    expect(report).toMatch(/on Podman \d+\.\d+\.\d+/);
  });

  it("runs the rootless Podman row from the container row's image, copied from rootful Podman", () => {
    const r = row('podman-rootless');
    expect(r.status, r.reason).toBe('completed');
    expect(r.facts['engine.name']).toBe('Podman');
    expect(r.facts['engine.host']).toBe(ROOTLESS);
  });

  it('runs the suite rows on Podman', () => {
    for (const name of ['docker-bullseye', 'docker-trixie']) {
      const r = row(name);
      expect(r.status, `${name}: ${r.reason}`).toBe('completed');
      expect(r.facts['engine.name']).toBe('Podman');
      expect(r.label).toMatch(/on Podman \d/);
    }
  });
});

describe('gVisor on a Podman-only machine', () => {
  it("is skipped, saying why: Podman's compatible API does not apply HostConfig.Runtime (the row would not be gVisor)", () => {
    const r = row('docker-gvisor');
    expect(r.status).toBe('skipped');
    expect(r.reason).toBe(PODMAN_IGNORES_RUNTIME);
    expect(r.fix).toMatch(/--docker-host.*gvisor\.enabled: false/);
  });
});

describe('isobench cleanup on a machine with Podman', () => {
  it("lists a dead run's container on rootless Podman (dry run: nobody else's live work is touched)", async () => {
    const podman = new Docker({ socketPath: ROOTLESS.slice('unix://'.length) });
    const dead = `test-${newRunId()}`;
    // Its owner: a process that has exited (the owner labels isobench sets on create).
    const gone = execa('true');
    const pid = gone.pid!;
    await gone;
    const c = await podman.createContainer({ Image: 'isobench/requests:offline', Cmd: ['true'], Labels: labels(dead, { ...currentOwner(), pid, start: '1' }) });
    try {
      const r = await execa('node', [join(ROOT, 'bin', 'isobench.js'), 'cleanup', '--dry-run'], { reject: false, timeout: 120_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(`would remove container ${c.id.slice(0, 12)} (run ${dead})`);
    } finally {
      await c.remove({ force: true });
    }
  }, 180_000);
});
