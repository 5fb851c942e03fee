// The VM driver's Vagrant backend: one Vagrant machine per instance, from vagrant/Vagrantfile and the
// full guest packed as a box (isobench/bookworm-full, built and added when missing).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Config } from '../../config/schema.js';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import { run, runOk } from '../../lifecycle/process.js';
import { OutputWatch } from '../output-watch.js';
import { ensureWheelhouse } from '../wheelhouse.js';
import type { ProcessTimer } from '../../measure/timer.js';
import type { Background, Driver, DriverContext, Env, EnvSpec, ExecOptions, ExecResult, Instance, Metric, Preflight, Step } from '../types.js';
import { kvmAccessible, resolveAccel, type AccelDecision } from './accel.js';
import { buildVmImage, findVmImage } from './image.js';
import { guestProfile, type GuestProfile } from './profiles.js';
import { chainSizes, infoArgv, parseInfo, type QemuImgInfo } from './qemu-img.js';
import { addedBoxId, boxFile, buildVagrantBox, currentBoxId, LOCAL_BOX, recordAddedBox } from './vagrant-box.js';
import { boxAddArgv, boxListArgv, boxListed, domainDisks, domainQemuPid, libvirtKvmProbeLoop, removeBox, waitForForward, writeTcgWrapper } from './vagrant-libvirt.js';
import { assertPortsFree } from './boot.js';
import { guestArgv } from './guest-init.js';
import { destroyArgv, parseReadyProbe, READY_PROBE, sshArgv, upArgv, vagrantEnv } from './vagrant-args.js';
import { vagrantUp } from './vagrant-up.js';
import { guestDf, guestUsedBytes, processRssBytes } from './vm-metrics.js';

/** The env name of the Vagrant row. */
export const VAGRANT_ENV_NAME = 'vm-vagrant';

export interface VagrantEnv extends Env {
  kind: 'vm';
  backend: 'vagrant';
  accel: AccelDecision;
  profile: GuestProfile;
  /** The emulator_path wrapper passing TCG's tb-size, when one is used. */
  emulator?: string;
  wheelhouse: string;
  machines: Set<VagrantInstance>;
  /** The machine install() brought up: the first start() returns it (its own `vagrant up` was timed). */
  pending?: VagrantInstance;
  starts: number;
  destroyMs: number[];
}

export interface VagrantInstance extends Instance {
  env: VagrantEnv;
  dir: string;
  vars: Record<string, string>;
  /** The libvirt domain: <machine name>-default. */
  domain: string;
  /** Times exec's `vagrant ssh -c` (a process on the host: the VM's one CLI-level sample). */
  timer: ProcessTimer;
  /** Runs `vagrant destroy -f` and removes the machine folder; idempotent. */
  teardown(): Promise<void>;
}

const TEMPLATE = join(PACKAGE_ROOT, 'vagrant', 'Vagrantfile');

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
    return { ok: false, reason: `box ${LOCAL_BOX} ${missing} and building it needs root`, fix: 'run `sudo isobench images build vagrant` (from a checkout: sudo node bin/isobench.js images build vagrant) once', facts };
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
  return [{ name: VAGRANT_ENV_NAME, label: `Vagrant (${vm.vagrant.provider}): ${guest}, ready = vagrant up + provisioner + first ssh (${p.memoryMiB} MiB, ${p.cpus} vCPU)` }];
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
    `Vagrant machines: libvirt driver ${tcg ? `qemu (TCG, software emulation: much slower boots; ${accel.reason})${emulator ? `, started through an emulator_path wrapper adding tb-size=${vm.tcgTbSizeMiB}` : ''}` : `kvm (${accel.reason})`}; each start is a fresh \`vagrant up\` (import of the box volume, boot, the provisioner installing ${ctx.config.packages.join(' ')} from a wheelhouse copied in by a file provisioner) and "ready" is the first \`vagrant ssh\` answering after it; the libvirt NAT network stays on this machine`,
  );
  const facts: Record<string, string> = {
    'vm.guest': `Vagrant box of the full OS guest: init systemd, ${profile.bootPath}, ${profile.memoryMiB} MiB, ${profile.cpus} vCPU, ${accel.accel.toUpperCase()}`,
    'vm.profile': 'vagrant',
    'isolation.step': 'vagrant',
    'vm.init': profile.init,
    'vm.boot': `libvirt ${vm.vagrant.provider === 'libvirt' ? 'SeaBIOS' : 'VirtualBox BIOS'} → MBR → extlinux (the full guest's disk as a box)`,
    'vm.ready': 'vagrant up returned (boot + provisioner) and vagrant ssh answered',
    'vm.memoryMiB': String(profile.memoryMiB),
    'vm.cpus': String(profile.cpus),
    'vm.accel': accel.accel.toUpperCase(),
    'vm.accel.reason': accel.reason,
  };
  const env: VagrantEnv = { kind: 'vm', backend: 'vagrant', name: spec.name, label: `${spec.label}, ${accel.accel.toUpperCase()}`, facts, accel, profile, emulator, wheelhouse, machines: new Set(), starts: 0, destroyMs: [] };
  ctx.cleanup.push(`vagrant env ${spec.name}`, () => destroy(env, ctx));
  return env;
}

