// The "read this first" box: what about this run changes how its numbers read, taken from the results' own facts.
import { emulationOf } from '../claims/emulation.js';
import type { EnvResult, RunResults, SamplePlanResult } from '../results/schema.js';
import type { Messages } from './i18n/en.js';
import { formatValue } from './format.js';

/** What a minimal debootstrap guest is (a Vagrant box only when it is isobench's, the full guest's disk). */
const MINIMAL_SUBJECTS = new Set(['server-guest', 'micro-guest', 'vagrant-box']);

/** A host fact that says the host itself is virtualized (e.g. systemd-detect-virt's answer), when a run recorded one. */
const HOST_VIRT_FACTS = ['host.virtualization', 'host.virt'];

/** The box's lines: acceleration of the VMs, whether the host is a VM, registry, and the systems seen beside the document's. */
export function readFirstLines(r: RunResults, t: Messages): string[] {
  const w = t.reader.readFirst;
  const done = r.environments.filter((e) => e.status === 'completed');
  const vms = done.filter((e) => e.facts['vm.accel']);
  const emulated = vms.filter((e) => emulationOf(e));
  const accelerated = vms.filter((e) => !emulationOf(e));
  const lines: string[] = [];
  if (emulated.length) {
    const reason = r.host.facts['vm.accel.reason'] ?? emulated[0]!.facts['vm.accel.reason'] ?? '';
    lines.push(w.tcg(emulated.map((e) => e.name).join(', '), reason));
  }
  if (accelerated.length) lines.push(w.kvm(accelerated.map((e) => e.name).join(', ')));
  const minimal = vms.filter((e) => MINIMAL_SUBJECTS.has(e.facts['subject'] ?? '') && (e.facts['subject'] !== 'vagrant-box' || /^Vagrant box of the full OS guest/.test(e.facts['vm.guest'] ?? '')));
  const desktop = vms.filter((e) => e.facts['subject'] === 'desktop-guest').map((e) => e.name).join(', ');
  if (minimal.length) lines.push(w.guests(minimal.map((e) => e.name).join(', '), desktop));
  lines.push(...planLines(r.environments, t));
  lines.push(w.host(r.host.cpuModel, r.host.cores, formatValue(r.host.memoryBytes, 'bytes')));
  const virt = HOST_VIRT_FACTS.map((k) => r.host.facts[k]).find(Boolean);
  lines.push(virt && virt !== 'none' ? w.hostVm(virt) : w.hostVmUnknown);
  const offline = [...new Set(done.filter((e) => e.facts['docker.imagePath'] === 'offline').map((e) => e.facts['docker.baseImage'] ?? e.facts['docker.image'] ?? e.name))];
  if (offline.length) lines.push(w.offline(offline.join(', ')));
  const systems = [...new Set(done.flatMap((e) => e.probes.filter((p) => p.id === 'os-release').map((p) => p.evidence.inside)).filter((x): x is string => typeof x === 'string'))];
  if (systems.length === 1) lines.push(w.os(systems[0]!, r.host.os));
  else if (systems.length > 1) lines.push(w.osMixed(systems.join(', '), r.host.os));
  return lines;
}

/** One line per sample plan that ran (rows grouped by plan), then one per row left out by its plan; none for results without plans. */
export function planLines(envs: readonly EnvResult[], t: Messages): string[] {
  const w = t.reader.readFirst;
  const groups = new Map<string, { plan: SamplePlanResult; names: string[] }>();
  const lines: string[] = [];
  for (const e of envs) {
    if (!e.plan) continue;
    if (e.plan.id === 'left-out') {
      lines.push(w.leftOut(e.name, e.plan.repeats ?? ''));
      continue;
    }
    if (e.status !== 'completed') continue;
    const key = `${e.plan.id}/${e.plan.reason}/${e.plan.starts}/${e.plan.probes}`;
    const g = groups.get(key) ?? { plan: e.plan, names: [] };
    g.names.push(e.name);
    groups.set(key, g);
  }
  return [...[...groups.values()].map((g) => w.plan(g.names.join(', '), g.plan)), ...lines];
}
