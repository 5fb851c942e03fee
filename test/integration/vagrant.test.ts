// The Vagrant row for real: the full guest as a libvirt box; create makes one machine from it, install
// provisions it (requests from the wheelhouse), a start sample boots that machine again after `vagrant halt`
// without provisioning it again; commands over plain ssh; memory, disk; the isolation probes between it and
// one more machine, given the first's provisioned venv over ssh (a third refused the same host port); destroy. One machine booted for the whole file
// but where the probes need a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { VAGRANT_ENV_NAME, type VagrantEnv, type VagrantInstance } from '../../src/drivers/vm/vagrant-driver.js';
import { sshExec, type Machine } from '../../src/drivers/vm/vagrant-machine.js';
import { addedBoxId, currentBoxId } from '../../src/drivers/vm/vagrant-box.js';
import { domainQemuPid } from '../../src/drivers/vm/vagrant-libvirt.js';
import type { Driver } from '../../src/drivers/types.js';
import { run } from '../../src/lifecycle/process.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { runProbes } from '../../src/run/env-run.js';
import { testContext } from '../helpers/context.js';

const domState = async (domain: string) =>
  (await run(['virsh', '--connect', 'qemu:///system', 'domstate', domain], { step: 'virsh domstate', timeoutMs: 60_000 })).stdout.trim();