/** `vagrant up` of a fresh machine (box import, boot, provisioning), then the first `vagrant ssh`, reading the guest's boot clocks. */
async function up(env: VagrantEnv, ctx: DriverContext, publish: { inside: number; host: number }[]): Promise<VagrantInstance> {
  const t0 = performance.now();
  const vm = ctx.config.environments.vm;
  const id = `${env.name}-${++env.starts}`;
  const dir = join(ctx.workDir, 'vagrant', id);
  await mkdir(dir, { recursive: true });
  await copyFile(TEMPLATE, join(dir, 'Vagrantfile'));
  const name = `isobench-${ctx.runId}-${id}`;
  const vars = vagrantEnv(vm, { name, publish, packages: ctx.config.packages, accel: env.accel.accel, emulator: env.emulator, wheelhouse: env.wheelhouse }, dir);
  const cleanupMs = ctx.config.timeouts.cleanupSec * 1000;
  const teardown = ctx.cleanup.push(`vagrant machine ${name}`, async () => {
    const r = await runOk(destroyArgv(), { step: 'vagrant destroy -f', timeoutMs: cleanupMs, env: vars });
    env.destroyMs.push(Math.round(r.durationMs));
    await rm(dir, { recursive: true, force: true });
  });
  try {
    await assertPortsFree(publish, `vagrant machine ${name}`);
    const result = await vagrantUp(upArgv(vm.vagrant.provider), { env: vars, timeoutMs: vm.vagrant.upTimeoutSec * 1000, signal: ctx.signal, t0 });
    for (const p of publish) await waitForForward(dir, p.host, p.inside, 60_000);
    const probe = await runOk(sshArgv(['sh', '-c', READY_PROBE]), { step: 'vagrant ssh (readiness)', timeoutMs: 120_000, env: vars, signal: ctx.signal });
    const ready = Math.round(performance.now() - t0);
    const clocks = parseReadyProbe(probe.stdout);
    const zero = ready - clocks.uptimeS * 1000;
    const phases = { ...result.phases, ssh: Math.round(probe.durationMs), firmware: Math.round(zero), kernel: Math.round(zero + clocks.userspaceS * 1000), multiUser: Math.round(zero + clocks.multiUserS * 1000), ready };
    const inst: VagrantInstance = { env, id: name, dir, vars, domain: `${name}-default`, timer: ctx.timer, teardown, phases };
    env.machines.add(inst);
    return inst;
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

async function start(env: VagrantEnv, ctx: DriverContext, opts: { publish?: { inside: number; host: number }[] } = {}): Promise<VagrantInstance> {
  const publish = opts.publish ?? [];
  const pending = env.pending;
  if (pending && !publish.length) {
    env.pending = undefined;
    // Booted (and provisioned) by install: its whole `vagrant up` + first ssh counts as this start.
    pending.bootedBeforeMs = pending.phases.ready;
    return pending;
  }
  return up(env, ctx, publish);
}

/** The provisioner's own pip install time (written by the Vagrantfile), read from the first machine, which start() then reuses. */
async function install(env: VagrantEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  try {
    const inst = await up(env, ctx, []);
    env.pending = inst;
    const r = await exec(inst, ['cat', '/opt/isobench/install-ms'], { timeoutMs: 60_000 });
    const ms = Number(r.stdout.trim());
    if (r.exitCode !== 0 || !r.stdout.trim() || !Number.isFinite(ms)) return { step: 'install', ok: false, durationMs: 0, error: `the provisioner recorded no install time (exit ${r.exitCode}: ${r.stderr.trim()})` };
    ctx.note(`Vagrant install time: pip install --no-index of ${pkgs.join(' ')} into a fresh venv by the shell provisioner, from the wheelhouse the file provisioner copied in, timed inside the guest`);
    return { step: 'install', ok: true, durationMs: ms };
  } catch (err) {
    return { step: 'install', ok: false, durationMs: 0, error: err instanceof Error ? err.message : String(err) };
  }
}

async function stop(inst: VagrantInstance): Promise<void> {
  await inst.teardown();
  inst.env.machines.delete(inst);
  if (inst.env.pending === inst) inst.env.pending = undefined;
}

async function exec(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await inst.timer.run(sshArgv(argv, opts.env), { step: `vagrant ssh -c ${argv[0]}`, timeoutMs: opts.timeoutMs ?? 600_000, env: inst.vars, input: opts.input });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, durationMs: r.durationMs, timedOut: r.timedOut };
}

/** A background command over `vagrant ssh`; stop() kills it in the guest by the pid it printed first. */
async function spawn(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<Background> {
  // The venv's python is resolved before the wrapper: sshArgv maps only a leading `python`.
  const wrapped = ['sh', '-c', 'echo isobench-pid:$$; exec "$@"', 'sh', ...guestArgv(argv)];
  const [file, ...args] = sshArgv(wrapped, opts.env);
  const child = execa(file!, args, { env: inst.vars, reject: false, all: true });
  const watch = new OutputWatch();
  child.all?.on('data', (c: Buffer) => watch.push(c));
  void child.then((r) => watch.close(`exited with ${r.exitCode}`));
  return {
    waitFor: (pattern, timeoutMs) => watch.waitFor(pattern, timeoutMs),
    stop: async () => {
      const pid = /isobench-pid:(\d+)/.exec(watch.output)?.[1];
      if (pid) await run(sshArgv(['kill', pid]), { step: 'vagrant ssh kill', timeoutMs: 60_000, env: inst.vars });
      child.kill('SIGKILL');
      await child;
    },
  };
}

/** QEMU's RSS (libvirt's process of the machine's domain), memory used inside, and the guest's df. */
async function memory(inst: VagrantInstance, ctx: DriverContext): Promise<Metric[]> {
  const meminfo = await exec(inst, ['cat', '/proc/meminfo'], { timeoutMs: 60_000 });
  const df = guestDf(await exec(inst, ['df', '-B1', '--output=size,used,avail', '/'], { timeoutMs: 60_000 }));
  const how = (what: string) => `${what} of / by df inside the Vagrant machine (vagrant ssh; the document's df -h in the VM)`;
  const out: Metric[] = [
    { id: 'memory.guestUsed.bytes', unit: 'bytes', value: guestUsedBytes(meminfo), method: 'MemTotal - MemAvailable of /proc/meminfo inside the guest (vagrant ssh)' },
    { id: 'disk.guestSize.bytes', unit: 'bytes', value: df.size, method: how('size') },
    { id: 'disk.guestUsed.bytes', unit: 'bytes', value: df.used, method: how('used') },
    { id: 'disk.guestAvail.bytes', unit: 'bytes', value: df.avail, method: how('available') },
  ];
  const pid = await domainQemuPid(inst.domain);
  if (pid) {
    const tb = inst.env.emulator ? `up to ${ctx.config.environments.vm.tcgTbSizeMiB} MiB (the emulator_path wrapper's tb-size)` : 'QEMU\'s default 1 GiB';
    const extra = inst.env.accel.accel === 'tcg' ? ` + TCG's translation cache (${tb})` : '';
    out.push({ id: 'memory.qemuRss.bytes', unit: 'bytes', value: await processRssBytes(pid), method: `VmRSS of libvirt's QEMU process of ${inst.domain}: guest RAM touched so far + QEMU${extra}` });
  }
  return out;
}

/** The machines' disks as libvirt has them (box volume + each machine's overlay, the shared volume once). */
async function measure(env: VagrantEnv, ctx: DriverContext): Promise<Metric[]> {
  const metrics: Metric[] = [{ id: 'memory.given.bytes', unit: 'bytes', value: env.profile.memoryMiB * 1024 * 1024, method: 'Vagrantfile provider memory' }];
  const machines = [...env.machines];
  if (!machines.length || ctx.config.environments.vm.vagrant.provider !== 'libvirt') return metrics;
  const chains: QemuImgInfo[][] = [];
  for (const m of machines) {
    for (const disk of await domainDisks(m.domain, ctx)) chains.push(parseInfo((await runOk(infoArgv(disk), { step: 'qemu-img info', timeoutMs: 30_000 })).stdout));
  }
  if (!chains.length) return metrics;
  const { actualBytes, virtualBytes } = chainSizes(chains);
  const what = `the box volume in libvirt's pool + ${machines.length} machine overlay(s)`;
  metrics.push(
    { id: 'disk.actual.bytes', unit: 'bytes', value: actualBytes, method: `qemu-img info --backing-chain actual-size of ${what} (shared volume counted once)` },
    { id: 'disk.virtual.bytes', unit: 'bytes', value: virtualBytes, method: `qemu-img info virtual-size of ${what}` },
  );
  return metrics;
}

async function destroy(env: VagrantEnv, ctx: DriverContext): Promise<void> {
  for (const m of [...env.machines]) await stop(m);
  if (env.destroyMs.length) {
    ctx.note(`vagrant destroy -f took ${env.destroyMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (one per machine)`);
    env.destroyMs = [];
  }
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
