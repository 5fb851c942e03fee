// The host fingerprint: what machine the numbers were measured on.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { run } from '../lifecycle/process.js';
import type { HostInfo } from '../results/schema.js';

/** Parses /etc/os-release text into its key/value pairs (quotes removed). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** The host's os-release pairs (empty when the file is missing). */
export async function hostOsRelease(): Promise<Record<string, string>> {
  return parseOsRelease(await readFile('/etc/os-release', 'utf8').catch(() => ''));
}

/** The version printed by the host's `python3 --version`, or "not found". */
export async function hostPythonVersion(python = 'python3'): Promise<string> {
  const r = await run([python, '--version'], { step: 'python3 --version', timeoutMs: 10_000 });
  return r.exitCode === 0 ? (r.stdout || r.stderr).trim().replace(/^Python\s+/, '') : 'not found';
}

/** Whether /proc/cpuinfo says this machine runs under a hypervisor (x86's "hypervisor" CPU flag), in words; undefined when it does not. */
export function hypervisorOf(cpuinfo: string): string | undefined {
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  return flags.includes('hypervisor') ? 'its CPU flags include "hypervisor": it runs under a hypervisor' : undefined;
}

/** CPU, memory, kernel, OS, Python and Node of this machine; drivers add their facts later. */
export async function hostFingerprint(): Promise<HostInfo> {
  const cpus = os.cpus();
  const rel = await hostOsRelease();
  const virt = hypervisorOf(await readFile('/proc/cpuinfo', 'utf8').catch(() => ''));
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    os: rel.PRETTY_NAME ?? `${os.type()} ${os.release()}`,
    arch: os.arch(),
    python: await hostPythonVersion(),
    node: process.version,
    facts: virt ? { 'host.virtualization': virt } : {},
  };
}
