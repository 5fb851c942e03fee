// The VM driver's Vagrant backend: one Vagrant machine per instance, from vagrant/Vagrantfile.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Config } from '../../config/schema.js';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import { run, runOk } from '../../lifecycle/process.js';
import { OutputWatch } from '../output-watch.js';
import type { ProcessTimer } from '../../measure/timer.js';
import type { Background, Driver, DriverContext, Env, EnvSpec, ExecOptions, ExecResult, Instance, Metric, Preflight, Step } from '../types.js';
import { kvmAccessible } from './accel.js';
import type { Accel } from './qemu-args.js';
import { destroyArgv, sshArgv, upArgv, vagrantEnv } from './vagrant-args.js';
import { vagrantUp } from './vagrant-up.js';

export interface VagrantEnv extends Env {
  kind: 'vm';
  backend: 'vagrant';
  accel: Accel;
  machines: Set<VagrantInstance>;
  starts: number;
}

export interface VagrantInstance extends Instance {
  env: VagrantEnv;
  dir: string;
  vars: Record<string, string>;
  /** Times exec's `vagrant ssh -c` (a process on the host: the VM's one CLI-level sample). */
  timer: ProcessTimer;
  /** Runs `vagrant destroy -f` and removes the machine folder; idempotent. */
  teardown(): Promise<void>;
}

const TEMPLATE = join(PACKAGE_ROOT, 'vagrant', 'Vagrantfile');

async function preflight(ctx: DriverContext): Promise<Preflight> {
  const { provider, box } = ctx.config.environments.vm.vagrant;
  const v = await run(['vagrant', '--version'], { step: 'vagrant --version', timeoutMs: 30_000 });
  if (v.exitCode !== 0) return { ok: false, reason: 'vagrant not found', fix: 'apt-get install vagrant (and vagrant-libvirt for provider libvirt)' };
  const facts: Record<string, string> = { 'vagrant.version': v.stdout.trim(), 'vagrant.provider': provider, 'vagrant.box': box };
  if (provider === 'libvirt') {
    const plugins = await run(['vagrant', 'plugin', 'list'], { step: 'vagrant plugin list', timeoutMs: 60_000 });
    if (!/vagrant-libvirt/.test(plugins.stdout)) return { ok: false, reason: 'the vagrant-libvirt plugin is missing', fix: 'apt-get install vagrant-libvirt', facts };
    if (!existsSync('/var/run/libvirt/libvirt-sock')) {
      return { ok: false, reason: 'libvirtd is not running (no /var/run/libvirt/libvirt-sock)', fix: 'apt-get install libvirt-daemon-system and start libvirtd', facts };
    }
  } else {
    const vbox = await run(['VBoxManage', '--version'], { step: 'VBoxManage --version', timeoutMs: 30_000 });
    if (vbox.exitCode !== 0) return { ok: false, reason: 'VirtualBox (VBoxManage) not found', fix: 'install VirtualBox from its vendor (Debian does not ship it), or use provider: libvirt', facts };
    facts['virtualbox.version'] = vbox.stdout.trim();
  }
  const boxes = await run(['vagrant', 'box', 'list', '--machine-readable'], { step: 'vagrant box list', timeoutMs: 60_000 });
  if (!boxes.stdout.includes(`,box-name,${box}`)) {
    return { ok: false, reason: `box ${box} is not added`, fix: `vagrant box add ${box} --provider ${provider} (downloads the box: needs its registry reachable)`, facts };
  }
  return { ok: true, facts };
}

function specs(config: Config): EnvSpec[] {
  const vm = config.environments.vm;
  if (!vm.enabled) return [];
  return [{ name: 'vm-vagrant', label: `${vm.vagrant.box} (Vagrant, ${vm.vagrant.provider}, ${vm.memoryMiB} MiB)` }];
}

async function create(spec: EnvSpec, ctx: DriverContext): Promise<VagrantEnv> {
  const { accel } = ctx.config.environments.vm;
  const kvm = accel === 'kvm' || (accel === 'auto' && (await kvmAccessible()));
  ctx.note(`Vagrant machines use libvirt driver ${kvm ? 'kvm' : 'qemu (TCG, software emulation: much slower boots)'}; accel auto is not trial-booted for Vagrant`);
  const env: VagrantEnv = { kind: 'vm', backend: 'vagrant', name: spec.name, label: spec.label, accel: kvm ? 'kvm' : 'tcg', machines: new Set(), starts: 0 };
  ctx.cleanup.push(`vagrant env ${spec.name}`, () => destroy(env));
  return env;
}

