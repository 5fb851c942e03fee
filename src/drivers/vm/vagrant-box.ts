// The Vagrant box of the full guest: the same disk with a vagrant user holding Vagrant's published
// insecure key (sudo without a password), packed as a libvirt box (metadata.json, box.img, Vagrantfile).
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheDir } from '../../lifecycle/paths.js';
import { run, runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { withMount, withPartition } from './boot-disk.js';
import { GUEST_VENV } from './guest-init.js';
import { AGENT_UNIT_NAME } from './guest-systemd.js';
import { buildVmImage, vmImageKey } from './image.js';
import { convertArgv } from './qemu-img.js';

/** Bump when the recipe below changes in a way the key does not see. */
const RECIPE = 1;

/** The name `run` adds the locally built box under (environments.vm.vagrant.box's default). */
export const LOCAL_BOX = 'isobench/bookworm-full';

/** Where the vagrant package keeps Vagrant's published insecure public key (Debian's and upstream's layouts). */
export const INSECURE_KEY_PATHS = ['/usr/share/rubygems-integration/all/gems', '/usr/lib/ruby/vendor_ruby', '/opt/vagrant/embedded/gems/gems'];

/** metadata.json of a libvirt box of `virtualGiB`. */
export function boxMetadata(virtualGiB: number): string {
  return `${JSON.stringify({ provider: 'libvirt', format: 'qcow2', virtual_size: virtualGiB })}\n`;
}

/** The box's own Vagrantfile: libvirt's disk and network buses for this disk. */
export const BOX_VAGRANTFILE = `Vagrant.configure('2') do |config|
  config.vm.provider :libvirt do |libvirt|
    libvirt.disk_bus = 'virtio'
    libvirt.nic_model_type = 'virtio'
  end
end
`;

/** sudoers rule of the vagrant user, as Vagrant's base box convention has it. */
export const VAGRANT_SUDOERS = 'vagrant ALL=(ALL) NOPASSWD:ALL\n';

/** argv packing the box (a plain tar, as Vagrant reads it). */
export function boxTarArgv(dir: string, out: string): string[] {
  return ['tar', '-cf', out, '-C', dir, 'metadata.json', 'Vagrantfile', 'box.img'];
}

/** Vagrant's insecure public key from the installed vagrant package, or undefined. */
export async function findInsecureKey(): Promise<string | undefined> {
  for (const base of INSECURE_KEY_PATHS) {
    const r = await run(['find', base, '-path', '*/keys/vagrant.pub'], { step: 'find vagrant.pub', timeoutMs: 30_000 });
    const file = r.stdout.split('\n').find(Boolean);
    if (file) return readFile(file, 'utf8');
  }
  return undefined;
}

export interface VagrantBox {
  name: string;
  /** What it is made of (recipe, full image key, insecure key, Vagrantfile): names its file. */
  id: string;
  file: string;
  /** The full image it was made from (its cache key). */
  imageKey: string;
  buildMs: number;
  built: boolean;
}

/** Builds (or reuses, unless force) the libvirt box of the full guest under cacheDir()/vagrant/. */
export async function buildVagrantBox(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<VagrantBox> {
  const image = await buildVmImage(ctx, 'full');
  const key = await readInsecureKeyOrThrow();
  const id = boxId(image.manifest.key, key);
  const file = boxFile(id);
  const dir = dirname(file);
  const done = await stat(file).then(() => true, () => false);
  if (done && !opts.force) return { name: ctx.config.environments.vm.vagrant.box, id, file, imageKey: image.manifest.key, buildMs: 0, built: false };
  if (process.getuid?.() !== 0) throw new Error('building the Vagrant box needs root (a loop device and mount): run `isobench images build vagrant` as root once');
  const t0 = performance.now();
  const tmp = join(dir, `${id}.tmp-${process.pid}`);
  const removeTmp = ctx.cleanup.push(`vagrant box build dir ${tmp}`, () => rm(tmp, { recursive: true, force: true }));
  const step = (name: string) => ({ step: `vagrant box: ${name}`, timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });
  try {
    await mkdir(tmp, { recursive: true });
    const raw = join(tmp, 'box.raw');
    await runOk(['qemu-img', 'convert', '-q', '-f', 'qcow2', '-O', 'raw', image.disk, raw], step('qemu-img convert (to raw)'));
    await withPartition(raw, ctx, (part) => withMount(part, ctx, (root) => addVagrantUser(root, key, ctx)));
    await runOk(convertArgv(raw, join(tmp, 'box.img')), step('qemu-img convert (box.img)'));
    await rm(raw, { force: true });
    await writeFile(join(tmp, 'metadata.json'), boxMetadata(image.manifest.diskGiB));
    await writeFile(join(tmp, 'Vagrantfile'), BOX_VAGRANTFILE);
    await runOk(boxTarArgv(tmp, `${file}.part`), step('tar'));
    await rename(`${file}.part`, file);
    const buildMs = Math.round(performance.now() - t0);
    ctx.log.info(`vagrant box built in ${(buildMs / 1000).toFixed(0)} s: ${file}`);
    return { name: ctx.config.environments.vm.vagrant.box, id, file, imageKey: image.manifest.key, buildMs, built: true };
  } finally {
    await removeTmp();
  }
}

/** Where the box of build `id` is kept. */
export const boxFile = (id: string) => join(cacheDir(), 'vagrant', `${id}.box`);

function boxId(imageKey: string, insecureKey: string): string {
  return createHash('sha256').update(JSON.stringify([RECIPE, imageKey, insecureKey, BOX_VAGRANTFILE])).digest('hex').slice(0, 16);
}

/** The id the local box has for this config (without building anything), or undefined without Vagrant's key. */
export async function currentBoxId(ctx: Pick<DriverContext, 'config'>): Promise<string | undefined> {
  const key = await findInsecureKey();
  return key ? boxId(vmImageKey(ctx, 'full'), key) : undefined;
}

/**
 * Which box build Vagrant holds under a name: Vagrant keeps a locally added box as version 0 whatever
 * it contains, so isobench records the id it added (cacheDir()/vagrant/added.json) to tell a stale one.
 */
const addedFile = () => join(cacheDir(), 'vagrant', 'added.json');
const addedKey = (name: string, provider: string) => `${name} (${provider})`;

/** The whole record; a missing or damaged one is empty (every box is then re-added once). */
async function readAdded(): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(addedFile(), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

export async function addedBoxId(name: string, provider: string): Promise<string | undefined> {
  return (await readAdded())[addedKey(name, provider)];
}

export async function recordAddedBox(name: string, provider: string, id: string | undefined): Promise<void> {
  const all = await readAdded();
  if (id) all[addedKey(name, provider)] = id;
  else delete all[addedKey(name, provider)];
  await mkdir(dirname(addedFile()), { recursive: true });
  await writeFile(`${addedFile()}.part`, `${JSON.stringify(all, null, 2)}\n`);
  await rename(`${addedFile()}.part`, addedFile());
}

async function readInsecureKeyOrThrow(): Promise<string> {
  const key = await findInsecureKey();
  if (!key) throw new Error('Vagrant\'s insecure public key (keys/vagrant.pub) was not found: install vagrant (apt-get install vagrant) before building the box');
  return key;
}

/**
 * In the mounted root of a copy of the full guest: the vagrant user with the insecure key and sudo,
 * no isobench venv (the Vagrantfile's provisioner installs the packages, so the install is real), and
 * no agent unit (Vagrant talks over ssh; there is no virtio port for it).
 */
async function addVagrantUser(root: string, key: string, ctx: DriverContext): Promise<void> {
  await runOk(['chroot', root, 'useradd', '--create-home', '--shell', '/bin/bash', '--user-group', 'vagrant'], { step: 'vagrant box: useradd vagrant', timeoutMs: 60_000, signal: ctx.signal });
  const ssh = join(root, 'home/vagrant/.ssh');
  await mkdir(ssh, { recursive: true });
  await writeFile(join(ssh, 'authorized_keys'), key.endsWith('\n') ? key : `${key}\n`);
  await chmod(ssh, 0o700);
  await chmod(join(ssh, 'authorized_keys'), 0o600);
  await runOk(['chroot', root, 'chown', '-R', 'vagrant:vagrant', '/home/vagrant/.ssh'], { step: 'vagrant box: chown', timeoutMs: 60_000 });
  await writeFile(join(root, 'etc/sudoers.d/vagrant'), VAGRANT_SUDOERS, { mode: 0o440 });
  await rm(join(root, GUEST_VENV.slice(1)), { recursive: true, force: true });
  await rm(join(root, 'etc/systemd/system/multi-user.target.wants', AGENT_UNIT_NAME), { force: true });
}
