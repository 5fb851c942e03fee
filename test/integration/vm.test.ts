// The VM driver for real: the micro guest (direct kernel boot, sh init) from the offline image booted with
// QEMU (TCG where KVM hangs); vm-full.test.ts boots the full guest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { request } from 'node:http';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import type { QemuEnv, QemuInstance } from '../../src/drivers/vm/qemu-driver.js';
import type { Driver, Metric } from '../../src/drivers/types.js';
import { syscallKernelProbe } from '../../src/probes/syscall-kernel.js';
import { rootMappingProbe } from '../../src/probes/root-mapping.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { guestProfile } from '../../src/drivers/vm/profiles.js';
import { testContext } from '../helpers/context.js';

const INSIDE = 8000;
const HOST_PORT = 18901;

/** GET http://127.0.0.1:port/ from the host; resolves with the status code. */
function httpStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 20_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

const byId = (ms: Metric[]) => Object.fromEntries(ms.map((m) => [m.id, m.value]));

describe('vm driver (real QEMU micro guest)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let env: QemuEnv;
  let a: QemuInstance;

  beforeAll(async () => {
    ctx = await testContext({ environments: { vm: { guests: ['micro'] } } as never });
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const [spec] = vmDriver.specs(ctx.config);
    env = (await vmDriver.create(spec!, ctx)) as QemuEnv;
    a = (await vmDriver.start(env, ctx, { publish: [{ inside: INSIDE, host: HOST_PORT }] })) as QemuInstance;
  }, 1_800_000);

  afterAll(async () => {
    const overlay = a?.guest.overlay;
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
    if (overlay) expect(existsSync(overlay)).toBe(false);
  }, 120_000);

  it('records how it accelerated and boots to the readiness marker with ordered phases', () => {
    expect(ctx.notes.join('\n')).toMatch(/VM accelerator: (KVM|TCG)/);
    const p = a.phases;
    expect(Object.keys(p).sort()).toEqual(['firmware', 'kernel', 'overlay', 'ready', 'spawned']);
    expect(p.spawned!).toBeLessThan(p.ready!);
    expect(p.kernel!).toBeGreaterThan(p.spawned!);
    expect(p.kernel!).toBeLessThanOrEqual(p.ready!);
    expect(a.id).toContain(ctx.runId);
  });

  it('runs argv in the guest: its own kernel, the venv python with requests, a readable os-release', async () => {
    const uname = await vmDriver.exec(a, ['uname', '-r']);
    expect(uname.exitCode).toBe(0);
    expect(uname.stdout.trim()).not.toBe(release());
    const py = await vmDriver.exec(a, ['python', '-c', 'import requests, sys; print(requests.__version__, sys.prefix)'], { timeoutMs: 60_000 });
    expect(py, py.stderr).toMatchObject({ exitCode: 0, timedOut: false });
    expect(py.stdout).toMatch(/^\d+\.\d+\.\d+ \/opt\/isobench\/venv$/m);
    const os = await vmDriver.exec(a, ['cat', '/etc/os-release']);
    expect(os.stdout).toMatch(/ID=debian/);
  });

  it("is answered by its own guest kernel, and has no host-side file to show root's mapping", async () => {
    const session = { driver: vmDriver as unknown as Driver, env, a, b: a, ctx, host: await hostFingerprint(), port: 0, hostPort: 0, placement: { sameMachine: true, reason: 'QEMU on this machine' } };
    const sk = await syscallKernelProbe.run(session);
    expect(sk, sk.summary).toMatchObject({ isolated: true, evidence: { answeredBy: 'guest' } });
    expect(sk.evidence.insideBootId).not.toBe(sk.evidence.hostBootId);
    const rm = await rootMappingProbe.run(session);
    expect(rm, rm.summary).toMatchObject({ isolated: null, evidence: { hostOwner: null, rootOnHost: null } });
    expect(rm.summary).toMatch(/its own disk image, .*; uid_map inside: 0 0 4294967295/);
  });

  it('returns a non-zero exit, stdin and a timeout as data', async () => {
    expect((await vmDriver.exec(a, ['sh', '-c', 'echo oops >&2; exit 3'])).exitCode).toBe(3);
    expect((await vmDriver.exec(a, ['no-such-command'])).exitCode).toBe(127);
    expect((await vmDriver.exec(a, ['cat'], { input: 'piped' })).stdout).toBe('piped');
    expect((await vmDriver.exec(a, ['env'], { env: { ISOBENCH_X: '1' } })).stdout).toMatch(/^ISOBENCH_X=1$/m);
    const slow = await vmDriver.exec(a, ['sleep', '60'], { timeoutMs: 1_000 });
    expect(slow.timedOut).toBe(true);
    expect(slow.exitCode).not.toBe(0);
  });

  it('spawns a server reachable on the published 127.0.0.1 port, and stops it', async () => {
    const server = await vmDriver.spawn(a, ['python', '-u', '-m', 'http.server', '--bind', '0.0.0.0', String(INSIDE)]);
    await server.waitFor(/Serving HTTP on/, 60_000);
    expect(await httpStatus(HOST_PORT)).toBe(200);
    await server.stop();
    await server.stop();
    const left = await vmDriver.exec(a, ['sh', '-c', 'ps -eo args | grep -c "[h]ttp.server" || true']);
    expect(left.stdout.trim()).toBe('0');
  }, 120_000);

  it('rejects a second guest publishing the same host port, clearly and without leftovers', async () => {
    const before = (await findQemuProcesses(`isobench-${ctx.runId}-`)).length;
    await expect(vmDriver.start(env, ctx, { publish: [{ inside: INSIDE, host: HOST_PORT }] })).rejects.toThrow(
      /127\.0\.0\.1:18901 is already in use/,
    );
    expect((await findQemuProcesses(`isobench-${ctx.runId}-`)).length).toBe(before);
  });

  it('measures disk and memory sanely', async () => {
    const sizes = byId(await vmDriver.measure(env, ctx));
    expect(sizes['disk.actual.bytes']!).toBeGreaterThan(100e6);
    expect(sizes['disk.actual.bytes']!).toBeLessThan(3e9);
    const micro = guestProfile('micro', ctx.config.environments.vm);
    expect(sizes['disk.virtual.bytes']).toBe(micro.diskGiB * 2 ** 30);
    expect(sizes['memory.given.bytes']).toBe(micro.memoryMiB * 2 ** 20);
    const mem = byId(await vmDriver.memory(a, ctx));
    expect(mem['memory.qemuRss.bytes']!).toBeGreaterThan(20e6);
    expect(mem['memory.guestUsed.bytes']!).toBeGreaterThan(5e6);
    expect(mem['memory.guestUsed.bytes']!).toBeLessThan(micro.memoryMiB * 2 ** 20);
    expect(mem['disk.guestUsed.bytes']!).toBeGreaterThan(100e6);
    expect(mem['disk.guestUsed.bytes']!).toBeLessThan(micro.diskGiB * 2 ** 30);
  });

  it('stops an instance idempotently and removes its overlay', async () => {
    const b = (await vmDriver.start(env, ctx)) as QemuInstance;
    expect(existsSync(b.guest.overlay)).toBe(true);
    await vmDriver.stop(b);
    await vmDriver.stop(b);
    expect(existsSync(b.guest.overlay)).toBe(false);
    expect((await findQemuProcesses(b.id)).length).toBe(0);
  }, 600_000);
});
