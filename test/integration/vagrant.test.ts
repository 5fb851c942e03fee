// The Vagrant row for real: the full guest as a libvirt box, `vagrant up` (TCG where KVM does not boot),
// the provisioner installing requests from the wheelhouse, vagrant ssh, memory, disk, the isolation
// probes between two machines running at once (a third refused the same host port), destroy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { VAGRANT_ENV_NAME, type VagrantEnv, type VagrantInstance } from '../../src/drivers/vm/vagrant-driver.js';
import { addedBoxId, currentBoxId } from '../../src/drivers/vm/vagrant-box.js';
import { domainQemuPid } from '../../src/drivers/vm/vagrant-libvirt.js';
import type { Driver } from '../../src/drivers/types.js';
import { run } from '../../src/lifecycle/process.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { runProbes } from '../../src/run/env-run.js';
import { testContext } from '../helpers/context.js';

describe('vagrant backend (real vagrant-libvirt machine)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let env: VagrantEnv;
  let a: VagrantInstance;

  beforeAll(async () => {
    ctx = await testContext({ probePort: 18961, environments: { vm: { backend: 'vagrant', vagrant: { upTimeoutSec: 2400 } } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const specs = vmDriver.specs(ctx.config);
    expect(specs.map((s) => s.name)).toEqual([VAGRANT_ENV_NAME]);
    env = (await vmDriver.create(specs[0]!, ctx)) as VagrantEnv;
    // The box Vagrant holds is this configuration's build of the full guest (re-added when the guest changed).
    expect(await addedBoxId(ctx.config.environments.vm.vagrant.box, 'libvirt')).toBe(await currentBoxId(ctx));
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    if (a) {
      expect(existsSync(a.dir)).toBe(false);
      expect(await domainQemuPid(a.domain)).toBeUndefined();
      const dom = await run(['virsh', '--connect', 'qemu:///system', 'dominfo', a.domain], { step: 'virsh dominfo', timeoutMs: 60_000 });
      expect(dom.exitCode).not.toBe(0);
    }
  }, 300_000);

  it('installs requests offline with the provisioner, timed inside the guest', async () => {
    const step = await vmDriver.install(env, ctx.config.packages, ctx);
    expect(step, step.error).toMatchObject({ ok: true });
    expect(step.durationMs).toBeGreaterThan(0);
    expect(ctx.notes.join('\n')).toMatch(/wheelhouse the file provisioner copied in/);
  }, 1_800_000);

  it('boots the full guest: systemd reached multi-user, phases firmware < kernel < multi-user < ready', async () => {
    a = (await vmDriver.start(env, ctx)) as VagrantInstance;
    const p = a.phases;
    expect(p.firmware!).toBeLessThan(p.kernel!);
    expect(p.kernel!).toBeLessThan(p.multiUser!);
    expect(p.multiUser!).toBeLessThan(p.ready!);
    expect(p.up!).toBeLessThan(p.ready!);
    const r = await vmDriver.exec(a, ['sh', '-c', 'cat /proc/1/comm; systemctl is-active multi-user.target; id -un; sudo -n true && echo sudo-ok; stat -c %U /opt/isobench/venv/lib/python3*/site-packages']);
    // The provisioned venv is the login user's own (as a developer's venv is), so probes may write into it.
    expect(r.stdout.trim().split('\n')).toEqual(['systemd', 'active', 'vagrant', 'sudo-ok', 'vagrant']);
  }, 1_800_000);

  it('runs the workload in the provisioned venv and measures memory and disk', async () => {
    const py = await vmDriver.exec(a, ['python', '-c', 'import requests; print(requests.__version__)'], { timeoutMs: 120_000 });
    expect(py, py.stderr).toMatchObject({ exitCode: 0 });
    expect(py.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // The run's memory workload is a background python (spawn): the venv's, like exec's.
    const bg = await vmDriver.spawn(a, ['python', '-c', 'import requests, sys, time; print("isobench-loaded", sys.prefix, flush=True); time.sleep(120)']);
    expect(await bg.waitFor(/isobench-loaded \/opt\/isobench\/venv/, 120_000)).toMatch(/isobench-loaded/);
    await bg.stop();
    const mem = Object.fromEntries((await vmDriver.memory(a, ctx)).map((m) => [m.id, m.value!]));
    expect(mem['memory.qemuRss.bytes']!).toBeGreaterThan(mem['memory.guestUsed.bytes']!);
    expect(mem['disk.guestUsed.bytes']!).toBeGreaterThan(300e6);
    const sizes = Object.fromEntries((await vmDriver.measure(env, ctx)).map((m) => [m.id, m.value!]));
    expect(sizes['disk.actual.bytes']!).toBeGreaterThan(300e6);
    expect(sizes['memory.given.bytes']).toBe(2048 * 2 ** 20);
  }, 600_000);

  it('runs every isolation probe between two machines up at once; a third publishing the same host port is refused', async () => {
    const probes = await runProbes(vmDriver as unknown as Driver, env, ctx, await hostFingerprint(), a);
    expect(probes.map((p) => p.id).sort()).toEqual(['kernel', 'os-release', 'package-visibility', 'port-clash', 'process-visibility', 'python-version', 'system-packages', 'tmp-visibility']);
    for (const p of probes) expect(p, `${p.id}: ${p.summary}`).toMatchObject({ isolated: true });
    const byId = Object.fromEntries(probes.map((p) => [p.id, p]));
    expect(byId['port-clash']!.evidence).toMatchObject({ secondAnswered: 200, hostPortClash: true });
    expect(byId['kernel']!.evidence).toMatchObject({ otherInstanceSameKernel: false });
    // runProbes stops both machines (the probes' own and `a`): nothing of them is left in libvirt.
    expect(env.machines.size).toBe(0);
    const doms = await run(['virsh', '--connect', 'qemu:///system', 'list', '--all', '--name'], { step: 'virsh list', timeoutMs: 60_000 });
    expect(doms.stdout.split('\n').filter((d) => d.includes(`isobench-${ctx.runId}-`))).toEqual([]);
  }, 1_800_000);

  it('destroys the machine and its libvirt domain', async () => {
    await vmDriver.stop(a);
    await vmDriver.stop(a);
    expect(env.destroyMs.length).toBeGreaterThan(0);
  }, 300_000);
});
