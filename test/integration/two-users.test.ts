// Two real users on one machine: root holds live work (a container and a work dir owned by this process) and
// a dead run's container; a second user in the docker group runs `isobench cleanup` meanwhile. The live work
// stays whole; root's dead container goes only with --all-users, named as root's; each user's cleanup takes
// its own dead leftovers and tells whose else it kept. Needs .ci/users.sh's user (ISOBENCH_PEER_USER).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { configSchema } from '../../src/config/schema.js';
import { labels } from '../../src/lifecycle/labels.js';
import { currentOwner, ownerTag, workDirPrefix, type Owner } from '../../src/lifecycle/owner.js';
import { findLeftovers } from '../../src/lifecycle/leftovers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');
const PEER = process.env.ISOBENCH_PEER_USER ?? 'isobench-peer';
const asRoot = process.getuid?.() === 0;
const hex = () => randomBytes(3).toString('hex');
const LIVE = `test-20000101-000001-${hex()}`;
const DEAD = `test-20000101-000000-${hex()}`;
const PEER_DEAD = `test-20000101-000002-${hex()}`;
const PEER_DEAD_2 = `test-20000101-000003-${hex()}`;
const docker = new Docker();
const IMAGE = `isobench-test/two-users:${LIVE}`;

let peer: { uid: number; home: string };
let liveDir: string;
const peerDirs: string[] = [];
const scratch: string[] = [];
let qemu: ResultPromise | undefined;
let dead: Owner;
const containers: Record<'live' | 'dead', string> = { live: '', dead: '' };

/** `isobench ARGS` as the peer user: its own HOME (so its own cache), its groups, nothing of root's environment. */
const asPeer = (args: string[]) =>
  execa('runuser', ['-u', PEER, '--', 'env', '-i', `HOME=${peer.home}`, `PATH=${process.env.PATH}`, 'node', BIN, ...args], { reject: false, timeout: 300_000, cwd: '/' });
/** A dead run's work dir of the peer's, made by the peer (its uid, its owner tag naming an exited pid). */
async function peerDeadDir(run: string): Promise<void> {
  const dir = join(tmpdir(), `isobench-${run}-${ownerTag({ ...dead, uid: peer.uid })}-w`);
  await execa('runuser', ['-u', PEER, '--', 'mkdir', dir], { timeout: 10_000 });
  peerDirs.push(dir);
}
const exists = (id: string) => docker.getContainer(id).inspect().then(() => true, () => false);

