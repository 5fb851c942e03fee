// Which timings were taken under emulation (a VM under QEMU's TCG): shown, never judged as a hypervisor's.
import { METRICS, emulatorInflated, type MetricId } from './metrics.js';
import type { EnvResult } from '../results/schema.js';

/** The accelerator an environment ran under when it is software emulation ("TCG"), else undefined (KVM, or no VM). */
export function emulationOf(env: EnvResult): string | undefined {
  const accel = env.facts['vm.accel'];
  return accel && /tcg/i.test(accel) ? accel : undefined;
}

/** Whether a metric id is a time (an emulator's slowdown shows in it), including start phases and density times. */
export function isTiming(id: string): boolean {
  return id in METRICS ? METRICS[id as MetricId].unit === 'ms' : id.endsWith('.ms');
}

/** Whether an emulator (TCG) shaped this metric of the environment: a time it slowed, or a figure it adds to. */
export function isEmulationDependent(id: string, env: EnvResult): boolean {
  return emulationOf(env) !== undefined && (isTiming(id) || (id in METRICS && emulatorInflated(id as MetricId)));
}
