// The full-OS guest for real: Debian with systemd booted by SeaBIOS -> MBR -> extlinux from its own disk,
// ready when multi-user.target is reached; 2048 MiB and 2 vCPUs; the isolation probes run against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import type { QemuEnv, QemuInstance } from '../../src/drivers/vm/qemu-driver.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { PROBES } from '../../src/probes/index.js';
import type { ProbeResult } from '../../src/results/schema.js';
import { testContext } from '../helpers/context.js';

const PORT = 18931;

describe('vm driver (real QEMU full-OS guest)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let env: QemuEnv;
  let a: QemuInstance;
  const sh = async (script: string) => {
    const r = await vmDriver.exec(a, ['sh', '-c', script], { timeoutMs: 60_000 });
    expect(r.exitCode, `${script}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    ctx = await testContext({ environments: { vm: { guests: ['full'], bootTimeoutSec: 900, vagrant: { enabled: true } } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const specs = vmDriver.specs(ctx.config);
    expect(specs.map((s) => s.name)).toEqual(['vm-full', 'vm-vagrant']);
    env = (await vmDriver.create(specs[0]!, ctx)) as QemuEnv;
    a = (await vmDriver.start(env, ctx)) as QemuInstance;
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 180_000);

  it('names the guest in its facts: full OS, systemd, firmware boot, 2048 MiB, 2 vCPUs, the accelerator', () => {
    expect(env.facts).toMatchObject({ 'vm.profile': 'full', 'vm.init': 'systemd', 'vm.memoryMiB': '2048', 'vm.cpus': '2' });
    expect(env.facts!['vm.boot']).toMatch(/SeaBIOS → MBR → extlinux/);
    expect(env.facts!['vm.accel']).toMatch(/^(KVM|TCG)$/);
    expect(ctx.notes.join('\n')).toMatch(/server-style Debian install/);
  });

  it('boots through the firmware and extlinux from its own disk, not QEMU -kernel', async () => {
    const argv = (await readFile(`/proc/${a.guest.proc.pid}/cmdline`, 'utf8')).split('\0');
    expect(argv).not.toContain('-kernel');
    expect(argv).toContain('2048');
    expect(await sh('cat /proc/cmdline')).toMatch(/^BOOT_IMAGE=\/boot\/vmlinuz-\S+ root=LABEL=isobench-root/);
    const p = a.phases;
    expect(p.spawned!).toBeLessThan(p.kernel!);
    expect(p.firmware!).toBeLessThan(p.kernel!);
    expect(p.kernel!).toBeLessThan(p.ready!);
  });

  it('runs systemd as PID 1, reached multi-user.target before the agent answered, with journald, udev, networkd (DHCP) and sshd up', async () => {
    expect(await sh('cat /proc/1/comm')).toBe('systemd');
    expect(await sh('systemctl is-active multi-user.target')).toBe('active');
    const target = Number(await sh('systemctl show -P ActiveEnterTimestampMonotonic multi-user.target'));
    const agent = Number(await sh('systemctl show -P ExecMainStartTimestampMonotonic isobench-agent.service'));
    expect(target).toBeGreaterThan(0);
    expect(agent).toBeGreaterThanOrEqual(target);
    expect(await sh('systemctl is-active systemd-journald systemd-udevd systemd-networkd ssh')).toBe('active\nactive\nactive\nactive');
    expect(await sh('ip -4 -o addr show scope global')).toMatch(/inet 10\.0\.2\.15\/24 .*dynamic/);
    expect(await sh('nproc')).toBe('2');
  });

  it('measures its disk from inside (df) and QEMU\'s memory', async () => {
    const mem = Object.fromEntries((await vmDriver.memory(a, ctx)).map((m) => [m.id, m.value!]));
    expect(mem['disk.guestUsed.bytes']!).toBeGreaterThan(300e6);
    expect(mem['disk.guestUsed.bytes']!).toBeLessThan(8 * 2 ** 30);
    expect(mem['memory.guestUsed.bytes']!).toBeLessThan(2048 * 2 ** 20);
    expect(mem['memory.qemuRss.bytes']!).toBeGreaterThan(mem['memory.guestUsed.bytes']!);
    const sizes = Object.fromEntries((await vmDriver.measure(env, ctx)).map((m) => [m.id, m.value!]));
    expect(sizes['disk.virtual.bytes']).toBe(8 * 2 ** 30);
    expect(sizes['memory.given.bytes']).toBe(2048 * 2 ** 20);
  });

  it('runs the isolation probes against two full guests', async () => {
    const b = (await vmDriver.start(env, ctx, { publish: [{ inside: ctx.config.probePort, host: PORT }] })) as QemuInstance;
    const host = await hostFingerprint();
    const out: ProbeResult[] = [];
    try {
      for (const probe of PROBES.filter((p) => p.appliesTo.includes('vm'))) {
        out.push(await probe.run({ driver: vmDriver as never, env, a: b, b: a, ctx, host, port: ctx.config.probePort, hostPort: PORT, placement: { sameMachine: true, reason: 'QEMU guests run on this machine' } }));
      }
    } finally {
      await vmDriver.stop(b);
    }
    const byId = Object.fromEntries(out.map((p) => [p.id, p]));
    expect(byId['kernel']?.isolated, byId['kernel']?.summary).toBe(true);
    expect(byId['tmp-visibility']?.isolated, byId['tmp-visibility']?.summary).toBe(true);
    expect(byId['port-clash']?.isolated, byId['port-clash']?.summary).toBe(true);
    expect(byId['process-visibility']?.isolated, byId['process-visibility']?.summary).toBe(true);
  }, 1_200_000);
});
