// Is the Docker daemon on this machine? Judged from its address and what `docker info` says of its host.
import os from 'node:os';
import { engine } from './engine.js';
import type { DriverContext, Placement } from '../types.js';

/** What the daemon says of the machine it runs on (`docker info`), and the address it answered at. */
export interface DaemonView {
  address: string;
  /** info.Name: the daemon host's hostname. */
  name: string;
  /** info.KernelVersion. */
  kernel: string;
  /** info.OperatingSystem, e.g. "Debian GNU/Linux 12 (bookworm)" or "Docker Desktop". */
  os: string;
}

/** This machine: its hostname and kernel release. */
export interface LocalView {
  hostname: string;
  kernel: string;
}

/**
 * Decides whether containers run on this machine (pure). A tcp:// address alone does not mean another machine
 * (it may be a local forward), so identity decides: the daemon must report this hostname and this kernel release;
 * ssh:// and Docker Desktop (its own VM) are another machine whatever they report.
 */
export function dockerPlacement(daemon: DaemonView, local: LocalView): Placement {
  const at = `the Docker daemon at ${daemon.address}`;
  if (/^ssh:\/\//.test(daemon.address)) return { sameMachine: false, reason: `${at} is reached over SSH, on host "${daemon.name}"` };
  if (/docker desktop/i.test(daemon.os)) {
    return { sameMachine: false, reason: `${at} is Docker Desktop, which runs containers in its own VM (kernel ${daemon.kernel})` };
  }
  if (daemon.kernel !== local.kernel) {
    return { sameMachine: false, reason: `${at} runs kernel ${daemon.kernel} on "${daemon.name}", this machine runs ${local.kernel}` };
  }
  if (daemon.name !== local.hostname) {
    return { sameMachine: false, reason: `${at} runs on host "${daemon.name}", this machine is "${local.hostname}"` };
  }
  return { sameMachine: true, reason: `${at} reports this machine's hostname "${local.hostname}" and kernel ${local.kernel}` };
}

/** Asks the daemon (`docker info`) and compares it with this machine. */
export async function daemonPlacement(ctx: DriverContext): Promise<Placement> {
  const { docker, host } = await engine(ctx);
  const info = await docker.info();
  const daemon: DaemonView = {
    address: host,
    name: String(info.Name ?? ''),
    kernel: String(info.KernelVersion ?? ''),
    os: String(info.OperatingSystem ?? ''),
  };
  return dockerPlacement(daemon, { hostname: os.hostname(), kernel: os.release() });
}
