// The spectrum's order, least to most isolated, and each row's step on it (from the fact its driver recorded).
import { KINDS, type Kind } from '../drivers/types.js';
import type { EnvResult } from '../results/schema.js';

/**
 * Least to most isolated. A venv shares everything; a container gets namespaces on the host's kernel; a rootless one
 * also maps its root to an unprivileged uid; gVisor answers system calls with its own user-space kernel; a VM has a
 * guest kernel behind a hypervisor (the micro-VM with fewer devices than the full OS; Vagrant drives a full VM).
 */
export const SPECTRUM = ['venv', 'container', 'rootless-container', 'gvisor', 'micro-vm', 'full-vm', 'vagrant'] as const;

/** A row's step: the isolation.step fact; results written before it existed fall back to their kind's first step. */
export function stepOf(env: { kind: Kind; facts?: Record<string, string> }): string {
  return env.facts?.['isolation.step'] ?? ({ venv: 'venv', docker: 'container', vm: 'full-vm' } as const)[env.kind];
}

function rank(env: { kind: Kind; facts?: Record<string, string> }): number {
  const i = (SPECTRUM as readonly string[]).indexOf(stepOf(env));
  return i < 0 ? SPECTRUM.length + KINDS.indexOf(env.kind) : i;
}

/** Items (environments, or rows carrying one as `env`) from the least to the most isolated; ties keep their order. */
export function bySpectrum<T extends { kind: Kind; facts?: Record<string, string>; env?: EnvResult }>(items: readonly T[]): T[] {
  return items
    .map((x, i) => ({ x, i, r: rank(x.env ?? x) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ x }) => x);
}