describe.skipIf(!asRoot)('two users: one user\'s cleanup during another\'s live work', () => {
  beforeAll(async () => {
    const id = await execa('id', ['-u', PEER], { reject: false, timeout: 10_000 });
    if (id.exitCode !== 0) throw new Error(`no user ${PEER}; run bash .ci/users.sh as root`);
    const home = (await execa('getent', ['passwd', PEER], { timeout: 10_000 })).stdout.split(':')[5]!;
    peer = { uid: Number(id.stdout.trim()), home };
    // A dead owner: a process that has exited.
    const gone = execa('true');
    const gonePid = gone.pid!;
    await gone;
    dead = { ...currentOwner(), pid: gonePid, start: '1' };
    // root's live work: a work dir (named with this process as owner) holding a file, and a container.
    liveDir = await mkdtemp(workDirPrefix(LIVE));
    await writeFile(join(liveDir, 'file'), 'live');
    const rootfs = await mkdtemp(join(tmpdir(), 'isobench-test-rootfs-'));
    await writeFile(join(rootfs, 'hello'), 'x\n');
    const tar = await execa('tar', ['-C', rootfs, '-c', '.'], { encoding: 'buffer', timeout: 30_000 });
    await rm(rootfs, { recursive: true, force: true });
    await execa('docker', ['import', '-', IMAGE], { input: tar.stdout, timeout: 60_000 });
    containers.live = (await docker.createContainer({ Image: IMAGE, Cmd: ['/hello'], Labels: labels(LIVE) })).id;
    // root's live QEMU, a child of this node process (a peer cannot read root's /proc/PID/exe to see that).
    qemu = execa('qemu-system-x86_64', ['-name', `isobench-${LIVE}-qemu`, '-machine', 'none', '-display', 'none', '-nodefaults', '-monitor', 'none', '-serial', 'none', '-S'], { reject: false, timeout: 600_000 });
    for (let i = 0; i < 50 && !existsSync(`/proc/${qemu.pid}`); i++) await new Promise((r) => setTimeout(r, 100));
    // root's dead run's container.
    containers.dead = (await docker.createContainer({ Image: IMAGE, Cmd: ['/hello'], Labels: labels(DEAD, dead) })).id;
    // The peer's dead run's work dir, made by the peer (its uid, its owner tag).
    await peerDeadDir(PEER_DEAD);
  }, 120_000);

  afterAll(async () => {
    qemu?.kill('SIGKILL');
    for (const c of Object.values(containers)) if (c) await docker.getContainer(c).remove({ force: true }).catch(() => undefined);
    await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
    for (const d of [liveDir, ...peerDirs, ...scratch]) if (d) await rm(d, { recursive: true, force: true });
  }, 60_000);

  it('the peer\'s cleanup removes its own dead work dir, leaves root\'s live and dead work, and says root\'s dead are kept', async () => {
    const r = await asPeer(['cleanup']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`removed workdir ${peerDirs[0]} (run ${PEER_DEAD})`);
    expect(existsSync(peerDirs[0]!)).toBe(false);
    expect(r.stdout).toMatch(/kept \d+ leftover\(s\) of other users' dead runs \([^)]*\broot: \d+[^)]*\); isobench cleanup --all-users removes them/);
    expect(r.stdout).not.toContain(LIVE);
    expect(r.stdout).not.toContain(DEAD);
    expect(await exists(containers.live)).toBe(true);
    expect(await exists(containers.dead)).toBe(true);
    expect(await readFile(join(liveDir, 'file'), 'utf8')).toBe('live');
  }, 300_000);

  it('--all-users: root\'s dead container goes, named as root\'s; root\'s live work stays whole', async () => {
    const dry = await asPeer(['cleanup', '--all-users', '--dry-run']);
    expect(dry.stdout).toContain(`would remove container ${containers.dead.slice(0, 12)} (run ${DEAD}, user root)`);
    expect(dry.stdout).not.toContain(LIVE);
    expect(await exists(containers.dead)).toBe(true);
    const r = await asPeer(['cleanup', '--all-users']);
    expect(r.stdout).toContain(`removed container ${containers.dead.slice(0, 12)} (run ${DEAD}, user root)`);
    expect(r.stdout + r.stderr).not.toContain(LIVE);
    expect(await exists(containers.dead)).toBe(false);
    expect(await exists(containers.live)).toBe(true);
    expect([qemu!.exitCode, qemu!.signalCode]).toEqual([null, null]);
    expect(await readFile(join(liveDir, 'file'), 'utf8')).toBe('live');
  }, 300_000);

  it('a real run of root\'s, live while the peer runs cleanup --all-users, completes whole', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'isobench-test-live-')), 'out');
    scratch.push(join(out, '..'));
    const child = execa('node', [BIN, 'run', '--only', 'venv', '--samples', '2', '--lang', 'en', '--out', out], { reject: false, timeout: 600_000 });
    const runId = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /isobench (\S+): venv[\s\S]*venv-python3: install/.exec(text);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`the run ended before its install: ${text}`)));
    });
    const workDir = (await readdir(tmpdir())).find((f) => f.startsWith(`isobench-${runId}-`));
    expect(workDir, 'the live run\'s work dir').toBeDefined();
    const c = await asPeer(['cleanup', '--all-users']);
    expect(c.stdout + c.stderr).not.toContain(runId);
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { runId: string; environments: { status: string }[] };
    expect([results.runId, results.environments.map((e) => e.status)]).toEqual([runId, ['completed']]);
  }, 600_000);

  it('root\'s view: the peer\'s dead work dir is the peer\'s (kept without --all-users), root\'s live work is not a leftover', async () => {
    await peerDeadDir(PEER_DEAD_2);
    const r = await execa('node', [BIN, 'cleanup', '--dry-run'], { reject: false, timeout: 300_000 });
    expect(r.stdout).not.toContain(peerDirs[1]);
    expect(r.stdout).toMatch(new RegExp(`kept \\d+ leftover\\(s\\) of other users' dead runs \\([^)]*\\b${PEER}: \\d+`));
    expect(r.stdout).not.toContain(LIVE);
    const all = await execa('node', [BIN, 'cleanup', '--dry-run', '--all-users'], { reject: false, timeout: 300_000 });
    expect(all.stdout).toContain(`would remove workdir ${peerDirs[1]} (run ${PEER_DEAD_2}, user ${PEER})`);
    // Removed as cleanup --all-users would (only this one: the machine may hold other dead runs' leftovers).
    const found = (await findLeftovers(configSchema.parse({}))).filter((l) => l.runId === PEER_DEAD_2);
    expect(found.map((l) => [l.kind, l.mine, l.uid])).toEqual([['workdir', false, peer.uid]]);
    await found[0]!.remove();
    expect(existsSync(peerDirs[1]!)).toBe(false);
    expect(existsSync(liveDir)).toBe(true);
  }, 300_000);
});
