// A non-root user runs doctor's fix as printed, `sudo node …/bin/isobench.js images build vm` through real sudo:
// the images land in that user's own cache, owned by that user, and that user's doctor then finds the VM image.
// The micro guest only, copied from root's prebuilt cache into the user's (a build would take minutes here):
// what is checked is where the sudo build looks and writes, and whose the files are afterwards.
// Then that user runs as a normal engineer does: the VM row from the image the sudo build gave it, and the venv and
// Docker rows through the docker group. The user gets root's effective pip settings (this machine's index), as an
// engineer's own pip has a reachable index; nothing else of root's environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, chown, cp, mkdir, lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { vmImageKey } from '../../src/drivers/vm/image.js';
import { cacheDir } from '../../src/lifecycle/paths.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');
const PEER = process.env.ISOBENCH_PEER_USER ?? 'isobench-peer';
const asRoot = process.getuid?.() === 0;
const CONFIG = 'probePort: 18801\nenvironments:\n  vm:\n    guests: [micro]\n    suites: []\n';

let dir: string;
let cfg: string;
let peer: { uid: number; home: string };
let peerCache: string;
let copied: string;
let pipConf: string;
let cacheExisted = false;

/** As the peer user, with its own HOME and nothing of root's environment. */
const asPeer = (argv: string[]) =>
  execa('runuser', ['-u', PEER, '--', 'env', '-i', `HOME=${peer.home}`, `PATH=${process.env.PATH}`, ...argv], { reject: false, timeout: 600_000, cwd: '/' });

/** Every path below `root` whose owner is not uid. */
async function notOwnedBy(root: string, uid: number): Promise<string[]> {
  const st = await lstat(root);
  const out = st.uid === uid ? [] : [root];
  if (st.isDirectory()) for (const n of await readdir(root)) out.push(...(await notOwnedBy(join(root, n), uid)));
  return out;
}

