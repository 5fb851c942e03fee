// `run --clean` (cleanCaches) against real parts, with what must survive planted beside what must go:
// a throwaway Docker daemon of its own (so the machine's images stay), a throwaway cache root, Vagrant box store
// and libvirt volumes. The user's image, the user's tag on an isobench image, an image the user built FROM an
// isobench image, an image a container uses and the user's folders and volume all stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { configSchema, type Config } from '../../src/config/schema.js';
import { cleanCaches } from '../../src/lifecycle/caches.js';
import { buildImage } from '../../src/drivers/docker/build.js';
import { boxVolumePrefix } from '../../src/drivers/vm/vagrant-libvirt.js';
import { testContext } from '../helpers/context.js';

const asRoot = process.getuid?.() === 0;
const id = `${process.pid}-${Date.now().toString(36)}`;
const BOX = `isobench-test/clean-${id}`;
const OWN = `isobench/test-clean-${id}`;
const USER_VOLUME = `isobench-test-user-${id}.img`;
const BOX_VOLUME = `${boxVolumePrefix(BOX)}0_box.img`;
const virsh = (args: string[]) => execa('virsh', ['--connect', 'qemu:///system', ...args], { reject: false, timeout: 60_000 });

let dir: string;
let daemon: ResultPromise | undefined;
let docker: Docker;
let sock: string;
const saved = { cache: process.env.ISOBENCH_CACHE, vagrant: process.env.VAGRANT_HOME };

const cli = (args: string[], input?: string) => execa('docker', ['-H', `unix://${sock}`, ...args], { timeout: 120_000, ...(input !== undefined ? { input } : {}) });
const exists = (ref: string) => docker.getImage(ref).inspect().then((i) => i.Id, () => undefined);