/** `vagrant up` of a fresh machine (box import, boot, provisioning), then ssh readiness. */
async function start(env: VagrantEnv, ctx: DriverContext, opts: { publish?: { inside: number; host: number }[] } = {}): Promise<VagrantInstance> {
  const t0 = performance.now();
  const vm = ctx.config.environments.vm;
  const id = `${env.name}-${++env.starts}`;
  const dir = join(ctx.workDir, 'vagrant', id);
  await mkdir(dir, { recursive: true });
  await copyFile(TEMPLATE, join(dir, 'Vagrantfile'));
  const name = `isobench-${ctx.runId}-${id}`;
  const vars = vagrantEnv(vm, { name, publish: opts.publish ?? [], packages: ctx.config.packages, accel: env.accel }, dir);
  const cleanupMs = ctx.config.timeouts.cleanupSec * 1000;
  const teardown = ctx.cleanup.push(`vagrant machine ${name}`, async () => {
    await runOk(destroyArgv(), { step: 'vagrant destroy -f', timeoutMs: cleanupMs, env: vars });
    await rm(dir, { recursive: true, force: true });
  });
  try {
    const up = await vagrantUp(upArgv(vm.vagrant.provider), { env: vars, timeoutMs: vm.vagrant.upTimeoutSec * 1000, signal: ctx.signal, t0 });
    await runOk(sshArgv(['true']), { step: 'vagrant ssh (readiness)', timeoutMs: 120_000, env: vars });
    const inst: VagrantInstance = { env, id: name, dir, vars, timer: ctx.timer, teardown, phases: { ...up.phases, ready: Math.round(performance.now() - t0) } };
    env.machines.add(inst);
    return inst;
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

/** Provisioning time (venv + pip install) of one throwaway machine, from its `vagrant up` phases. */
async function install(env: VagrantEnv, pkgs: string[], ctx: DriverContext): Promise<Step> {
  try {
    const inst = await start(env, ctx);
    await stop(inst);
    const p = inst.phases;
    if (p.provisioning === undefined) return { step: 'install', ok: false, durationMs: 0, error: 'vagrant up ran no provisioner' };
    ctx.note(`Vagrant install time: the shell provisioner (venv + pip install ${pkgs.join(' ')}, from the network) of a throwaway machine`);
    return { step: 'install', ok: true, durationMs: p.up! - p.provisioning };
  } catch (err) {
    return { step: 'install', ok: false, durationMs: 0, error: err instanceof Error ? err.message : String(err) };
  }
}

async function stop(inst: VagrantInstance): Promise<void> {
  await inst.teardown();
  inst.env.machines.delete(inst);
}

async function exec(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await inst.timer.run(sshArgv(argv, opts.env), { step: `vagrant ssh -c ${argv[0]}`, timeoutMs: opts.timeoutMs ?? 600_000, env: inst.vars, input: opts.input });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, durationMs: r.durationMs, timedOut: r.timedOut };
}

/** A background command over `vagrant ssh`; stop() kills it in the guest by the pid it printed first. */
async function spawn(inst: VagrantInstance, argv: string[], opts: ExecOptions = {}): Promise<Background> {
  const wrapped = ['sh', '-c', 'echo isobench-pid:$$; exec "$@"', 'sh', ...argv];
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

async function memory(inst: VagrantInstance): Promise<Metric[]> {
  const r = await exec(inst, ['sh', '-c', "awk '/MemTotal|MemAvailable/ {print $2}' /proc/meminfo"], { timeoutMs: 60_000 });
  const [total, avail] = r.stdout.trim().split('\n').map(Number);
  if (!total || avail === undefined) throw new Error(`guest /proc/meminfo unreadable: ${r.stderr.trim()}`);
  return [{ id: 'memory.guestUsed.bytes', unit: 'bytes', value: (total - avail) * 1024, method: 'MemTotal - MemAvailable inside the guest (vagrant ssh)' }];
}

async function measure(_env: VagrantEnv, ctx: DriverContext): Promise<Metric[]> {
  return [{ id: 'memory.given.bytes', unit: 'bytes', value: ctx.config.environments.vm.memoryMiB * 1024 * 1024, method: 'Vagrantfile provider memory' }];
}

async function destroy(env: VagrantEnv): Promise<void> {
  for (const m of [...env.machines]) await stop(m);
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
