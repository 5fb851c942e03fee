// One Vagrant machine of the Vagrant row: made from the box once (`vagrant up`), booted again after
// `vagrant halt` (a start sample), reached over plain ssh with the options `vagrant ssh-config` gave.
import { ownerTag } from '../../lifecycle/owner.js';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from '../../lifecycle/process.js';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import type { ProcessTimer } from '../../measure/timer.js';
import type { DriverContext, ExecOptions, ExecResult } from '../types.js';
import { assertPortsFree } from './boot.js';
import type { Publish } from './qemu-args.js';
import { waitForForward } from './vagrant-libvirt.js';
import { vagrantUp } from './vagrant-up.js';
import {
  asRootRefused,
  destroyArgv,
  haltArgv,
  parseReadyProbe,
  parseSshConfig,
  plainSshArgv,
  READY_PROBE,
  sshConfigArgv,
  sshExitArgv,
  sshMasterArgv,
  type SshLink,
  upArgv,
  vagrantEnv,
  type VagrantMachine as MachineVars,
} from './vagrant-args.js';
import type { VmConfig } from './config.js';

const TEMPLATE = join(PACKAGE_ROOT, 'vagrant', 'Vagrantfile');

/** A machine and its state: made from the box (provisioned or not yet), running or halted. */
export interface Machine {
  /** Carries the run id: isobench-<runId>-<env>-<n>. */
  name: string;
  dir: string;
  /** The libvirt domain: <machine name>-default. */
  domain: string;
  /** What every vagrant command of this machine gets (ISOBENCH_* of its Vagrantfile, VAGRANT_CWD). */
  vars: Record<string, string>;
  running: boolean;
  provisioned: boolean;
  /** Plain ssh's config and master socket; set at the first boot. */
  link?: SshLink;
  /** Runs `vagrant destroy -f` and removes the machine folder and its ssh socket folder; idempotent. */
  teardown(): Promise<void>;
}

/** What the machines of one env share: the Vagrantfile's settings and the run's limits. */
export interface MachineSettings {
  vm: VmConfig;
  machine: Omit<MachineVars, 'name' | 'publish'>;
  /** Where `vagrant destroy -f` times are collected (one per machine). */
  destroyMs: number[];
}

/** Phases of one boot in ms since t0: booted (vagrant's), up (vagrant up returned), ssh, firmware, kernel, multiUser, ready. */
export type BootPhases = Record<string, number>;

/**
 * A new machine from the box: its folder and Vagrantfile, then `vagrant up` (with or without the
 * provisioners); the teardown is on ctx.cleanup before anything exists in libvirt.
 */
export async function createMachine(
  id: string,
  s: MachineSettings,
  ctx: DriverContext,
  opts: { publish: Publish[]; provision: boolean },
): Promise<{ machine: Machine; phases: BootPhases }> {
  const dir = join(ctx.workDir, 'vagrant', id);
  await mkdir(dir, { recursive: true });
  await copyFile(TEMPLATE, join(dir, 'Vagrantfile'));
  // The owner in the name: libvirt's domain (name-default) is then judged from /proc by any user's cleanup.
  const name = `isobench-${ctx.runId}-${ownerTag()}-${id}`;
  const vars = vagrantEnv(s.vm, { ...s.machine, name, publish: [] }, dir);
  const cleanupMs = ctx.config.timeouts.cleanupSec * 1000;
  const machine: Machine = { name, dir, domain: `${name}-default`, vars, running: false, provisioned: false, teardown: async () => undefined };
  machine.teardown = ctx.cleanup.push(`vagrant machine ${name}`, async () => {
    await closeLink(machine);
    const r = await runOk(destroyArgv(), { step: 'vagrant destroy -f', timeoutMs: cleanupMs, env: vars });
    s.destroyMs.push(Math.round(r.durationMs));
    await rm(dir, { recursive: true, force: true });
    if (machine.link) await rm(join(machine.link.controlPath, '..'), { recursive: true, force: true });
  });
  try {
    const phases = await boot(machine, s, ctx, opts);
    machine.provisioned = opts.provision;
    return { machine, phases };
  } catch (err) {
    await machine.teardown().catch(() => undefined);
    throw err;
  }
}

