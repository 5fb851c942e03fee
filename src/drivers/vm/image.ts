// The offline VM images, one builder for every guest profile: a debootstrapped Debian guest with the
// agent and a venv with the packages. micro: the tiny init, vmlinuz + initrd outside (direct kernel
// boot) and a qcow2 of the bare filesystem; full: systemd, networkd, sshd and the agent as a unit, on
// a partitioned qcow2 that boots through extlinux; desktop: the full guest plus a desktop task apt
// installs in the chroot. Cached by content.
import { chmod, copyFile, cp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cacheDir } from '../../lifecycle/paths.js';
import { runOk } from '../../lifecycle/process.js';
import { debianPythonPackages, debootstrap, removeBuildTree, withSuite } from '../../images/debian.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import type { DriverContext } from '../types.js';
import { writeBootDisk } from './boot-disk.js';
import { AGENT_PATH, AGENT_SOURCE } from './guest-agent.js';
import { GUEST_VENV, INIT_PATH, INIT_SOURCE } from './guest-init.js';
import {
  AGENT_START_PATH,
  AGENT_START_SOURCE,
  AGENT_UNIT,
  AGENT_UNIT_NAME,
  ENABLED_UNITS,
  extlinuxConf,
  FSTAB,
  NETWORK_UNIT,
  ROOT_LABEL,
} from './guest-systemd.js';
import { aptIntoGuest } from './guest-apt.js';
import { guestProfile, PROFILES, type GuestProfile, type ProfileName } from './profiles.js';
import { convertArgv } from './qemu-img.js';

/** Bump when the recipe below changes in a way the key does not see. */
const RECIPE = 4;

export interface VmImageManifest {
  key: string;
  profile: ProfileName;
  builtAt: string;
  /** Whole build (debootstrap, initrd, venv, install, filesystem image), ms. */
  buildMs: number;
  /** `pip install` of the packages into the guest venv during the build (chroot, offline wheelhouse), ms; absent when they came from Debian. */
  installMs?: number;
  /** The profile's aptPackages (the desktop task), installed with apt-get in the chroot, with Recommends; absent when none. */
  aptPackages?: string[];
  /** That apt-get update + install, ms. */
  aptMs?: number;
  /** How many Debian packages the guest's root holds (dpkg-query), when apt installed some. */
  debPackageCount?: number;
  /** The packages as Debian packages of the suite (debian.packagesFrom: debian), in the debootstrap; the venv sees them. */
  debianPackages?: string[];
  packages: string[];
  kernelRelease: string;
  pythonVersion: string;
  suite: string;
  diskGiB: number;
}

export interface VmImage {
  source: 'offline';
  profile: ProfileName;
  dir: string;
  /** Direct kernel boot (micro); absent when the disk boots through its own boot loader (full, desktop). */
  kernel?: string;
  initrd?: string;
  /** The base qcow2; guests boot from overlays on it and never write it. */
  disk: string;
  manifest: VmImageManifest;
}

/** The sources a profile's image is made of, besides the config. */
function profileSources(p: GuestProfile): string[] {
  return p.boot === 'direct' ? [INIT_SOURCE, AGENT_SOURCE] : [AGENT_SOURCE, AGENT_START_SOURCE, AGENT_UNIT, NETWORK_UNIT, FSTAB, extlinuxConf('K', 'I')];
}

/** The cache key of the offline image of `profile` for this config: everything that changes its content. */
export function vmImageKey(ctx: Pick<DriverContext, 'config'>, profile: ProfileName): string {
  const c = ctx.config;
  const p = guestProfile(profile, c.environments.vm);
  // The apt step enters the key only for a profile that has one (the keys of full and micro stay as they were).
  const apt = p.aptPackages.length ? [p.aptPackages, p.defaultTarget ?? null] : [];
  const recipe = [p.name, p.packages, p.boot, p.initrdModules, p.diskGiB, ...apt];
  // packagesFrom enters the key only when it is not the default pip (the keys of images built before it stay valid).
  const { packagesFrom, ...debian } = c.debian;
  const source = packagesFrom === 'pip' ? debian : c.debian;
  return createHash('sha256')
    .update(JSON.stringify([RECIPE, source, c.packages, recipe, profileSources(p)]))
    .digest('hex')
    .slice(0, 16);
}

function imagePaths(dir: string, manifest: VmImageManifest): VmImage {
  const disk = join(dir, 'root.qcow2');
  if (PROFILES[manifest.profile].boot === 'firmware') return { source: 'offline', profile: manifest.profile, dir, disk, manifest };
  return { source: 'offline', profile: manifest.profile, dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), disk, manifest };
}