describe.skipIf(!asRoot)('sudo isobench images build vm, as a normal user', () => {
  beforeAll(async () => {
    const id = await execa('id', ['-u', PEER], { reject: false, timeout: 10_000 });
    if (id.exitCode !== 0) throw new Error(`no user ${PEER}; run bash .ci/users.sh as root`);
    peer = { uid: Number(id.stdout.trim()), home: (await execa('getent', ['passwd', PEER], { timeout: 10_000 })).stdout.split(':')[5]! };
    peerCache = join(peer.home, '.cache', 'isobench');
    cacheExisted = existsSync(peerCache);
    dir = await mkdtemp(join(tmpdir(), 'isobench-test-sudo-'));
    await chmod(dir, 0o755);
    // The user's own folder for its runs' reports.
    await mkdir(join(dir, 'peer'));
    await chown(join(dir, 'peer'), peer.uid, peer.uid);
    cfg = join(dir, 'micro.yaml');
    // root's effective pip settings (`pip config list`: global.key='value'), for the user's pip.
    const settings = (await execa('python3', ['-m', 'pip', 'config', 'list'], { timeout: 60_000 })).stdout
      .split('\n')
      .map((l) => /^global\.([\w-]+)='(.*)'$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} = ${m[2]}`);
    pipConf = join(dir, 'pip.conf');
    await writeFile(pipConf, ['[global]', ...settings, ''].join('\n'), { mode: 0o644 });
    await writeFile(cfg, CONFIG, { mode: 0o644 });
    const key = vmImageKey({ config: configSchema.parse(parse(CONFIG)) }, 'micro');
    const prebuilt = join(cacheDir(), 'vm', key);
    if (!existsSync(join(prebuilt, 'manifest.json'))) throw new Error(`root's cache holds no micro image ${prebuilt}; run node bin/isobench.js images build vm`);
    copied = join(peerCache, 'vm', key);
    expect(existsSync(copied), `${copied} is there already: the test would not know what it put there`).toBe(false);
  }, 60_000);

  afterAll(async () => {
    await rm(cacheExisted ? copied : peerCache, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /** Runs `isobench run` as the peer; resolves with its exit, stderr and each environment's status (and reason). */
  async function peerRun(name: string, args: string[]): Promise<{ exitCode: number | undefined; stderr: string; statuses: Record<string, string>; ms: number }> {
    const out = join(dir, 'peer', name);
    const t0 = performance.now();
    const r = await asPeer(['env', `PIP_CONFIG_FILE=${pipConf}`, 'node', BIN, 'run', ...args, '--lang', 'en', '--out', out]);
    const ms = performance.now() - t0;
    const res = JSON.parse(await readFile(join(out, 'results.json'), 'utf8').catch(() => '{"environments":[]}')) as { environments: { name: string; status: string; reason?: string }[] };
    const statuses = Object.fromEntries(res.environments.map((e) => [e.name, e.reason ? `${e.status}: ${e.reason}` : e.status]));
    return { exitCode: r.exitCode, stderr: String(r.stderr), statuses, ms };
  }

  it('doctor prints the fix as a command that works from any folder', async () => {
    const r = await asPeer(['node', BIN, 'doctor', '--config', cfg]);
    expect(r.stdout).toMatch(/^vm\s+MISSING\s+no cached VM image for micro/m);
    expect(r.stdout).toContain(`run \`sudo node ${BIN} images build vm\` once: the images go into your cache`);
  }, 600_000);

  it('the sudo build works in the user\'s cache, gives every file to the user, and the user\'s doctor finds the image', async () => {
    // root's prebuilt image, copied into the user's cache as root (root-owned until the sudo build gives it away).
    await cp(join(cacheDir(), 'vm', copied.split('/').pop()!), copied, { recursive: true });
    expect((await stat(copied)).uid).toBe(0);
    const r = await asPeer(['sudo', '-n', 'node', BIN, 'images', 'build', 'vm', '--config', cfg]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: built into ${PEER}'s ${peerCache} (given to ${PEER}), where ${PEER}'s runs find it`);
    // The image it found (and would have built) is the one in the user's cache, not root's.
    expect(r.stderr).toMatch(new RegExp(`vm images ready in [\\d.]+ s: .*"${copied}/root\\.qcow2"`));
    expect(await notOwnedBy(peerCache, peer.uid)).toEqual([]);
    const d = await asPeer(['node', BIN, 'doctor', '--config', cfg]);
    expect(d.stdout).toMatch(/^vm\s+OK\s/m);
    expect(await notOwnedBy(peerCache, peer.uid)).toEqual([]);
  }, 900_000);

  it('the user then runs the VM rows: the micro guest from that image completes, as the user, and leaves nothing; Vagrant says what it needs', async () => {
    const r = await peerRun('vm', ['--only', 'vm', '--config', cfg, '--samples', '1']);
    // The Vagrant row needs its box added, which needs root: skipped, saying what it needs (not an error).
    expect(r.statuses, r.stderr.slice(-2000)).toEqual({
      'vm-micro': 'completed',
      'vm-vagrant': expect.stringMatching(/^skipped: box \S+ is not added and building it needs root$/),
    });
    expect(r.stderr).toContain(`fix: run \`sudo node ${BIN} images build vagrant\` once`);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    console.log(`normal user: --only vm (micro) took ${(r.ms / 1000).toFixed(1)} s`);
    const qemu = await execa('pgrep', ['-u', String(peer.uid), '-f', 'qemu-system'], { reject: false, timeout: 10_000 });
    expect(qemu.stdout.trim()).toBe('');
    expect(await notOwnedBy(peerCache, peer.uid)).toEqual([]);
  }, 900_000);

  it('the user runs the venv and Docker rows through the docker group: both complete', async () => {
    const rows = join(dir, 'rows.yaml');
    // The main container row: the suite, gVisor and rootless Podman rows run on the same driver (tested as root).
    await writeFile(rows, 'probePort: 18801\nenvironments:\n  docker:\n    suites: []\n    gvisor: { enabled: false }\n    podman: { enabled: false }\n', { mode: 0o644 });
    const r = await peerRun('rows', ['--only', 'venv,docker', '--config', rows, '--samples', '1', '--require', 'venv,docker']);
    expect(r.statuses, r.stderr.slice(-2000)).toEqual({ 'venv-python3': 'completed', 'docker-requests': 'completed' });
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    console.log(`normal user: --only venv,docker took ${(r.ms / 1000).toFixed(1)} s`);
  }, 900_000);
});