describe('vagrant backend (real vagrant-libvirt machine)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let env: VagrantEnv;
  let primary: Machine;
  let a: VagrantInstance;
  let createdBootId: string;
  let primaryRequests = '';
  const made: Machine[] = [];

  beforeAll(async () => {
    ctx = await testContext({ probePort: 18961, environments: { vm: { backend: 'vagrant', vagrant: { upTimeoutSec: 2400 } } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const specs = vmDriver.specs(ctx.config);
    expect(specs.map((s) => s.name)).toEqual([VAGRANT_ENV_NAME]);
    env = (await vmDriver.create(specs[0]!, ctx)) as VagrantEnv;
    primary = env.primary!;
    made.push(primary);
    // The box Vagrant holds is this configuration's build of the full guest (re-added when the guest changed).
    expect(await addedBoxId(ctx.config.environments.vm.vagrant.box, 'libvirt')).toBe(await currentBoxId(ctx));
  }, 1_800_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
    for (const m of made) {
      expect(existsSync(m.dir)).toBe(false);
      expect(await domainQemuPid(m.domain)).toBeUndefined();
      const dom = await run(['virsh', '--connect', 'qemu:///system', 'dominfo', m.domain], { step: 'virsh dominfo', timeoutMs: 60_000 });
      expect(dom.exitCode).not.toBe(0);
    }
  }, 300_000);

  it('create makes one machine from the box, booted and not provisioned: no venv yet', async () => {
    expect(env.machines).toEqual([primary]);
    expect(primary.running).toBe(true);
    expect(await domState(primary.domain)).toBe('running');
    const r = await sshExec(primary, ctx.timer, ['sh', '-c', 'cat /proc/sys/kernel/random/boot_id; test -e /opt/isobench/venv && echo venv || echo no-venv']);
    const [bootId, venv] = r.stdout.trim().split('\n');
    createdBootId = bootId!;
    expect(venv).toBe('no-venv');
  }, 300_000);

  it('install provisions that machine (timed whole), times vagrant ssh -c, then halts it', async () => {
    const step = await vmDriver.install(env, ctx.config.packages, ctx);
    expect(step, step.error).toMatchObject({ ok: true });
    expect(step.durationMs).toBeGreaterThan(0);
    expect(step.method).toMatch(/^wall time of vagrant provision .* \(pip alone \d+\.\d s, timed inside the guest\)$/);
    expect(env.sshCliMs).toHaveLength(3);
    expect(primary).toMatchObject({ running: false, provisioned: true });
    expect(await domState(primary.domain)).toBe('shut off');
    const sizes = Object.fromEntries((await vmDriver.measure(env, ctx)).map((m) => [m.id, m]));
    expect(sizes['vagrant.ssh.ms']!.samples).toEqual(env.sshCliMs);
    expect(sizes['disk.actual.bytes']!.value!).toBeGreaterThan(300e6);
    expect(sizes['memory.given.bytes']!.value).toBe(2048 * 2 ** 20);
  }, 1_800_000);

  it('a start boots the same machine again (a new boot, provisioning not run again): phases firmware < kernel < multi-user < ready', async () => {
    a = (await vmDriver.start(env, ctx)) as VagrantInstance;
    expect(a.machine).toBe(primary);
    expect(env.machines).toEqual([primary]);
    const p = a.phases;
    expect(p.firmware!).toBeLessThan(p.kernel!);
    expect(p.kernel!).toBeLessThan(p.multiUser!);
    expect(p.multiUser!).toBeLessThan(p.ready!);
    expect(p.up!).toBeLessThan(p.ready!);
    expect(p.provisioning).toBeUndefined();
    const r = await vmDriver.exec(a, ['sh', '-c', 'cat /proc/sys/kernel/random/boot_id; cat /proc/1/comm; systemctl is-active multi-user.target; id -un; sudo -n true && echo sudo-ok; stat -c %U /opt/isobench/venv/lib/python3*/site-packages']);
    const [bootId, ...rest] = r.stdout.trim().split('\n');
    expect(bootId).not.toBe(createdBootId);
    // The provisioned venv is the login user's own (as a developer's venv is), so probes may write into it.
    expect(rest).toEqual(['systemd', 'active', 'vagrant', 'sudo-ok', 'vagrant']);
  }, 1_800_000);

  it('runs the workload in the provisioned venv over plain ssh and measures memory', async () => {
    const py = await vmDriver.exec(a, ['python', '-c', 'import requests; print(requests.__version__)'], { timeoutMs: 120_000 });
    expect(py, py.stderr).toMatchObject({ exitCode: 0 });
    expect(py.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    primaryRequests = py.stdout.trim();
    // Over the master connection a command costs no Ruby start: far below the vagrant ssh -c samples.
    expect(py.durationMs).toBeLessThan(Math.min(...env.sshCliMs));
    const bg = await vmDriver.spawn(a, ['python', '-c', 'import requests, sys, time; print("isobench-loaded", sys.prefix, flush=True); time.sleep(120)']);
    expect(await bg.waitFor(/isobench-loaded \/opt\/isobench\/venv/, 120_000)).toMatch(/isobench-loaded/);
    await bg.stop();
    const mem = Object.fromEntries((await vmDriver.memory(a, ctx)).map((m) => [m.id, m.value!]));
    expect(mem['memory.qemuRss.bytes']!).toBeGreaterThan(mem['memory.guestUsed.bytes']!);
    expect(mem['disk.guestUsed.bytes']!).toBeGreaterThan(300e6);
  }, 600_000);

  it('runs every isolation probe between it and one more machine; a third publishing the same host port is refused', async () => {
    const start = vmDriver.start.bind(vmDriver);
    let secondRequests = '';
    const probes = await runProbes({ ...vmDriver, start: async (...args: Parameters<typeof start>) => {
      const inst = (await start(...args)) as VagrantInstance;
      if (!made.includes(inst.machine)) {
        made.push(inst.machine);
        secondRequests = (await vmDriver.exec(inst, ['python', '-c', 'import requests; print(requests.__version__)'], { timeoutMs: 120_000 })).stdout.trim();
      }
      return inst;
    } } as unknown as Driver, env, ctx, await hostFingerprint(), a);
    expect(probes.map((p) => p.id).sort()).toEqual([
      'kernel', 'os-release', 'package-visibility', 'port-clash', 'process-visibility', 'python-version', 'root-mapping', 'syscall-kernel', 'system-packages', 'tmp-visibility',
    ]);
    const byId = Object.fromEntries(probes.map((p) => [p.id, p]));
    // A guest writes root's file to its own disk: no host-side owner to read, so root's mapping is not measured;
    // but it was root inside that wrote it (sudo -n in the box), not the login user.
    expect(byId['root-mapping']!, byId['root-mapping']!.summary).toMatchObject({ isolated: null, evidence: { insideUid: 0 } });
    for (const p of probes.filter((q) => q.id !== 'root-mapping')) expect(p, `${p.id}: ${p.summary}`).toMatchObject({ isolated: true });
    // Read as root, the guest's kernel log names its own boot: the same label as the other VM rows.
    expect(byId['syscall-kernel']!.evidence, byId['syscall-kernel']!.summary).toMatchObject({ answeredBy: 'guest', logError: null });
    expect(byId['port-clash']!.evidence).toMatchObject({ secondAnswered: 200, hostPortClash: true });
    expect(byId['kernel']!.evidence).toMatchObject({ otherInstanceSameKernel: false });
    // One machine more than create's, made from the box for the probes and destroyed after them; create's is halted.
    expect(made).toHaveLength(2);
    // It was given the provisioned machine's venv over ssh, not provisioned again (python-version above ran in it).
    expect(ctx.notes.join('\n')).toMatch(new RegExp(`second machine ${made[1]!.name} was made from the box and given the provisioned machine's /opt/isobench over ssh \\(tar, \\d+\\.\\d s\\)`));
    expect(secondRequests).toBe(primaryRequests);
    expect(env.machines).toEqual([primary]);
    expect(await domState(primary.domain)).toBe('shut off');
    const doms = await run(['virsh', '--connect', 'qemu:///system', 'list', '--all', '--name'], { step: 'virsh list', timeoutMs: 60_000 });
    expect(doms.stdout.split('\n').filter((d) => d.includes(`isobench-${ctx.runId}-`))).toEqual([primary.domain]);
  }, 1_800_000);

  it('destroy removes every machine and its libvirt domain; destroy again is a no-op', async () => {
    await vmDriver.destroy(env, ctx);
    await vmDriver.destroy(env, ctx);
    expect(env.machines).toEqual([]);
    expect(ctx.notes.join('\n')).toMatch(/vagrant destroy -f took \d+\.\d s(, \d+\.\d s)* \(one per machine\)/);
  }, 300_000);
});
