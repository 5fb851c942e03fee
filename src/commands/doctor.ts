// `isobench doctor`: every prerequisite with OK or missing and the fix; exit 0 when the default config can run.
import { loadConfig, DEFAULT_CONFIG_PATH } from '../config/load.js';
import { DRIVERS } from '../drivers/registry.js';
import { KINDS, type DriverContext } from '../drivers/types.js';
import { withCommandContext } from './context.js';
import { run } from '../lifecycle/process.js';
import { hostDebianMirror } from '../images/debian.js';
import { registryRow } from './doctor-registry.js';
import { spectrumRows } from './doctor-spectrum.js';
import { vagrantDriver } from '../drivers/vm/vagrant-driver.js';

interface Row {
  what: string;
  ok: boolean;
  detail: string;
  /** Needed by the default config (a missing one makes doctor exit 2). */
  needed: boolean;
}

/** The table doctor prints, padded to column widths. */
export function formatDoctorTable(rows: Row[]): string {
  const cells = rows.map((r) => [r.what, r.ok ? 'OK' : r.needed ? 'MISSING' : 'missing (optional)', r.detail]);
  const head = ['prerequisite', 'status', 'detail / fix'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < c.length - 1 ? x.padEnd(widths[i]!) : x)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** doctor trial-boots KVM afresh (accel auto would reuse the cached answer of an earlier trial). */
function freshTrial(ctx: DriverContext): DriverContext {
  const vm = ctx.config.environments.vm;
  if (vm.accel !== 'auto') return ctx;
  return { ...ctx, config: { ...ctx.config, environments: { ...ctx.config.environments, vm: { ...vm, accel: 'kvm-trial' } } } };
}

/** Every prerequisite of the config, as table rows. */
async function checks(ctx: DriverContext): Promise<Row[]> {
  const { config } = ctx;
  const rows: Row[] = [];
  let vmFacts: Record<string, string> = {};
  for (const kind of KINDS) {
    const driver = DRIVERS[kind];
    const needed = config.environments[kind].enabled;
    if (!driver) {
      rows.push({ what: kind, ok: false, detail: 'not available in this version', needed: false });
      continue;
    }
    const pre = await driver.preflight(kind === 'vm' ? freshTrial(ctx) : ctx);
    // SIGINT/SIGTERM: stop checking (the cleanup and the exit follow at once).
    ctx.signal.throwIfAborted();
    if (kind === 'vm') vmFacts = pre.facts ?? {};
    const facts = Object.entries(pre.facts ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    rows.push({ what: kind, ok: pre.ok, detail: pre.ok ? facts : `${pre.reason}; fix: ${pre.fix}`, needed });
    if (kind === 'docker' && pre.ok) rows.push(engineRow(pre.facts ?? {}));
  }
  if (config.environments.docker.enabled) rows.push(...(await spectrumRows(ctx)));
  rows.push(await registryRow(ctx));
  ctx.signal.throwIfAborted();
  rows.push(kvmRow(vmFacts));
  for (const provider of ['libvirt', 'virtualbox'] as const) {
    const vm = { ...config.environments.vm, vagrant: { ...config.environments.vm.vagrant, provider } };
    const vagrant = await vagrantDriver.preflight({ ...ctx, config: { ...config, environments: { ...config.environments, vm } } });
    ctx.signal.throwIfAborted();
    const chosen = provider === config.environments.vm.vagrant.provider;
    rows.push({
      what: `vagrant + ${provider}`,
      ok: vagrant.ok,
      detail: vagrant.ok ? `usable${chosen ? ' (the Vagrant row)' : ` (environments.vm.vagrant.provider: ${provider})`}` : `${vagrant.reason}; fix: ${vagrant.fix}`,
      needed: chosen && config.environments.vm.backend === 'vagrant',
    });
  }
  const deb = await run(['debootstrap', '--version'], { step: 'debootstrap --version', timeoutMs: 10_000, signal: ctx.signal });
  ctx.signal.throwIfAborted();
  rows.push({
    what: 'debootstrap (offline images)',
    ok: deb.exitCode === 0,
    detail: deb.exitCode === 0 ? deb.stdout.trim() : 'apt-get install debootstrap',
    needed: false,
  });
  const mirror = config.debian.mirror ?? (await hostDebianMirror(config.debian.suite));
  rows.push({
    what: `Debian ${config.debian.suite} mirror`,
    ok: Boolean(mirror),
    detail: mirror ? "from the config or the host's apt sources" : 'set debian.mirror in the config',
    needed: false,
  });
  return rows;
}

/** Which container engine answered, the discovery rule that chose it, and what was tried before it. */
export function engineRow(facts: Record<string, string>): Row {
  const tried = facts['docker.host.tried'];
  return {
    what: 'container engine (discovery)',
    ok: true,
    detail: `${facts['docker.engine']} ${facts['docker.version']} answered at ${facts['docker.host']}, chosen by: ${facts['docker.host.rule']}; ${tried ? `tried before it: ${tried}` : 'the first address tried'}`,
    needed: false,
  };
}

/** KVM as the VM preflight's trial boot found it (TCG works without it, only slower). */
function kvmRow(vmFacts: Record<string, string>): Row {
  const accel = vmFacts['vm.accel'];
  const reason = vmFacts['vm.accel.reason'];
  return {
    what: 'KVM that really boots',
    ok: accel === 'kvm',
    detail: accel === 'kvm' ? 'a trial boot reached the readiness marker' : `${reason ?? 'not tried (no VM image yet)'}; guests use TCG`,
    needed: false,
  };
}

/** Runs `isobench doctor`. */
export async function doctorCommand({ values }: { values: { config?: string } }): Promise<number> {
  const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
  const { value: rows, notes } = await withCommandContext('doctor', config, (ctx) => checks(ctx));
  process.stdout.write(formatDoctorTable(rows));
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  return rows.every((r) => r.ok || !r.needed) ? 0 : 2;
}