/** The cached offline image of `profile` for this config, or undefined when it has not been built. */
export async function findVmImage(ctx: Pick<DriverContext, 'config'>, profile: ProfileName): Promise<VmImage | undefined> {
  const dir = join(cacheDir(), 'vm', vmImageKey(ctx, profile));
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
  return text ? imagePaths(dir, JSON.parse(text) as VmImageManifest) : undefined;
}

/** Builds (or reuses, unless force) the offline image of every guest in environments.vm.guests, then the micro guest of each vm.suites entry. */
export async function buildVmImages(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<VmImage[]> {
  const out: VmImage[] = [];
  for (const profile of ctx.config.environments.vm.guests) out.push(await buildVmImage(ctx, profile, opts));
  for (const suite of ctx.config.environments.vm.suites) out.push(await buildVmImage(withSuite(ctx, suite), 'micro', opts));
  return out;
}

/** Builds (or reuses, unless force) the offline Debian image of one guest profile under cacheDir()/vm/<key>. */
export async function buildVmImage(ctx: DriverContext, profile: ProfileName, opts: { force?: boolean } = {}): Promise<VmImage & { built: boolean }> {
  const cached = opts.force ? undefined : await findVmImage(ctx, profile);
  if (cached) return { ...cached, built: false };
  if (process.getuid?.() !== 0) {
    throw new Error('building the VM image needs root (debootstrap, chroot, a loop device): run `isobench images build vm` as root once; the cached image is then usable by anyone');
  }
  const key = vmImageKey(ctx, profile);
  const dir = join(cacheDir(), 'vm', key);
  const tmp = `${dir}.tmp-${process.pid}`;
  const removeTmp = ctx.cleanup.push(`vm image build dir ${tmp}`, () => removeBuildTree(tmp));
  try {
    const t0 = performance.now();
    await removeBuildTree(tmp);
    await mkdir(tmp, { recursive: true });
    const manifest = await buildInto(tmp, key, guestProfile(profile, ctx.config.environments.vm), ctx);
    manifest.buildMs = Math.round(performance.now() - t0);
    await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    ctx.log.info(`vm image (${profile}) built in ${(manifest.buildMs / 1000).toFixed(0)} s: ${dir}`);
    return { ...imagePaths(dir, manifest), built: true };
  } finally {
    await removeTmp();
  }
}

async function buildInto(tmp: string, key: string, profile: GuestProfile, ctx: DriverContext): Promise<VmImageManifest> {
  const root = join(tmp, 'rootfs');
  const step = (name: string) => ({ step: `vm image (${profile.name}): ${name}`, timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });
  const inRoot = (argv: string[], name: string) => runOk(['chroot', root, ...argv], step(name));

  const fromDebian = debianPythonPackages(ctx.config);
  await debootstrap(root, [...profile.packages, ...fromDebian], ctx);
  const apt = profile.aptPackages.length ? await aptIntoGuest(root, profile.aptPackages, ctx, profile.name) : undefined;
  if (profile.initrdModules !== 'most') {
    await writeFile(join(root, 'etc/initramfs-tools/conf.d/isobench.conf'), 'MODULES=list\n');
    await writeFile(join(root, 'etc/initramfs-tools/modules'), `${profile.initrdModules.join('\n')}\n`);
    await inRoot(['update-initramfs', '-u', '-k', 'all'], 'update-initramfs');
  }

  const pythonVersion = (await inRoot(['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], 'python version')).stdout.trim();
  // Packages from Debian live in the system's site-packages: the guest venv sees them.
  await inRoot(['python3', '-m', 'venv', ...(fromDebian.length ? ['--system-site-packages'] : []), GUEST_VENV], 'python3 -m venv');
  const installMs = fromDebian.length ? undefined : await pipIntoGuestVenv(root, pythonVersion, inRoot, ctx);

  await writeCommonFiles(root);
  const boot = await readdir(join(root, 'boot'));
  const kernelFile = boot.find((f) => f.startsWith('vmlinuz-'));
  const initrdFile = boot.find((f) => f.startsWith('initrd.img-'));
  if (!kernelFile || !initrdFile) throw new Error(`vm image: no kernel/initrd in ${root}/boot (did linux-image-amd64 install?)`);

  const raw = join(tmp, 'root.raw');
  if (profile.boot === 'direct') {
    await writeMicroFiles(root);
    for (const [from, to] of [[kernelFile, 'vmlinuz'], [initrdFile, 'initrd.img']] as const) {
      await copyFile(join(root, 'boot', from), join(tmp, to));
      await chmod(join(tmp, to), 0o644);
    }
    await runOk(['mkfs.ext4', '-q', '-F', '-L', ROOT_LABEL, '-d', root, raw, `${profile.diskGiB}G`], step('mkfs.ext4 -d'));
  } else {
    await writeFullFiles(root, kernelFile, initrdFile);
    for (const unit of ENABLED_UNITS) await inRoot(['systemctl', 'enable', unit], `systemctl enable ${unit}`);
    if (profile.defaultTarget) await inRoot(['systemctl', 'set-default', profile.defaultTarget], `systemctl set-default ${profile.defaultTarget}`);
    await writeBootDisk(root, raw, profile.diskGiB, ctx);
  }
  await runOk(convertArgv(raw, join(tmp, 'root.qcow2')), step('qemu-img convert'));
  await rm(raw, { force: true });
  await removeBuildTree(root);
  return {
    key,
    profile: profile.name,
    builtAt: new Date().toISOString(),
    buildMs: 0,
    ...(installMs === undefined ? { debianPackages: fromDebian } : { installMs }),
    ...(apt ? { aptPackages: [...profile.aptPackages], aptMs: apt.ms, debPackageCount: apt.installed } : {}),
    packages: ctx.config.packages,
    kernelRelease: kernelFile.replace(/^vmlinuz-/, ''),
    pythonVersion,
    suite: ctx.config.debian.suite,
    diskGiB: profile.diskGiB,
  };
}

/** pip install of config.packages into the guest venv from a wheelhouse for its Python (chroot, offline); its ms. */
async function pipIntoGuestVenv(
  root: string,
  pythonVersion: string,
  inRoot: (argv: string[], name: string) => Promise<{ durationMs: number }>,
  ctx: DriverContext,
): Promise<number> {
  const wheels = await ensureWheelhouse(ctx.config.packages, { pythonVersion }, ctx);
  await cp(wheels, join(root, 'tmp/wheels'), { recursive: true });
  const pip = [`${GUEST_VENV}/bin/python`, '-m', 'pip', 'install', '--no-index', '--no-cache-dir', '--disable-pip-version-check', '--find-links', '/tmp/wheels'];
  const install = await inRoot([...pip, ...ctx.config.packages], 'pip install (guest venv)');
  ctx.log.info(`vm image: ${ctx.config.packages.join(' ')} installed into the guest venv in ${(install.durationMs / 1000).toFixed(1)} s`);
  return Math.round(install.durationMs);
}

/** The agent and the hostname every guest has; drops the build's wheels and apt's caches. */
async function writeCommonFiles(root: string): Promise<void> {
  await rm(join(root, 'tmp/wheels'), { recursive: true, force: true });
  await mkdir(join(root, 'opt/isobench'), { recursive: true });
  await writeFile(join(root, AGENT_PATH.slice(1)), AGENT_SOURCE, { mode: 0o755 });
  await writeFile(join(root, 'etc/hostname'), 'isobench-guest\n');
  for (const d of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
    for (const f of await readdir(join(root, d)).catch(() => [] as string[])) {
      if (f !== 'partial' && f !== 'lock') await rm(join(root, d, f), { recursive: true, force: true });
    }
  }
}

/** The micro guest's PID 1 (a shell init) and its static resolver (no DHCP client runs). */
async function writeMicroFiles(root: string): Promise<void> {
  await writeFile(join(root, INIT_PATH.slice(1)), INIT_SOURCE, { mode: 0o755 });
  await writeFile(join(root, 'etc/resolv.conf'), 'nameserver 10.0.2.3\n');
}

/** The full guest's fstab, networkd DHCP, resolver link, agent unit and boot menu. */
async function writeFullFiles(root: string, kernelFile: string, initrdFile: string): Promise<void> {
  await writeFile(join(root, 'etc/fstab'), FSTAB);
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n127.0.1.1 isobench-guest\n');
  await writeFile(join(root, 'etc/systemd/network/80-isobench-dhcp.network'), NETWORK_UNIT);
  await rm(join(root, 'etc/resolv.conf'), { force: true });
  await writeFile(join(root, 'etc/resolv.conf'), 'nameserver 10.0.2.3\n');
  await writeFile(join(root, AGENT_START_PATH.slice(1)), AGENT_START_SOURCE, { mode: 0o755 });
  await writeFile(join(root, 'etc/systemd/system', AGENT_UNIT_NAME), AGENT_UNIT);
  await mkdir(join(root, 'boot/extlinux'), { recursive: true });
  await writeFile(join(root, 'boot/extlinux/extlinux.conf'), extlinuxConf(kernelFile, initrdFile));
}
