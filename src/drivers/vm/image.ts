// The offline VM image: a debootstrapped Debian guest with the tiny init, the agent and a venv with
// the packages, as vmlinuz + initrd (direct kernel boot) + a qcow2 root disk, cached by content.
import { chmod, copyFile, cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cacheDir } from '../../lifecycle/paths.js';
import { runOk } from '../../lifecycle/process.js';
import { debootstrap, removeBuildTree } from '../../images/debian.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import type { DriverContext } from '../types.js';
import { AGENT_PATH, AGENT_SOURCE } from './guest-agent.js';
import { GUEST_VENV, INIT_PATH, INIT_SOURCE } from './guest-init.js';
import { convertArgv } from './qemu-img.js';

/** Bump when the recipe below changes in a way the key does not see. */
const RECIPE = 3;
const GUEST_PACKAGES = ['linux-image-amd64', 'python3', 'python3-venv', 'iproute2', 'kmod'];
/** The only modules the initrd needs to mount the root disk (MODULES=list keeps it small: faster under TCG). */
const INITRD_MODULES = ['virtio_pci', 'virtio_blk', 'ext4'];

export interface VmImageManifest {
  key: string;
  builtAt: string;
  /** Whole build (debootstrap, initrd, venv, install, filesystem image), ms. */
  buildMs: number;
  /** `pip install` of the packages into the guest venv during the build (chroot, offline wheelhouse), ms. */
  installMs: number;
  packages: string[];
  kernelRelease: string;
  pythonVersion: string;
  suite: string;
  diskGiB: number;
}

export interface VmImage {
  source: 'offline';
  dir: string;
  kernel: string;
  initrd: string;
  /** The base qcow2; guests boot from overlays on it and never write it. */
  disk: string;
  manifest: VmImageManifest;
}

/** The cache key of the offline image for this config: everything that changes its content. */
export function vmImageKey(ctx: Pick<DriverContext, 'config'>): string {
  const c = ctx.config;
  return createHash('sha256')
    .update(
      JSON.stringify([RECIPE, c.debian, c.packages, c.environments.vm.diskGiB, GUEST_PACKAGES, INITRD_MODULES, INIT_SOURCE, AGENT_SOURCE]),
    )
    .digest('hex')
    .slice(0, 16);
}

function imagePaths(dir: string, manifest: VmImageManifest): VmImage {
  return { source: 'offline', dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), disk: join(dir, 'root.qcow2'), manifest };
}

/** The cached offline image for this config, or undefined when it has not been built. */
export async function findVmImage(ctx: Pick<DriverContext, 'config'>): Promise<VmImage | undefined> {
  const dir = join(cacheDir(), 'vm', vmImageKey(ctx));
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
  return text ? imagePaths(dir, JSON.parse(text) as VmImageManifest) : undefined;
}

