// One guest boot: overlay on the cached base, boot media (kernel, or a cloud image's NoCloud seed),
// QEMU, agent connection, readiness, honest phases.
import { createServer } from 'node:net';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { AgentClient, type Hello } from './agent-client.js';
import { nocloudSeed } from './cloud-init.js';
import type { GuestImage } from './cloud-image.js';
import type { GuestProfile } from './profiles.js';
import { kernelCmdline, qemuArgv, type Accel, type Publish, type QemuSpec } from './qemu-args.js';
import { overlayArgv } from './qemu-img.js';
import { spawnQemu, stopQemu, type QemuProcess } from './qemu-process.js';
import { writeSeedIso } from './seed-iso.js';

export interface BootSpec {
  /** Unique within the run; the QEMU -name is isobench-<runId>-<id>. */
  id: string;
  image: GuestImage;
  /** The guest's allocation (memory, vCPUs, disk size). */
  profile: Pick<GuestProfile, 'memoryMiB' | 'cpus' | 'diskGiB'>;
  accel: Accel;
  publish: Publish[];
  /** Readiness deadline. */
  timeoutMs: number;
  /** performance.now() when the caller's start() began: phases count from there. */
  t0: number;
}

export interface Guest {
  id: string;
  qemuName: string;
  overlay: string;
  proc: QemuProcess;
  agent: AgentClient;
  hello: Hello;
  /**
   * ms since spec.t0: overlay, seed (cloud image: NoCloud seed ISO written), spawned, firmware (guest
   * clock zero, estimated), kernel (PID 1 started, estimated), ready (agent hello; for a cloud image
   * after cloud-init installed python3-venv and the packages).
   */
  phases: Record<string, number>;
  /** Stops QEMU and removes the overlay; idempotent. */
  stop(): Promise<void>;
}

/**
 * Rejects with the fix when a host port to publish is taken, before the machine is started: QEMU would
 * fail on it, and vagrant-libvirt would boot the machine and then its ssh forward would fail to bind.
 */
export async function assertPortsFree(publish: Publish[], who = 'vm start'): Promise<void> {
  for (const { host } of publish) {
    await new Promise<void>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(portInUse(who, host, err.code === 'EADDRINUSE' ? 'already in use' : err.message))),
      );
      srv.listen(host, '127.0.0.1', () => srv.close(() => resolve()));
    });
  }
}

function portInUse(who: string, host: number, why: string): string {
  return `${who}: host port 127.0.0.1:${host} is ${why} (another guest or process publishes it); stop that one or publish on another host port`;
}

