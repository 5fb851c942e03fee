// The VM driver's Vagrant backend: a machine made from the box (create), provisioned (install) and booted
// again after each `vagrant halt` (start samples), from vagrant/Vagrantfile and the full guest packed as a box
// (isobench/bookworm-full, built and added when missing); a second machine only where two must run at once.
import { isobenchCommand } from '../../lifecycle/paths.js';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { execa } from 'execa';
import type { Config } from '../../config/schema.js';
import { run, runOk, runPipeOk } from '../../lifecycle/process.js';
import { OutputWatch } from '../output-watch.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import type { ProcessTimer } from '../../measure/timer.js';
import type { Background, Driver, DriverContext, Env, EnvSpec, ExecOptions, ExecResult, Instance, Metric, Preflight, Step } from '../types.js';
import { kvmAccessible, resolveAccel, type AccelDecision } from './accel.js';
import { buildVmImage, findVmImage } from './image.js';
import { guestProfile, profileEnvName, vmPlan, type GuestProfile } from './profiles.js';
import { chainSizes, infoArgv, parseInfo, type QemuImgInfo } from './qemu-img.js';
import { addedBoxId, boxFile, buildVagrantBox, currentBoxId, LOCAL_BOX, recordAddedBox } from './vagrant-box.js';
import { boxAddArgv, boxListArgv, boxListed, domainDisks, domainQemuPid, libvirtKvmProbeLoop, removeBox, writeTcgWrapper } from './vagrant-libvirt.js';
import { GUEST_VENV, guestArgv } from './guest-init.js';
import { plainSshArgv, provisionArgv, sshArgv } from './vagrant-args.js';
import { boot, createMachine, halt, sshExec, type Machine, type MachineSettings } from './vagrant-machine.js';
import { guestDf, guestUsedBytes, processRssBytes } from './vm-metrics.js';

/** The env name of the Vagrant row. */
export const VAGRANT_ENV_NAME = 'vm-vagrant';

export interface VagrantEnv extends Env {
  kind: 'vm';
  backend: 'vagrant';
  accel: AccelDecision;
  profile: GuestProfile;
  settings: MachineSettings;
  /** Every machine made from the box, in order; the first is create's. */
  machines: Machine[];
  /** The machine create made and install provisioned: every start sample boots it again after `vagrant halt`. */
  primary?: Machine;
  /** `vagrant ssh -c 'python -c "import requests"'` wall times, taken at install. */
  sshCliMs: number[];
  boots: number;
  /** stop() has no context of its own: the run's (its signal, timer and timeouts). */
  ctx: DriverContext;
}

export interface VagrantInstance extends Instance {
  env: VagrantEnv;
  machine: Machine;
  /** Times exec's ssh (a process on the host, like every kind's samples). */
  timer: ProcessTimer;
}

async function preflight(ctx: DriverContext): Promise<Preflight> {
  const { provider, box } = ctx.config.environments.vm.vagrant;
  const v = await run(['vagrant', '--version'], { step: 'vagrant --version', timeoutMs: 30_000 });
  if (v.exitCode !== 0) return { ok: false, reason: 'vagrant not found', fix: `apt-get install vagrant${provider === 'libvirt' ? ' vagrant-libvirt libvirt-daemon-system' : ''} (or run .ci/vagrant.sh)` };
  const facts: Record<string, string> = { 'vagrant.version': v.stdout.trim(), 'vagrant.provider': provider, 'vagrant.box': box };
  if (provider === 'libvirt') {
    const plugins = await run(['vagrant', 'plugin', 'list'], { step: 'vagrant plugin list', timeoutMs: 60_000 });
    if (!/vagrant-libvirt/.test(plugins.stdout)) return { ok: false, reason: 'the vagrant-libvirt plugin is missing', fix: 'apt-get install vagrant-libvirt', facts };
    if (!existsSync('/var/run/libvirt/libvirt-sock')) {
      return { ok: false, reason: 'libvirtd is not running (no /var/run/libvirt/libvirt-sock)', fix: 'apt-get install libvirt-daemon-system, then start virtlogd and libvirtd (`virtlogd -d; libvirtd -d` where PID 1 is not systemd)', facts };
    }
    const kvmLoop = await libvirtKvmProbeLoop();
    if (kvmLoop) facts['libvirt.kvm'] = kvmLoop;
  } else {
    const vbox = await run(['VBoxManage', '--version'], { step: 'VBoxManage --version', timeoutMs: 30_000 });
    if (vbox.exitCode !== 0) return { ok: false, reason: 'VirtualBox (VBoxManage) not found', fix: 'install VirtualBox from its vendor (Debian does not ship it), or use provider: libvirt', facts };
    facts['virtualbox.version'] = vbox.stdout.trim();
  }
  if (box !== LOCAL_BOX) {
    const boxes = await run(boxListArgv(), { step: 'vagrant box list', timeoutMs: 60_000 });
    if (boxListed(boxes.stdout, box)) return { ok: true, facts };
    return { ok: false, reason: `box ${box} is not added`, fix: `vagrant box add ${box} --provider ${provider}, or use the local box ${LOCAL_BOX}`, facts };
  }
  const state = await boxState(ctx);
  if (state.current) return { ok: true, facts };
  if (provider !== 'libvirt') return { ok: false, reason: `the local box ${LOCAL_BOX} is built for libvirt only`, fix: 'use provider: libvirt, or add a VirtualBox box and set environments.vm.vagrant.box', facts };
  const missing = state.listed ? 'is an older build than this configuration\'s full guest' : 'is not added';
  if (process.getuid?.() !== 0 && !(await findVmImage(ctx, 'full'))) {
    return { ok: false, reason: `box ${LOCAL_BOX} ${missing} and building it needs root`, fix: `run \`sudo ${isobenchCommand()} images build vagrant\` once`, facts };
  }
  facts['vagrant.box'] = `${box} (${missing}: create builds and adds it)`;
  return { ok: true, facts };
}