/** Builds (or reuses, unless force) the offline Debian guest image under cacheDir()/vm/<key>. */
export async function buildVmImage(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<VmImage & { built: boolean }> {
  const cached = opts.force ? undefined : await findVmImage(ctx);
  if (cached) return { ...cached, built: false };
  if (process.getuid?.() !== 0) {
    throw new Error('building the VM image needs root (debootstrap and chroot): run `isobench images build vm` as root once; the cached image is then usable by anyone');
  }
  const key = vmImageKey(ctx);
  const dir = join(cacheDir(), 'vm', key);
  const tmp = `${dir}.tmp-${process.pid}`;
  const removeTmp = ctx.cleanup.push(`vm image build dir ${tmp}`, () => removeBuildTree(tmp));
  try {
    const t0 = performance.now();
    await removeBuildTree(tmp);
    await mkdir(tmp, { recursive: true });
    const manifest = await buildInto(tmp, key, ctx);
    manifest.buildMs = Math.round(performance.now() - t0);
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    ctx.log.info(`vm image built in ${(manifest.buildMs / 1000).toFixed(0)} s: ${dir}`);
    return { ...imagePaths(dir, manifest), built: true };
  } finally {
    await removeTmp();
  }
}

async function buildInto(tmp: string, key: string, ctx: DriverContext): Promise<VmImageManifest> {
  const root = join(tmp, 'rootfs');
  const step = (name: string) => ({ step: `vm image: ${name}`, timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });
  const inRoot = (argv: string[], name: string) => runOk(['chroot', root, ...argv], step(name));

  await debootstrap(root, GUEST_PACKAGES, ctx);
  await writeFile(join(root, 'etc/initramfs-tools/conf.d/isobench.conf'), 'MODULES=list\n');
  await writeFile(join(root, 'etc/initramfs-tools/modules'), `${INITRD_MODULES.join('\n')}\n`);
  await inRoot(['update-initramfs', '-u', '-k', 'all'], 'update-initramfs');

  const pythonVersion = (await inRoot(['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], 'python version')).stdout.trim();
  await inRoot(['python3', '-m', 'venv', GUEST_VENV], 'python3 -m venv');
  const wheels = await ensureWheelhouse(ctx.config.packages, { pythonVersion }, ctx);
  await cp(wheels, join(root, 'tmp/wheels'), { recursive: true });
  const pip = [`${GUEST_VENV}/bin/python`, '-m', 'pip', 'install', '--no-index', '--no-cache-dir', '--disable-pip-version-check', '--find-links', '/tmp/wheels'];
  const install = await inRoot([...pip, ...ctx.config.packages], 'pip install (guest venv)');
  ctx.log.info(`vm image: ${ctx.config.packages.join(' ')} installed into the guest venv in ${(install.durationMs / 1000).toFixed(1)} s`);

  await writeGuestFiles(root);
  const boot = await readdir(join(root, 'boot'));
  const kernelFile = boot.find((f) => f.startsWith('vmlinuz-'));
  const initrdFile = boot.find((f) => f.startsWith('initrd.img-'));
  if (!kernelFile || !initrdFile) throw new Error(`vm image: no kernel/initrd in ${root}/boot (did linux-image-amd64 install?)`);
  for (const [from, to] of [[kernelFile, 'vmlinuz'], [initrdFile, 'initrd.img']] as const) {
    await copyFile(join(root, 'boot', from), join(tmp, to));
    await chmod(join(tmp, to), 0o644);
  }

  const diskGiB = ctx.config.environments.vm.diskGiB;
  const raw = join(tmp, 'root.raw');
  await runOk(['mkfs.ext4', '-q', '-F', '-L', 'isobench-root', '-d', root, raw, `${diskGiB}G`], step('mkfs.ext4 -d'));
  await runOk(convertArgv(raw, join(tmp, 'root.qcow2')), step('qemu-img convert'));
  await rm(raw, { force: true });
  await removeBuildTree(root);
  return {
    key,
    builtAt: new Date().toISOString(),
    buildMs: 0,
    installMs: Math.round(install.durationMs),
    packages: ctx.config.packages,
    kernelRelease: kernelFile.replace(/^vmlinuz-/, ''),
    pythonVersion,
    suite: ctx.config.debian.suite,
    diskGiB,
  };
}

/** The init, the agent and the small config a guest without systemd needs; drops apt's caches. */
async function writeGuestFiles(root: string): Promise<void> {
  await rm(join(root, 'tmp/wheels'), { recursive: true, force: true });
  await mkdir(join(root, 'opt/isobench'), { recursive: true });
  await writeFile(join(root, AGENT_PATH.slice(1)), AGENT_SOURCE, { mode: 0o755 });
  await writeFile(join(root, INIT_PATH.slice(1)), INIT_SOURCE, { mode: 0o755 });
  await writeFile(join(root, 'etc/hostname'), 'isobench-guest\n');
  await writeFile(join(root, 'etc/resolv.conf'), 'nameserver 10.0.2.3\n');
  for (const d of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    for (const f of await readdir(join(root, d)).catch(() => [] as string[])) {
      if (f !== 'partial' && f !== 'lock') await rm(join(root, d, f), { recursive: true, force: true });
    }
  }
}
