// The vm driver: the QEMU backend (default) or the Vagrant backend, per environments.vm.backend.
import type { Driver } from '../types.js';
import { qemuDriver, type QemuEnv, type QemuInstance } from './qemu-driver.js';
import { vagrantDriver, type VagrantEnv, type VagrantInstance } from './vagrant-driver.js';

export { buildVmImage, findVmImage } from './image.js';
export { findQemuProcesses, killQemuProcesses } from './orphans.js';

export type VmEnv = QemuEnv | VagrantEnv;
export type VmInstance = QemuInstance | VagrantInstance;

/** The backend an environment or instance belongs to (typed as the union: the backends share the contract). */
const of = (e: VmEnv) => (e.backend === 'qemu' ? qemuDriver : vagrantDriver) as unknown as Driver<VmEnv, VmInstance>;
const byConfig = (backend: 'qemu' | 'vagrant') => (backend === 'qemu' ? qemuDriver : vagrantDriver) as unknown as Driver<VmEnv, VmInstance>;

/** The vm driver the registry maps kind 'vm' to; creation follows the config, the rest the environment's backend. */
export const vmDriver: Driver<VmEnv, VmInstance> = {
  kind: 'vm',
  preflight: (ctx) => byConfig(ctx.config.environments.vm.backend).preflight(ctx),
  specs: (config) => byConfig(config.environments.vm.backend).specs(config),
  create: (spec, ctx) => byConfig(ctx.config.environments.vm.backend).create(spec, ctx),
  install: (env, pkgs, ctx) => of(env).install(env, pkgs, ctx),
  start: (env, ctx, opts) => of(env).start(env, ctx, opts),
  exec: (inst, argv, opts) => of(inst.env).exec(inst, argv, opts),
  spawn: (inst, argv, opts) => of(inst.env).spawn(inst, argv, opts),
  stop: (inst) => of(inst.env).stop(inst),
  measure: (env, ctx) => of(env).measure(env, ctx),
  memory: (inst, ctx) => of(inst.env).memory(inst, ctx),
  destroy: (env, ctx) => of(env).destroy(env, ctx),
};