/**
 * `vagrant up` of the machine (new, or halted: then its provisioning is not run again), every forward
 * listening, the plain ssh master connection, and the guest's boot clocks read over it. Phases in ms since t0.
 */
export async function boot(machine: Machine, s: MachineSettings, ctx: DriverContext, opts: { publish: Publish[]; provision?: boolean }): Promise<BootPhases> {
  const t0 = performance.now();
  await assertPortsFree(opts.publish, `vagrant machine ${machine.name}`);
  const vars = { ...machine.vars, ISOBENCH_PUBLISH: opts.publish.map((p) => `${p.inside}:${p.host}`).join(',') };
  const up = await vagrantUp(upArgv(s.vm.vagrant.provider, opts.provision ?? false), { env: vars, timeoutMs: s.vm.vagrant.upTimeoutSec * 1000, signal: ctx.signal, t0, log: (l) => ctx.log.debug(`${machine.name}: ${l}`) });
  machine.running = true;
  for (const p of opts.publish) await waitForForward(machine.dir, p.host, p.inside, 60_000);
  machine.link ??= await readSshConfig(machine, ctx);
  await openMaster(machine, ctx);
  const ssh = Math.round(performance.now() - t0);
  const probe = await runOk(plainSshArgv(machine.link, ['sh', '-c', READY_PROBE]), { step: 'ssh (guest clocks)', timeoutMs: 120_000, signal: ctx.signal });
  const ready = Math.round(performance.now() - t0);
  const clocks = parseReadyProbe(probe.stdout);
  const zero = ready - clocks.uptimeS * 1000;
  return { ...up.phases, ssh, firmware: Math.round(zero), kernel: Math.round(zero + clocks.userspaceS * 1000), multiUser: Math.round(zero + clocks.multiUserS * 1000), ready };
}

/** `vagrant halt` (a clean shutdown; the disk and the provisioned venv stay); the ssh master goes first. */
export async function halt(machine: Machine, ctx: DriverContext): Promise<void> {
  if (!machine.running) return;
  await closeLink(machine);
  await runOk(haltArgv(), { step: 'vagrant halt', timeoutMs: ctx.config.environments.vm.vagrant.upTimeoutSec * 1000, env: machine.vars, signal: ctx.signal });
  machine.running = false;
}

/** One command in the machine over plain ssh, timed by `timer` (a process on the host, like every sample). */
export async function sshExec(machine: Machine, timer: ProcessTimer, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  if (!machine.link || !machine.running) throw new Error(`vagrant machine ${machine.name} is not running`);
  const r = await timer.run(plainSshArgv(machine.link, argv, opts.env, opts.asRoot), { step: `ssh ${argv[0]}`, timeoutMs: opts.timeoutMs ?? 600_000, input: opts.input });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: asRootRefused(opts.asRoot, r.exitCode, r.stderr), durationMs: r.durationMs, timedOut: r.timedOut };
}

/** `vagrant ssh-config` once per machine (the address stays: libvirt's DHCP keys the lease by the MAC), written for ssh -F. */
async function readSshConfig(machine: Machine, ctx: DriverContext): Promise<SshLink> {
  const r = await runOk(sshConfigArgv(), { step: 'vagrant ssh-config', timeoutMs: 120_000, env: machine.vars, signal: ctx.signal });
  parseSshConfig(r.stdout);
  const configFile = join(machine.dir, 'ssh-config');
  await writeFile(configFile, r.stdout);
  // A short folder of its own: the master's socket path must fit a unix socket address.
  const sockets = await mkdtemp(join(tmpdir(), 'isobench-ssh-'));
  return { configFile, controlPath: join(sockets, 'master') };
}

async function openMaster(machine: Machine, ctx: DriverContext): Promise<void> {
  await runOk(sshMasterArgv(machine.link!), { step: 'ssh master connection', timeoutMs: 120_000, signal: ctx.signal });
}

async function closeLink(machine: Machine): Promise<void> {
  if (machine.link) await run(sshExitArgv(machine.link), { step: 'ssh -O exit', timeoutMs: 20_000 });
}
