// The Docker driver's rows: one container recipe, run on the Docker engine, under gVisor's runsc, or by rootless
// Podman's Docker-compatible API. A row is data (engine address, runtime, network), never a second driver (pure).
import type { Config } from '../../config/schema.js';
import type { EnvSpec } from '../types.js';

/** Which engine serves a row: the Docker engine the config names, or a rootless Podman's API socket. */
export type RowEngine = 'docker' | 'podman';

export interface DockerRow extends EnvSpec {
  engine: RowEngine;
  /** HostConfig.Runtime; unset: the engine's default (runc). */
  runtime?: string;
  /** Its step on the spectrum (the report orders and names rows by it). */
  step: 'container' | 'rootless-container' | 'gvisor';
  /** The image comes from the Docker engine's build (builds, layer pair and cold builds are measured on the plain row). */
  ownBuild: boolean;
}

/** The rows the config asks for, least isolated first: Docker, rootless Podman, gVisor. */
export function dockerRows(config: Config): DockerRow[] {
  const d = config.environments.docker;
  if (!d.enabled) return [];
  const rows: DockerRow[] = [{ name: 'docker-requests', label: 'docker: requests image', engine: 'docker', step: 'container', ownBuild: true }];
  if (d.podman.enabled) rows.push({ name: 'podman-rootless', label: 'rootless Podman: requests image', engine: 'podman', step: 'rootless-container', ownBuild: false });
  if (d.gvisor.enabled) {
    rows.push({ name: 'docker-gvisor', label: `gVisor (${d.gvisor.runtime}): requests image`, engine: 'docker', runtime: d.gvisor.runtime, step: 'gvisor', ownBuild: false });
  }
  return rows;
}

/** The row of a spec name; throws for a name this config does not hold. */
export function rowOf(config: Config, name: string): DockerRow {
  const row = dockerRows(config).find((r) => r.name === name);
  if (!row) throw new Error(`docker: no row named ${name} in this configuration`);
  return row;
}

/** The gVisor platform a registered runsc runs on: its --platform runtime argument, else the given default. */
export function runscPlatform(runtimeArgs: readonly string[] | undefined, fallback: string): string {
  for (let i = 0; i < (runtimeArgs ?? []).length; i++) {
    const a = runtimeArgs![i]!;
    const m = /^--?platform=(.+)$/.exec(a);
    if (m) return m[1]!;
    if (/^--?platform$/.test(a) && runtimeArgs![i + 1]) return runtimeArgs![i + 1]!;
  }
  return fallback;
}

/** The default of runsc's -platform flag, from `runsc flags` output (`(default "ptrace")`); undefined when absent. */
export function runscDefaultPlatform(flagsText: string): string | undefined {
  const m = /-platform string\s*\n[^\n]*\(default "([^"]+)"\)/.exec(flagsText);
  return m?.[1];
}
