// findLeftovers (what `isobench cleanup` removes) against real parts: manifests in a throwaway cache root, work
// folders in the temp dir, real QEMU processes and real containers. Each guard is planted beside what it must let
// through: a live run's things, a QEMU whose parent is a node process, a folder without a run id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { configSchema } from '../../src/config/schema.js';
import { findLeftovers, type Leftover } from '../../src/lifecycle/leftovers.js';
import { liveManifest, manifestDir, writeManifest } from '../../src/lifecycle/manifest.js';
import { labels } from '../../src/lifecycle/labels.js';
import { currentOwner, type Owner } from '../../src/lifecycle/owner.js';

const hex = () => randomBytes(3).toString('hex');
const DEAD = `test-20000101-000000-${hex()}`;
const LIVE = `test-20000101-000001-${hex()}`;
const config = configSchema.parse({});
const docker = new Docker();
const IMAGE = `isobench-test/leftovers:${DEAD}`;

let cache: string;
const saved = process.env.ISOBENCH_CACHE;
const children: ResultPromise[] = [];
const folders: string[] = [];
const containers: string[] = [];
let orphanPid = 0;
let found: Leftover[] = [];
let deadOwner: Owner;

const qemuArgv = (name: string) => ['-name', name, '-machine', 'none', '-display', 'none', '-nodefaults', '-monitor', 'none', '-serial', 'none', '-S'];
const ofRun = (runId: string) => found.filter((l) => l.runId === runId);
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readProcStat(pid));
function readProcStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'isobench-test-leftovers-'));
  process.env.ISOBENCH_CACHE = cache;
  // A dead run's manifest: the pid of a process that has exited. A live run's: this process, with its start time.
  const gone = execa('true');
  const gonePid = gone.pid!;
  await gone;
  await writeManifest({ ...liveManifest(DEAD), pid: gonePid, startTime: '1' });
  deadOwner = { ...currentOwner(), pid: gonePid, start: '1' };
  await writeManifest(liveManifest(LIVE));
  // Work folders of both runs, and a user's folder whose name has no run id.
  for (const name of [`isobench-${DEAD}-work`, `isobench-${LIVE}-work`, `isobench-notes-${hex()}`]) {
    const path = join(tmpdir(), name);
    await mkdir(path);
    await writeFile(join(path, 'file'), name);
    folders.push(path);
  }
  // QEMUs named for the dead run: one this node process started (the guard keeps it), one whose parent is gone.
  const child = execa('qemu-system-x86_64', qemuArgv(`isobench-${DEAD}-child`), { reject: false, timeout: 300_000 });
  children.push(child);
  const orphan = await execa('sh', ['-c', `setsid qemu-system-x86_64 ${qemuArgv(`isobench-${DEAD}-orphan`).join(' ')} >/dev/null 2>&1 & echo $!`], { timeout: 30_000 });
  orphanPid = Number(orphan.stdout.trim());
  // Containers labelled for the dead run and for the live one, from a one-file image of the test's own.
  const rootfs = join(cache, 'rootfs');
  await mkdir(rootfs);
  await writeFile(join(rootfs, 'hello'), 'x\n');
  const tar = await execa('tar', ['-C', rootfs, '-c', '.'], { encoding: 'buffer', timeout: 30_000 });
  await execa('docker', ['import', '-', IMAGE], { input: tar.stdout, timeout: 60_000 });
  for (const runId of [DEAD, LIVE]) containers.push((await docker.createContainer({ Image: IMAGE, Cmd: ['/hello'], Labels: labels(runId, runId === DEAD ? deadOwner : currentOwner()) })).id);
  // libvirt domains (as Vagrant's machines are) of both runs: defined, never started.
  for (const runId of [DEAD, LIVE]) {
    const xml = join(cache, `${runId}.xml`);
    await writeFile(xml, `<domain type='qemu'><name>isobench-${runId}-vm-vagrant-1-default</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>`);
    await execa('virsh', ['--connect', 'qemu:///system', 'define', xml], { timeout: 60_000 });
  }
  for (let i = 0; i < 50 && !existsSync(`/proc/${child.pid}`); i++) await new Promise((r) => setTimeout(r, 100));
  found = await findLeftovers(config);
}, 300_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (orphanPid) {
    try {
      process.kill(orphanPid, 'SIGKILL');
    } catch {
      /* removed by the test */
    }
  }
  for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
  for (const runId of [DEAD, LIVE]) await execa('virsh', ['--connect', 'qemu:///system', 'undefine', `isobench-${runId}-vm-vagrant-1-default`], { reject: false, timeout: 60_000 });
  for (const f of folders) await rm(f, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
  if (saved === undefined) delete process.env.ISOBENCH_CACHE;
  else process.env.ISOBENCH_CACHE = saved;
}, 120_000);

describe('findLeftovers', () => {
  it('lists nothing of a live run: not its manifest, work folder or container', () => {
    expect(ofRun(LIVE)).toEqual([]);
  });

  it('never lists a folder whose name carries no run id', () => {
    expect(found.map((l) => l.id)).not.toContain(folders[2]);
  });

  it('skips a QEMU whose parent is a node process, and lists the one whose parent is gone', () => {
    const qemus = ofRun(DEAD).filter((l) => l.kind === 'qemu');
    expect(qemus.map((l) => l.id)).toEqual([`pid ${orphanPid} (isobench-${DEAD}-orphan)`]);
  });

  it('lists the dead run\'s manifest, work folder and container, and removes each', async () => {
    const dead = ofRun(DEAD);
    expect(dead.map((l) => l.kind).sort()).toEqual(['container', 'domain', 'manifest', 'qemu', 'workdir']);
    expect(dead.find((l) => l.kind === 'workdir')!.id).toBe(folders[0]);
    expect(dead.find((l) => l.kind === 'container')!.id).toBe(containers[0]!.slice(0, 12));
    for (const l of dead) await l.remove();
    expect(existsSync(folders[0]!)).toBe(false);
    expect((await readdir(manifestDir())).sort()).toEqual([`${LIVE}.json`]);
    await expect(docker.getContainer(containers[0]!).inspect()).rejects.toMatchObject({ statusCode: 404 });
    for (let i = 0; i < 50 && alive(orphanPid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(orphanPid)).toBe(false);
    const doms = await execa('virsh', ['--connect', 'qemu:///system', 'list', '--all', '--name'], { timeout: 60_000 });
    expect(doms.stdout).not.toContain(`isobench-${DEAD}-`);
    expect(doms.stdout).toContain(`isobench-${LIVE}-vm-vagrant-1-default`);
  });

  it('leaves the live run\'s things and the node-parented QEMU running after the dead run\'s removal', async () => {
    expect(existsSync(folders[1]!)).toBe(true);
    expect((await docker.getContainer(containers[1]!).inspect()).Id).toBe(containers[1]);
    expect(alive(children[0]!.pid!)).toBe(true);
  });
});
