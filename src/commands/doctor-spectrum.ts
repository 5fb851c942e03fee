// doctor's rows for the spectrum between a container and a VM: gVisor's runtime registered with dockerd, and a
// rootless Podman answering. Optional: the default run skips a row whose tool is missing, with the same reason and fix.
import { rowPreflight } from '../drivers/docker/row-engine.js';
import type { DockerRow } from '../drivers/docker/rows.js';
import type { DriverContext } from '../drivers/types.js';

interface Row {
  what: string;
  ok: boolean;
  detail: string;
  needed: boolean;
}

/** One row for the gVisor runtime and one for rootless Podman, whether or not the config turns them on. */
export async function spectrumRows(ctx: DriverContext): Promise<Row[]> {
  const d = ctx.config.environments.docker;
  const gvisor: DockerRow = { name: 'docker-gvisor', label: 'gVisor', engine: 'docker', runtime: d.gvisor.runtime, step: 'gvisor', ownBuild: false };
  const podman: DockerRow = { name: 'podman-rootless', label: 'rootless Podman', engine: 'podman', step: 'rootless-container', ownBuild: false };
  const rows: Row[] = [];
  for (const [what, row, on] of [
    [`gVisor runtime "${d.gvisor.runtime}" registered with dockerd`, gvisor, d.gvisor.enabled],
    ['rootless Podman API (podman system service)', podman, d.podman.enabled],
  ] as const) {
    const pre = (await rowPreflight(row, ctx))!;
    ctx.signal.throwIfAborted();
    const facts = Object.entries(pre.facts ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    const off = on ? '' : ' (its row is off in this config)';
    rows.push({ what, ok: pre.ok, detail: pre.ok ? `${facts}${off}` : `${pre.reason}; fix: ${pre.fix}${off}`, needed: false });
  }
  return rows;
}
