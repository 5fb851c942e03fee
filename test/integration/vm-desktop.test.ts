// The desktop guest's build path for real, with a small package list (the real task-gnome-desktop is minutes of apt):
// the full guest plus packages apt installs in the chroot with their Recommends, on a 20 GiB disk, booted once to
// multi-user.target; its row plans sizes only. .ci/images-vm.yaml builds the same image in .ci/prepare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import type { QemuEnv, QemuInstance } from '../../src/drivers/vm/qemu-driver.js';
import { testContext } from '../helpers/context.js';

/** wget Recommends ca-certificates: both in the guest shows apt installed the Recommends, as tasksel does. */
const PACKAGES = ['wget'];

describe('vm driver (real QEMU desktop guest, small package list)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let env: QemuEnv;
  let a: QemuInstance;
  const sh = async (script: string) => {
    const r = await vmDriver.exec(a, ['sh', '-c', script], { timeoutMs: 60_000 });
    expect(r.exitCode, `${script}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    const vm = { guests: ['desktop'], suites: [], bootTimeoutSec: 900, vagrant: { enabled: false }, profiles: { desktop: { packages: PACKAGES } } };
    ctx = await testContext({ environments: { vm } } as never);
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const specs = vmDriver.specs(ctx.config);
    expect(specs.map((s) => s.name)).toEqual(['vm-desktop']);
    env = (await vmDriver.create(specs[0]!, ctx)) as QemuEnv;
    a = (await vmDriver.start(env, ctx)) as QemuInstance;
  }, 2_400_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 180_000);

  it('records what apt installed at build, and the row is the desktop guest\'s, sizes only', () => {
    const m = env.image.source === 'offline' ? env.image.manifest : undefined;
    expect(m).toMatchObject({ profile: 'desktop', aptPackages: PACKAGES, diskGiB: 20 });
    expect(m!.aptMs!).toBeGreaterThan(0);
    expect(m!.debPackageCount!).toBeGreaterThan(100);
    expect(env.facts).toMatchObject({ 'vm.profile': 'desktop', subject: 'desktop-guest', 'vm.init': 'systemd' });
    expect(env.plan).toMatchObject({ id: 'untimed', reason: 'sizes-only', start: { samples: 0 }, probes: false, density: false });
    expect(ctx.notes.join('\n')).toMatch(/task-gnome-desktop with its Recommends/);
  });

  it('has the packages and their Recommends installed in the booted guest, beside the full guest\'s', async () => {
    const status = await sh("dpkg-query -W -f '${Package} ${db:Status-Status}\\n' wget ca-certificates openssh-server");
    expect(status.split('\n').sort()).toEqual(['ca-certificates installed', 'openssh-server installed', 'wget installed']);
    expect(await sh('test ! -e /usr/sbin/policy-rc.d && echo gone')).toBe('gone');
  });

  it('boots to multi-user.target, its default target, with systemd as PID 1', async () => {
    expect(await sh('cat /proc/1/comm')).toBe('systemd');
    expect(await sh('systemctl get-default')).toBe('multi-user.target');
    expect(await sh('systemctl is-active multi-user.target')).toBe('active');
  });

  it('has a 20 GiB virtual disk, the guest\'s df of it and the image\'s actual size', async () => {
    const mem = Object.fromEntries((await vmDriver.memory(a, ctx)).map((m) => [m.id, m.value!]));
    const sizes = Object.fromEntries((await vmDriver.measure(env, ctx)).map((m) => [m.id, m.value!]));
    expect(sizes['disk.virtual.bytes']).toBe(20 * 2 ** 30);
    // The root partition fills the disk after 1 MiB; ext4's own tables take a little of it.
    expect(mem['disk.guestSize.bytes']!).toBeGreaterThan(19 * 2 ** 30);
    expect(mem['disk.guestUsed.bytes']!).toBeGreaterThan(300e6);
    expect(sizes['disk.actual.bytes']!).toBeGreaterThan(200e6);
    expect(sizes['disk.actual.bytes']!).toBeLessThan(sizes['disk.virtual.bytes']!);
  });
});