/** Boots a guest and waits for its agent; registers the teardown on ctx.cleanup before spawning QEMU. */
export async function bootGuest(spec: BootSpec, ctx: DriverContext): Promise<Guest> {
  const phases: Record<string, number> = {};
  const mark = (name: string) => (phases[name] = Math.round(performance.now() - spec.t0));
  const dir = join(ctx.workDir, 'vm', spec.id);
  await mkdir(dir, { recursive: true });
  const sockDir = join(dir, 'agent.sock').length <= 100 ? dir : await mkdtemp(join(tmpdir(), 'isobench-vm-'));
  const qmpSocket = join(sockDir, 'qmp.sock');
  const agentSocket = join(sockDir, 'agent.sock');
  const consoleLog = join(dir, 'console.log');
  const overlay = join(dir, 'overlay.qcow2');
  let proc: QemuProcess | undefined;
  let agent: AgentClient | undefined;
  let up = false;
  const teardown = ctx.cleanup.push(`vm guest ${spec.id} (QEMU + overlay ${overlay})`, async () => {
    ctx.signal.removeEventListener('abort', onAbort);
    agent?.close();
    // Interrupted: the overlay is thrown away, so no power-down; a short QMP quit, then SIGKILL.
    const fast = ctx.signal.aborted;
    const deadlines = fast ? { powerdownMs: 0, quitMs: 500, killMs: 2_000 } : { powerdownMs: up ? 10_000 : 0, quitMs: 5_000, killMs: 5_000 };
    let failure: unknown;
    if (proc) await stopQemu(proc, qmpSocket, deadlines).catch((err: unknown) => (failure = err));
    await rm(dir, { recursive: true, force: true });
    if (sockDir !== dir) await rm(sockDir, { recursive: true, force: true });
    if (failure) throw failure;
  });
  // One stop in flight: every caller (abort, stop(), the cleanup stack) waits for the same one.
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= teardown());
  // SIGINT/SIGTERM stop the guest at once: a boot or a guest command in progress ends with it.
  function onAbort() {
    stop().catch(() => undefined);
  }
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    ctx.signal.throwIfAborted();
    await assertPortsFree(spec.publish);
    const { memoryMiB, cpus, diskGiB } = spec.profile;
    const image = spec.image;
    const sized = image.source === 'cloud' ? { baseFormat: image.format, sizeBytes: Math.max(image.virtualBytes, diskGiB * 2 ** 30) } : {};
    await runOk(overlayArgv(image.disk, overlay, sized), { step: 'qemu-img create (overlay)', timeoutMs: 30_000, signal: ctx.signal });
    mark('overlay');
    const media = await bootMedia(spec, dir, ctx);
    if (media.seedIso) mark('seed');
    const qemuName = `isobench-${ctx.runId}-${spec.id}`;
    const argv = qemuArgv({
      name: qemuName,
      accel: spec.accel,
      tcgTbSizeMiB: ctx.config.environments.vm.tcgTbSizeMiB,
      memoryMiB,
      cpus,
      ...media,
      disk: overlay,
      qmpSocket,
      agentSocket,
      consoleLog,
      publish: spec.publish,
    });
    ctx.log.debug(`vm: ${argv.join(' ')}`);
    const qemu = await spawnQemu(argv, join(dir, 'qemu.log'));
    proc = qemu;
    mark('spawned');
    const hello = await waitReady(spec, qemu, agentSocket, (a) => (agent = a), consoleLog, ctx.signal);
    mark('ready');
    up = true;
    phases.firmware = Math.round(phases.ready! - hello.uptime * 1000);
    phases.kernel = Math.round(phases.ready! - (hello.uptime - hello.initUptime) * 1000);
    return { id: spec.id, qemuName, overlay, proc: qemu, agent: agent!, hello, phases, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** The micro image boots its kernel directly; the full image its own boot loader; a cloud image its own, with a fresh NoCloud seed. */
async function bootMedia(spec: BootSpec, dir: string, ctx: DriverContext): Promise<Pick<QemuSpec, 'kernel' | 'seedIso'>> {
  const image = spec.image;
  if (image.source === 'offline') {
    return image.kernel && image.initrd ? { kernel: { kernel: image.kernel, initrd: image.initrd, cmdline: kernelCmdline(ctx.runId) } } : {};
  }
  const seed = nocloudSeed({
    instanceId: `iid-isobench-${ctx.runId}-${spec.id}`,
    hostname: 'isobench-guest',
    packages: ctx.config.packages,
    pip: ctx.config.pip,
    wheelsInSeed: image.wheelhouse !== undefined,
  });
  return { seedIso: await writeSeedIso(dir, seed, { tool: image.seedTool, wheelhouse: image.wheelhouse }, ctx) };
}

async function waitReady(
  spec: BootSpec,
  proc: QemuProcess,
  agentSocket: string,
  setAgent: (a: AgentClient) => void,
  consoleLog: string,
  signal: AbortSignal,
): Promise<Hello> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const exitedEarly = proc.exited.then(async () => {
    const out = await proc.output();
    const fwd = /could not set up host forwarding rule '[^']*127\.0\.0\.1:(\d+)/i.exec(out);
    if (fwd) throw new Error(portInUse('vm start', Number(fwd[1]), 'already in use'));
    throw new Error(`QEMU exited during boot: ${out.trim().split('\n').slice(-5).join(' | ')}${await consoleTail(consoleLog)}`);
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      reject(new Error(`the ${spec.accel.toUpperCase()} guest did not report ready within ${spec.timeoutMs / 1000} s${await consoleTail(consoleLog)}`));
    }, spec.timeoutMs);
  });
  const ready = (async () => {
    const agent = await AgentClient.connect(agentSocket, spec.timeoutMs, () => (proc.running() ? undefined : 'QEMU exited'));
    setAgent(agent);
    return agent.hello;
  })();
  try {
    return await Promise.race([ready, exitedEarly, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
    exitedEarly.catch(() => undefined);
    ready.catch(() => undefined);
  }
}

async function consoleTail(consoleLog: string): Promise<string> {
  const text = (await readFile(consoleLog, 'utf8').catch(() => '')).trim();
  return text ? `; guest console (last lines): ${text.split('\n').slice(-8).join(' | ')}` : '; the guest console is empty';
}
