// The vm driver: the QEMU guests (one row per guest profile) and the Vagrant machine (its own row),
// per environments.vm.backend and environments.vm.vagrant.enabled.
import type { Config } from '../../config/schema.js';
import type { Driver, EnvSpec } from '../types.js';
import { qemuDriver, type QemuEnv, type QemuInstance } from './qemu-driver.js';
import { VAGRANT_ENV_NAME, vagrantDriver, vagrantLeftOut, type VagrantEnv, type VagrantInstance } from './vagrant-driver.js';

export { buildVmImage, buildVmImages, findVmImage } from './image.js';
export { findQemuProcesses, killQemuProcesses } from './orphans.js';

export type VmEnv = QemuEnv | VagrantEnv;
export type VmInstance = QemuInstance | VagrantInstance;

type Backend = 'qemu' | 'vagrant';
const BACKENDS = { qemu: qemuDriver, vagrant: vagrantDriver } as unknown as Record<Backend, Driver<VmEnv, VmInstance>>;

/** The backend an environment or instance belongs to (typed as the union: the backends share the contract). */
const of = (e: VmEnv) => BACKENDS[e.backend];
const ofSpec = (spec: EnvSpec): Backend => (spec.name === VAGRANT_ENV_NAME ? 'vagrant' : 'qemu');

/** The rows: the QEMU guests (unless backend: vagrant), then the Vagrant machine when enabled. */
function specs(config: Config): EnvSpec[] {
  const vm = config.environments.vm;
  const qemu = vm.backend === 'qemu' ? qemuDriver.specs(config) : [];
  const vagrant = vm.backend === 'vagrant' || vm.vagrant.enabled !== false ? vagrantDriver.specs(config) : [];
  return [...qemu, ...vagrant];
}

/** The vm driver the registry maps kind 'vm' to; each row goes to its backend. */
export const vmDriver: Driver<VmEnv, VmInstance> = {
  kind: 'vm',
  preflight: (ctx) => BACKENDS[ctx.config.environments.vm.backend].preflight(ctx),
  preflightSpec: async (spec, ctx) => (ofSpec(spec) === 'vagrant' && ctx.config.environments.vm.backend === 'qemu' ? ((await vagrantLeftOut(ctx)) ?? vagrantDriver.preflight(ctx)) : undefined),
  specs,
  create: (spec, ctx) => BACKENDS[ofSpec(spec)].create(spec, ctx),
  install: (env, pkgs, ctx) => of(env).install(env, pkgs, ctx),
  start: (env, ctx, opts) => of(env).start(env, ctx, opts),
  exec: (inst, argv, opts) => of(inst.env).exec(inst, argv, opts),
  spawn: (inst, argv, opts) => of(inst.env).spawn(inst, argv, opts),
  stop: (inst) => of(inst.env).stop(inst),
  measure: (env, ctx) => of(env).measure(env, ctx),
  memory: (inst, ctx) => of(inst.env).memory(inst, ctx),
  destroy: (env, ctx) => of(env).destroy(env, ctx),
  hostPath: async () => ({ none: "a guest writes to its own disk image, which shares no folder with this host here" }),
};
