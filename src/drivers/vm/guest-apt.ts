// Packages apt installs into a guest's root in a chroot at image build (the desktop task), from the mirror
// debootstrap wrote into its sources; services are not started (policy-rc.d), /proc is mounted for the scripts.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';

/** The environment apt and dpkg need in the chroot: no questions, no locale of the host. */
const APT_ENV = ['env', 'DEBIAN_FRONTEND=noninteractive', 'LC_ALL=C.UTF-8'];

/** apt-get install of `packages` with their Recommends, keeping the packaged config files (pure). */
export function aptInstallArgv(packages: readonly string[]): string[] {
  const keepConfig = ['-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];
  return [...APT_ENV, 'apt-get', 'install', '-y', '-q', '--install-recommends', '--no-install-suggests', ...keepConfig, ...packages];
}

/** The argv that lists every package dpkg knows in the root as "status name" lines (pure). */
export const DPKG_LIST_ARGV = ['dpkg-query', '-W', '-f', '${db:Status-Status} ${Package}\\n'];

/** The installed packages of a dpkg-query -W with DPKG_LIST_ARGV's format (pure). */
export function installedPackages(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([status, name]) => status === 'installed' && name)
    .map(([, name]) => name!);
}

/** Services a package's scripts would start in the chroot are refused (invoke-rc.d's policy: exit 101). */
const POLICY_RC = '#!/bin/sh\nexit 101\n';

export interface AptResult {
  /** apt-get update + install, ms. */
  ms: number;
  /** How many packages the root holds afterwards. */
  installed: number;
}

/**
 * apt-get update and install of `packages` (with Recommends) into `root`, then apt-get clean; the asked packages must
 * be installed afterwards. The deadline is 4 × timeouts.stepSec: a desktop task is some 1500 packages.
 */
export async function aptIntoGuest(root: string, packages: readonly string[], ctx: DriverContext, label: string): Promise<AptResult> {
  const timeoutMs = ctx.config.timeouts.stepSec * 1000 * 4;
  const step = (name: string) => ({ step: `vm image (${label}): ${name}`, timeoutMs, signal: ctx.signal, group: true });
  const inRoot = (argv: string[], name: string) => runOk(['chroot', root, ...argv], step(name));
  const policy = join(root, 'usr/sbin/policy-rc.d');
  await writeFile(policy, POLICY_RC, { mode: 0o755 });
  const proc = join(root, 'proc');
  await mkdir(proc, { recursive: true });
  await runOk(['mount', '-t', 'proc', 'proc', proc], step('mount /proc'));
  const unmount = ctx.cleanup.push(`mount ${proc}`, async () => {
    await run(['umount', '-l', proc], { step: `umount ${proc}`, timeoutMs: 30_000 });
  });
  try {
    const t0 = performance.now();
    await inRoot([...APT_ENV, 'apt-get', 'update', '-q'], 'apt-get update');
    const install = await run(['chroot', root, ...aptInstallArgv(packages)], step(`apt-get install ${packages.join(' ')}`));
    if (install.timedOut || install.exitCode !== 0) {
      const tail = (install.stderr || install.stdout).trim().split('\n').slice(-5).join('\n');
      const why = install.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exited with ${install.exitCode}: ${tail}`;
      throw new Error(
        `vm image (${label}): apt-get install ${packages.join(' ')} in the guest's chroot ${why}; check that every name in environments.vm.profiles.${label}.packages is a package of Debian ${ctx.config.debian.suite} (apt-cache policy NAME), and that the mirror in the guest's /etc/apt/sources.list (debootstrap's, from debian.mirror or this host's apt sources) answers`,
      );
    }
    const ms = Math.round(performance.now() - t0);
    await inRoot([...APT_ENV, 'apt-get', 'clean'], 'apt-get clean');
    const have = installedPackages((await inRoot(DPKG_LIST_ARGV, 'dpkg-query')).stdout);
    const missing = packages.filter((p) => !have.includes(p));
    if (missing.length) throw new Error(`vm image (${label}): apt-get reported success but ${missing.join(', ')} is not installed in the guest's root`);
    ctx.log.info(`vm image (${label}): apt installed ${packages.join(' ')} (${have.length} packages in the root) in ${(ms / 1000).toFixed(0)} s`);
    return { ms, installed: have.length };
  } finally {
    await unmount();
    await rm(policy, { force: true });
  }
}