function specs(config: Config): EnvSpec[] {
  const vm = config.environments.vm;
  if (!vm.enabled) return [];
  const p = guestProfile('full', vm);
  // The local box is the full guest (its init and boot path); another box is named as it is.
  const guest = vm.vagrant.box === LOCAL_BOX ? `full OS box ${LOCAL_BOX}, init ${p.init}, firmware → MBR → extlinux` : `box ${vm.vagrant.box}`;
  return [{ name: VAGRANT_ENV_NAME, label: `Vagrant (${vm.vagrant.provider}): ${guest}, start = vagrant up of the halted, provisioned machine (${p.memoryMiB} MiB, ${p.cpus} vCPU)` }];
}

/** `isobench images build vagrant`: builds the local box (unless cached) and adds it to Vagrant when missing, stale or forced. */
export async function addVagrantBox(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<{ box: string; file: string; built: boolean; buildMs: number }> {
  const { box } = ctx.config.environments.vm.vagrant;
  if (box !== LOCAL_BOX) throw new Error(`environments.vm.vagrant.box is ${box}: isobench builds only ${LOCAL_BOX}; add ${box} with vagrant box add`);
  const synced = await syncBox(ctx, opts);
  return { box, file: synced.file, built: synced.built, buildMs: synced.buildMs };
}

/** Whether Vagrant lists the local box, and whether it is this config's build (isobench's record of what it added). */
async function boxState(ctx: DriverContext): Promise<{ listed: boolean; current: boolean; id?: string }> {
  const { box, provider } = ctx.config.environments.vm.vagrant;
  const list = await run(boxListArgv(), { step: 'vagrant box list', timeoutMs: 60_000 });
  const listed = boxListed(list.stdout, box);
  const id = await currentBoxId(ctx);
  return { listed, current: listed && !!id && (await addedBoxId(box, provider)) === id, id };
}

/**
 * Builds the local box when its file is missing, and (re-)adds it when Vagrant lacks it, holds an older
 * build under the same name (a changed full guest), or `force`; the old box's libvirt volume goes with it.
 */
async function syncBox(ctx: DriverContext, opts: { force?: boolean } = {}): Promise<{ file: string; built: boolean; buildMs: number; added?: { ms: number; replaced: boolean } }> {
  const { box, provider } = ctx.config.environments.vm.vagrant;
  const state = await boxState(ctx);
  // Vagrant already holds this build: nothing to build (its file may even be gone) or add.
  if (state.current && !opts.force) return { file: boxFile(state.id!), built: false, buildMs: 0 };
  const built = await buildVagrantBox(ctx, opts);
  const t0 = performance.now();
  if (state.listed) await removeBox(box, provider, ctx);
  await recordAddedBox(box, provider, undefined);
  await runOk(boxAddArgv(box, built.file, provider), { step: 'vagrant box add', timeoutMs: ctx.config.timeouts.stepSec * 1000, signal: ctx.signal });
  await recordAddedBox(box, provider, built.id);
  return { file: built.file, built: built.built, buildMs: built.buildMs, added: { ms: performance.now() - t0, replaced: state.listed } };
}

/** Adds the local box when Vagrant does not list it or lists an older build (building it first if needed); notes what it did. */
async function ensureBox(ctx: DriverContext): Promise<void> {
  const { box } = ctx.config.environments.vm.vagrant;
  const synced = await syncBox(ctx);
  if (!synced.added) return;
  const addS = (synced.added.ms / 1000).toFixed(0);
  const how = synced.added.replaced ? 'replaced an older build of it and was added' : 'added';
  ctx.note(`Vagrant box ${box} ${synced.built ? `built from the full guest in ${(synced.buildMs / 1000).toFixed(0)} s and ` : ''}${how} in ${addS} s (vagrant box add of ${synced.file})`);
}

/**
 * enabled: auto under TCG, beside the full guest, with the local box (that guest's image and kernel): the row is left
 * out (its boots take minutes and its evidence is the full guest's), with how to include it; else undefined.
 */
export async function vagrantLeftOut(ctx: DriverContext): Promise<Preflight | undefined> {
  const vm = ctx.config.environments.vm;
  if (vm.vagrant.enabled !== 'auto' || vm.vagrant.box !== LOCAL_BOX || !vm.guests.includes('full')) return undefined;
  const image = await findVmImage(ctx, 'full');
  const accel = image ? await resolveAccel(image, guestProfile('full', vm), ctx) : { accel: (await kvmAccessible()) ? 'kvm' : 'tcg' };
  if (accel.accel !== 'tcg') return undefined;
  return {
    ok: false,
    reason: `left out under TCG: the box ${LOCAL_BOX} is the full guest (vm-full: the same image and kernel), so the row repeats its evidence at minutes a boot`,
    fix: 'run it with `isobench run --only all`, or set environments.vm.vagrant.enabled: true',
    leftOut: { reason: 'tcg-repeats', repeats: profileEnvName('full') },
  };
}

async function decideAccel(ctx: DriverContext, profile: GuestProfile): Promise<AccelDecision> {
  const vm = ctx.config.environments.vm;
  if (vm.vagrant.box === LOCAL_BOX) return resolveAccel(await buildVmImage(ctx, 'full'), profile, ctx);
  if (vm.accel === 'tcg') return { accel: 'tcg', reason: 'accel: tcg in the config' };
  const kvm = await kvmAccessible();
  return { accel: kvm ? 'kvm' : 'tcg', reason: kvm ? '/dev/kvm is usable (not trial-booted: the box is not isobench\'s)' : '/dev/kvm is missing or not read-writable' };
}

async function create(spec: EnvSpec, ctx: DriverContext): Promise<VagrantEnv> {
  const vm = ctx.config.environments.vm;
  const profile = guestProfile('full', vm);
  if (vm.vagrant.box === LOCAL_BOX) await ensureBox(ctx);
  const accel = await decideAccel(ctx, profile);
  const tcg = accel.accel === 'tcg';
  const emulator = tcg && vm.vagrant.provider === 'libvirt' && vm.tcgTbSizeMiB ? await writeTcgWrapper(vm.tcgTbSizeMiB) : undefined;
  if (vm.vagrant.provider === 'libvirt') {
    const kvmLoop = await libvirtKvmProbeLoop();
    if (kvmLoop) ctx.note(`Vagrant: ${kvmLoop}`);
  }
  const image = await findVmImage(ctx, 'full');
  const wheelhouse = await ensureWheelhouse(ctx.config.packages, { pythonVersion: image?.manifest.pythonVersion }, ctx);
  ctx.note(
    `Vagrant machines: libvirt driver ${tcg ? `qemu (TCG, software emulation: much slower boots; ${accel.reason})${emulator ? `, started through an emulator_path wrapper adding tb-size=${vm.tcgTbSizeMiB}` : ''}` : `kvm (${accel.reason})`}; create makes one machine from the box, install provisions it, and each start sample boots that machine again after a vagrant halt (no provisioning); commands go over plain ssh with the options vagrant ssh-config gave, on one connection per boot; the libvirt NAT network stays on this machine`,
  );
  const facts: Record<string, string> = {
    'vm.guest': `Vagrant box of the full OS guest: init systemd, ${profile.bootPath}, ${profile.memoryMiB} MiB, ${profile.cpus} vCPU, ${accel.accel.toUpperCase()}`,
    'vm.profile': 'vagrant',
    subject: 'vagrant-box',
    'isolation.step': 'vagrant',
    'vm.init': profile.init,
    'vm.boot': `libvirt ${vm.vagrant.provider === 'libvirt' ? 'SeaBIOS' : 'VirtualBox BIOS'} → MBR → extlinux (the full guest's disk as a box)`,
    'vm.ready': 'vagrant up of the halted, provisioned machine returned, then its Python answered over ssh',
    'vm.memoryMiB': String(profile.memoryMiB),
    'vm.cpus': String(profile.cpus),
    'vm.accel': accel.accel.toUpperCase(),
    'vm.accel.reason': accel.reason,
  };
  const settings: MachineSettings = { vm, machine: { packages: ctx.config.packages, accel: accel.accel, emulator, wheelhouse }, destroyMs: [] };
  const env: VagrantEnv = {
    kind: 'vm',
    backend: 'vagrant',
    name: spec.name,
    label: `${spec.label}, ${accel.accel.toUpperCase()}`,
    facts,
    accel,
    profile,
    settings,
    machines: [],
    sshCliMs: [],
    boots: 0,
    ctx,
    plan: vmPlan(vm, 'vagrant', accel.accel),
    methods: {
      create: `wall time of making a machine from the box ${vm.vagrant.box}: vagrant up --no-provision (the box volume imported, the domain defined, the first boot until ssh answers), with the box check before it`,
      ready: 'from nothing running until a Python process in the environment answers: vagrant up of the halted, already provisioned machine (provisioning not run again), then the venv\'s python -c print(…) over ssh',
      up: 'from vagrant up of the halted machine until it returned and ssh answered (the boot; no Python yet)',
    },
  };
  ctx.cleanup.push(`vagrant env ${spec.name}`, () => destroy(env, ctx));
  const made = await createMachine(`${spec.name}-1`, settings, ctx, { publish: [], provision: false });
  env.machines.push(made.machine);
  env.primary = made.machine;
  return env;
}

/** A running machine as an instance: the same machine gives a new instance at each of its boots. */
function instance(env: VagrantEnv, machine: Machine, phases: Record<string, number>): VagrantInstance {
  return { env, machine, id: `${machine.name}#${++env.boots}`, phases, timer: env.ctx.timer };
}

/**
 * A start: the next halted, provisioned machine booted again (`vagrant up` without provisioning: a start sample,
 * as the QEMU rows boot an image that holds the packages). When none is halted (the probes want a second machine
 * beside the running one), one more machine made from the box: the provisioned primary's /opt/isobench (its
 * venv, requests in it) copied in over ssh when the primary runs, which costs seconds where the provisioners
 * (a venv with ensurepip, pip) cost minutes under TCG; else provisioned as install did. Nothing times it.
 */
async function start(env: VagrantEnv, ctx: DriverContext, opts: { publish?: { inside: number; host: number }[] } = {}): Promise<VagrantInstance> {
  const publish = opts.publish ?? [];
  const halted = env.machines.find((m) => !m.running && m.provisioned);
  if (halted) return instance(env, halted, await boot(halted, env.settings, ctx, { publish }));
  const source = env.primary?.running && env.primary.provisioned && env.primary.link ? env.primary : undefined;
  const made = await createMachine(`${env.name}-${env.machines.length + 1}`, env.settings, ctx, { publish, provision: !source });
  env.machines.push(made.machine);
  if (source) {
    const t0 = performance.now();
    await copyProvisioned(source, made.machine, ctx);
    made.machine.provisioned = true;
    ctx.note(`Vagrant: the probes' second machine ${made.machine.name} was made from the box and given the provisioned machine's ${GUEST_ROOT} over ssh (tar, ${((performance.now() - t0) / 1000).toFixed(1)} s) instead of being provisioned again; nothing timed it`);
  }
  return instance(env, made.machine, made.phases);
}

/** The folder the provisioners fill (the venv at GUEST_VENV, pip's time): copied whole from one machine to another. */
const GUEST_ROOT = posix.dirname(GUEST_VENV);

/** `tar` of GUEST_ROOT from `from` (its owner's) into `to` (extracted by root: owners and modes kept), both over plain ssh. */
async function copyProvisioned(from: Machine, to: Machine, ctx: DriverContext): Promise<void> {
  if (!from.link || !to.link) throw new Error('both Vagrant machines must be running to copy the provisioned venv');
  const [parent, base] = [posix.dirname(GUEST_ROOT), posix.basename(GUEST_ROOT)];
  await runPipeOk(plainSshArgv(from.link, ['tar', '-C', parent, '-cf', '-', base]), plainSshArgv(to.link, ['sudo', '-n', 'tar', '-C', parent, '-xpf', '-']), {
    step: `copy of ${GUEST_ROOT} from ${from.name} to ${to.name}`,
    timeoutMs: ctx.config.timeouts.stepSec * 1000,
    signal: ctx.signal,
  });
}

/**
 * Install: `vagrant provision` of the machine create made, timed whole (the wheelhouse copied in, a venv, pip);
 * then the document's own way in, `vagrant ssh -c`, timed a few times while it is up; then `vagrant halt`.
 */
async function install(env: VagrantEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  const m = env.primary;
  if (!m) return { step: 'install', ok: false, durationMs: 0, error: 'no Vagrant machine was created' };
  try {
    const t0 = performance.now();
    await runOk(provisionArgv(), { step: 'vagrant provision', timeoutMs: ctx.config.environments.vm.vagrant.upTimeoutSec * 1000, env: m.vars, signal: ctx.signal });
    const durationMs = Math.round(performance.now() - t0);
    m.provisioned = true;
    const pip = await sshExec(m, ctx.timer, ['cat', '/opt/isobench/install-ms'], { timeoutMs: 60_000 });
    const pipMs = Number(pip.stdout.trim());
    if (pip.exitCode !== 0 || !pip.stdout.trim() || !Number.isFinite(pipMs)) return { step: 'install', ok: false, durationMs, error: `the provisioner recorded no pip time (exit ${pip.exitCode}: ${pip.stderr.trim()})` };
    for (let i = 0; i < VAGRANT_SSH_SAMPLES; i++) {
      const r = await ctx.timer.run(sshArgv(['python', '-c', 'import requests']), { step: 'vagrant ssh -c', timeoutMs: 300_000, env: m.vars });
      if (r.exitCode !== 0) return { step: 'install', ok: false, durationMs, error: `vagrant ssh -c python -c "import requests" exited with ${r.exitCode}: ${r.stderr.trim().split('\n').pop()}` };
      env.sshCliMs.push(r.durationMs);
    }
    await halt(m, ctx);
    const method = `wall time of vagrant provision on the machine made from the box, in this run: the file provisioner's copy of the wheelhouse, a venv, pip install --no-index ${pkgs.join(' ')} (pip alone ${(pipMs / 1000).toFixed(1)} s, timed inside the guest)`;
    return { step: 'install', ok: true, durationMs, method };
  } catch (err) {
    return { step: 'install', ok: false, durationMs: 0, error: err instanceof Error ? err.message : String(err) };
  }
}

/** `vagrant ssh -c` samples: the document's way into the machine, Ruby and Vagrant started per command. */
const VAGRANT_SSH_SAMPLES = 3;

/** The machine create made is halted and booted again by the next start; any other machine is destroyed. */
async function stop(inst: VagrantInstance): Promise<void> {
  const { env, machine } = inst;
  if (!env.machines.includes(machine)) return;
  if (machine === env.primary) return halt(machine, env.ctx);
  await machine.teardown();
  env.machines.splice(env.machines.indexOf(machine), 1);
}

async function exec(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return sshExec(inst.machine, inst.timer, argv, opts);
}

/** A background command over plain ssh; stop() kills it in the guest by the pid it printed first. */
async function spawn(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<Background> {
  const link = inst.machine.link;
  if (!link) throw new Error(`vagrant machine ${inst.machine.name} is not running`);
  // The venv's python is resolved before the wrapper: plainSshArgv maps only a leading `python`.
  const wrapped = ['sh', '-c', 'echo isobench-pid:$$; exec "$@"', 'sh', ...guestArgv(argv)];
  const [file, ...args] = plainSshArgv(link, wrapped, opts.env, opts.asRoot);
  const child = execa(file!, args, { reject: false, all: true, timeout: opts.timeoutMs ?? 3_600_000 });
  const watch = new OutputWatch();
  child.all?.on('data', (c: Buffer) => watch.push(c));
  void child.then((r) => watch.close(`exited with ${r.exitCode}`));
  return {
    waitFor: (pattern, timeoutMs) => watch.waitFor(pattern, timeoutMs),
    stop: async () => {
      const pid = /isobench-pid:(\d+)/.exec(watch.output)?.[1];
      if (pid) await run(plainSshArgv(link, ['kill', pid], {}, opts.asRoot), { step: 'ssh kill', timeoutMs: 60_000 });
      child.kill('SIGKILL');
      await child;
    },
  };
}

/** QEMU's RSS (libvirt's process of the machine's domain), memory used inside, and the guest's df. */
async function memory(inst: VagrantInstance, ctx: DriverContext): Promise<Metric[]> {
  const meminfo = await exec(inst, ['cat', '/proc/meminfo'], { timeoutMs: 60_000 });
  const df = guestDf(await exec(inst, ['df', '-B1', '--output=size,used,avail', '/'], { timeoutMs: 60_000 }));
  const how = (what: string) => `${what} of / by df inside the Vagrant machine (over ssh; the document's df -h in the VM)`;
  const out: Metric[] = [
    { id: 'memory.guestUsed.bytes', unit: 'bytes', value: guestUsedBytes(meminfo), method: 'MemTotal - MemAvailable of /proc/meminfo inside the guest (over ssh)' },
    { id: 'disk.guestSize.bytes', unit: 'bytes', value: df.size, method: how('size') },
    { id: 'disk.guestUsed.bytes', unit: 'bytes', value: df.used, method: how('used') },
    { id: 'disk.guestAvail.bytes', unit: 'bytes', value: df.avail, method: how('available') },
  ];
  const pid = await domainQemuPid(inst.machine.domain);
  if (pid) {
    const tb = inst.env.settings.machine.emulator ? `up to ${ctx.config.environments.vm.tcgTbSizeMiB} MiB (the emulator_path wrapper's tb-size)` : 'QEMU\'s default 1 GiB';
    const extra = inst.env.accel.accel === 'tcg' ? ` + TCG's translation cache (${tb})` : '';
    out.push({ id: 'memory.qemuRss.bytes', unit: 'bytes', value: await processRssBytes(pid), method: `VmRSS of libvirt's QEMU process of ${inst.machine.domain}: guest RAM touched so far + QEMU${extra}` });
  }
  return out;
}

/** The machines' disks as libvirt has them (box volume + each machine's overlay, the shared volume once), and `vagrant ssh -c`. */
async function measure(env: VagrantEnv, ctx: DriverContext): Promise<Metric[]> {
  const metrics: Metric[] = [{ id: 'memory.given.bytes', unit: 'bytes', value: env.profile.memoryMiB * 1024 * 1024, method: 'Vagrantfile provider memory' }];
  if (env.sshCliMs.length) {
    metrics.push({ id: 'vagrant.ssh.ms', unit: 'ms', samples: env.sshCliMs, method: `wall time of vagrant ssh -c 'python -c "import requests"' on the running machine (the document's way in: Ruby and Vagrant start for each command), ${env.sshCliMs.length} times at install` });
  }
  if (!env.machines.length || ctx.config.environments.vm.vagrant.provider !== 'libvirt') return metrics;
  const chains: QemuImgInfo[][] = [];
  for (const m of env.machines) {
    for (const disk of await domainDisks(m.domain, ctx)) chains.push(parseInfo((await runOk(infoArgv(disk), { step: 'qemu-img info', timeoutMs: 30_000 })).stdout));
  }
  if (!chains.length) return metrics;
  const { actualBytes, virtualBytes } = chainSizes(chains);
  const what = `the box volume in libvirt's pool + ${env.machines.length} machine overlay(s)`;
  metrics.push(
    { id: 'disk.actual.bytes', unit: 'bytes', value: actualBytes, method: `qemu-img info --backing-chain actual-size of ${what} (shared volume counted once)` },
    { id: 'disk.virtual.bytes', unit: 'bytes', value: virtualBytes, method: `qemu-img info virtual-size of ${what}` },
  );
  return metrics;
}

async function destroy(env: VagrantEnv, ctx: DriverContext): Promise<void> {
  for (const m of env.machines.splice(0)) await m.teardown();
  env.primary = undefined;
  const ms = env.settings.destroyMs.splice(0);
  if (ms.length) ctx.note(`vagrant destroy -f took ${ms.map((v) => `${(v / 1000).toFixed(1)} s`).join(', ')} (one per machine)`);
}

/** The Vagrant backend of the vm driver. */
export const vagrantDriver: Driver<VagrantEnv, VagrantInstance> = {
  kind: 'vm',
  preflight,
  specs,
  create,
  install,
  start,
  exec,
  spawn,
  stop,
  measure,
  memory,
  destroy,
};