describe.skipIf(!asRoot)('run --clean (cleanCaches), as root: a throwaway dockerd, cache root, box store and libvirt volumes', () => {
  let removed: string[] = [];
  const ids: Record<string, string | undefined> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isobench-test-clean-'));
    sock = join(dir, 'd.sock');
    // A daemon of the test's own: its own data, exec root, containerd and network namespace (its bridge setup
    // must not touch the machine's docker0: `--bridge none` in the host's namespace deletes it).
    daemon = execa('unshare', ['--net', 'dockerd', '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'x'), '-H', `unix://${sock}`, '--pidfile', join(dir, 'd.pid'),
      '--containerd-namespace', `isobench-test-${id}`, '--containerd-plugins-namespace', `isobench-test-${id}-p`,
      '--iptables=false', '--ip6tables=false'], { reject: false, timeout: 600_000, all: true });
    docker = new Docker({ socketPath: sock });
    for (let i = 0; i < 60 && !(await docker.ping().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 1000));
    await docker.ping();

    // The user's base image (no labels), from a one-file rootfs.
    const rootfs = join(dir, 'rootfs');
    await mkdir(rootfs);
    await writeFile(join(rootfs, 'hello'), 'mine\n');
    const tar = await execa('tar', ['-C', rootfs, '-c', '.'], { encoding: 'buffer', timeout: 30_000 });
    await execa('docker', ['-H', `unix://${sock}`, 'import', '-', 'mine/base:1'], { input: tar.stdout, timeout: 60_000 });

    // isobench's images: built as isobench builds (label isobench.version), each of its own content.
    const ctx = await testContext();
    for (const t of ['a', 'b', 'c', 'used']) {
      await buildImage(docker, { tag: `${OWN}:${t}`, context: [{ name: 'Dockerfile', content: `FROM mine/base:1\nLABEL test.image=${t}\nCMD ["/hello"]\n` }] }, ctx);
    }
    await ctx.cleanup.runAll();
    await cli(['tag', `${OWN}:b`, 'mine/alias:1']); // the user's own tag on an isobench image
    await cli(['build', '-q', '-t', 'mine/derived:1', '-'], `FROM ${OWN}:c\nLABEL mine=1\n`); // the user's image FROM one
    await docker.createContainer({ Image: `${OWN}:used`, Cmd: ['/hello'], name: `user-${id}` }); // a container uses :used
    for (const ref of [`${OWN}:a`, `${OWN}:b`, `${OWN}:c`, `${OWN}:used`, 'mine/base:1', 'mine/derived:1']) ids[ref] = await exists(ref);

    // The cache root: isobench's three cache folders, and the user's folder inside it and beside it.
    const root = join(dir, 'cache', 'isobench');
    for (const f of ['vm', 'vagrant', 'wheelhouse', 'mine']) {
      await mkdir(join(root, f), { recursive: true });
      await writeFile(join(root, f, 'file'), f);
    }
    await mkdir(join(dir, 'cache', 'beside'));
    await writeFile(join(dir, 'cache', 'beside', 'file'), 'beside');
    process.env.ISOBENCH_CACHE = root;

    // A box store of its own with one box (the test's name, not isobench's), and libvirt volumes: the box's and the user's.
    process.env.VAGRANT_HOME = join(dir, 'vagrant.d');
    const boxDir = join(dir, 'box');
    await mkdir(boxDir);
    await writeFile(join(boxDir, 'metadata.json'), JSON.stringify({ provider: 'libvirt', format: 'qcow2', virtual_size: 1 }));
    await execa('qemu-img', ['create', '-f', 'qcow2', join(boxDir, 'box.img'), '16M'], { timeout: 30_000 });
    await execa('tar', ['-C', boxDir, '-cf', join(dir, 'test.box'), 'metadata.json', 'box.img'], { timeout: 30_000 });
    await execa('vagrant', ['box', 'add', '--name', BOX, join(dir, 'test.box')], { timeout: 300_000, env: { VAGRANT_HOME: process.env.VAGRANT_HOME } });
    for (const v of [BOX_VOLUME, USER_VOLUME]) {
      const r = await virsh(['vol-create-as', 'default', v, '1M', '--format', 'qcow2']);
      expect(r.exitCode, `virsh vol-create-as ${v}: ${r.stderr}`).toBe(0);
    }

    const config: Config = configSchema.parse({ environments: { docker: { host: `unix://${sock}` } } });
    removed = await cleanCaches(['venv', 'docker', 'vm'], config, { box: BOX });
  }, 900_000);

  afterAll(async () => {
    process.env.ISOBENCH_CACHE = saved.cache;
    process.env.VAGRANT_HOME = saved.vagrant;
    if (saved.cache === undefined) delete process.env.ISOBENCH_CACHE;
    if (saved.vagrant === undefined) delete process.env.VAGRANT_HOME;
    for (const v of [BOX_VOLUME, USER_VOLUME]) await virsh(['vol-delete', '--pool', 'default', v]);
    if (docker) {
      for (const c of await docker.listContainers({ all: true }).catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    if (daemon) {
      const pid = await readFile(join(dir, 'd.pid'), 'utf8').catch(() => '');
      if (pid) process.kill(Number(pid), 'SIGTERM');
      await Promise.race([daemon, new Promise((r) => setTimeout(r, 30_000))]);
      daemon.kill('SIGKILL');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('removes an isobench image that only isobench tagged, and says so', async () => {
    expect(ids[`${OWN}:a`]).toBeDefined();
    expect(await exists(`${OWN}:a`)).toBeUndefined();
    expect(await exists(ids[`${OWN}:a`]!)).toBeUndefined();
    expect(removed).toContain(`${OWN}:a`);
  });

  it('keeps an isobench image the user tagged too: only isobench\'s tag goes', async () => {
    expect(await exists(`${OWN}:b`)).toBeUndefined();
    expect(await exists('mine/alias:1')).toBe(ids[`${OWN}:b`]);
  });

  it('keeps the image the user built FROM an isobench image (it inherits the label, not the tag)', async () => {
    expect(await exists('mine/derived:1')).toBe(ids['mine/derived:1']);
    const labels = (await docker.getImage('mine/derived:1').inspect()).Config.Labels ?? {};
    expect(labels['isobench.version']).toBeDefined();
  });

  it('keeps an isobench image a container uses, tag and all, and does not list it as removed', async () => {
    expect(await exists(`${OWN}:used`)).toBe(ids[`${OWN}:used`]);
    expect(removed).not.toContain(`${OWN}:used`);
  });

  it('keeps the user\'s own image', async () => {
    expect(await exists('mine/base:1')).toBe(ids['mine/base:1']);
  });

  it('removes the vm, vagrant and wheelhouse folders of the cache root and nothing else in or beside it', async () => {
    const root = join(dir, 'cache', 'isobench');
    expect((await readdir(root)).sort()).toEqual(['mine']);
    expect(await readFile(join(root, 'mine', 'file'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'cache', 'beside', 'file'), 'utf8')).toBe('beside');
    for (const f of ['vm', 'vagrant', 'wheelhouse']) expect(removed).toContain(join(root, f));
  });

  it('removes the box and its libvirt volume; the user\'s volume stays', async () => {
    const boxes = await execa('vagrant', ['box', 'list'], { timeout: 120_000, env: { VAGRANT_HOME: join(dir, 'vagrant.d') } });
    expect(boxes.stdout).not.toContain(BOX);
    expect(existsSync(join(dir, 'vagrant.d', 'boxes'))).toBe(true);
    const vols = await virsh(['vol-list', 'default']);
    expect(vols.exitCode).toBe(0);
    expect(vols.stdout).not.toContain(BOX_VOLUME);
    expect(vols.stdout).toContain(USER_VOLUME);
    expect(removed).toEqual(expect.arrayContaining([`vagrant box ${BOX}`, `libvirt volume ${BOX_VOLUME}`]));
  });
});
