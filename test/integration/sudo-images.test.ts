// A non-root user runs doctor's fix as printed, `sudo node …/bin/isobench.js images build vm` through real sudo:
// the images land in that user's own cache, owned by that user, and that user's doctor then finds the VM image.
// The micro guest only, copied from root's prebuilt cache into the user's (a build would take minutes here):
// what is checked is where the sudo build looks and writes, and whose the files are afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, cp, lstat, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
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
const CONFIG = 'environments:\n  vm:\n    guests: [micro]\n    suites: []\n';

let dir: string;
let cfg: string;
let peer: { uid: number; home: string };
let peerCache: string;
let copied: string;
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
    cfg = join(dir, 'micro.yaml');
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
});
