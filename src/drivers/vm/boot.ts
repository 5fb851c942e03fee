// One guest boot: overlay on the cached base, QEMU, agent connection, readiness, honest phases.
import { createServer } from 'node:net';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from '../../lifecycle/process.js';
import type { DriverContext } from '../types.js';
import { AgentClient, type Hello } from './agent-client.js';
import type { VmImage } from './image.js';
import { kernelCmdline, qemuArgv, type Accel, type Publish } from './qemu-args.js';
import { overlayArgv } from './qemu-img.js';
import { spawnQemu, stopQemu, type QemuProcess } from './qemu-process.js';

export interface BootSpec {
  /** Unique within the run; the QEMU -name is isobench-<runId>-<id>. */
  id: string;
  image: VmImage;
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
  /** ms since spawn.t0: overlay, spawned, firmware (guest clock zero, estimated), kernel (PID 1 started, estimated), ready. */
  phases: Record<string, number>;
  /** Stops QEMU and removes the overlay; idempotent. */
  stop(): Promise<void>;
}

/** Rejects with the fix when a host port to publish is taken (before QEMU would fail on it). */
async function assertPortsFree(publish: Publish[]): Promise<void> {
  for (const { host } of publish) {
    await new Promise<void>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(portInUse(host, err.code === 'EADDRINUSE' ? 'already in use' : err.message))),
      );
      srv.listen(host, '127.0.0.1', () => srv.close(() => resolve()));
    });
  }
}

function portInUse(host: number, why: string): string {
  return `vm start: host port 127.0.0.1:${host} is ${why} (another guest or process publishes it); stop that one or publish on another host port`;
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
  const stop = ctx.cleanup.push(`vm guest ${spec.id} (QEMU + overlay ${overlay})`, async () => {
    agent?.close();
    if (proc) await stopQemu(proc, qmpSocket, { powerdownMs: up ? 10_000 : 0, quitMs: 5_000, killMs: 5_000 });
    await rm(dir, { recursive: true, force: true });
    if (sockDir !== dir) await rm(sockDir, { recursive: true, force: true });
  });
  try {
    await assertPortsFree(spec.publish);
    await runOk(overlayArgv(spec.image.disk, overlay), { step: 'qemu-img create (overlay)', timeoutMs: 30_000, signal: ctx.signal });
    mark('overlay');
    const qemuName = `isobench-${ctx.runId}-${spec.id}`;
    const { memoryMiB, cpus } = ctx.config.environments.vm;
    const argv = qemuArgv({
      name: qemuName,
      accel: spec.accel,
      memoryMiB,
      cpus,
      kernel: { kernel: spec.image.kernel, initrd: spec.image.initrd, cmdline: kernelCmdline(ctx.runId) },
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
    const hello = await waitReady(spec, qemu, agentSocket, (a) => (agent = a), consoleLog);
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

async function waitReady(
  spec: BootSpec,
  proc: QemuProcess,
  agentSocket: string,
  setAgent: (a: AgentClient) => void,
  consoleLog: string,
): Promise<Hello> {
  let timer: NodeJS.Timeout | undefined;
  const exitedEarly = proc.exited.then(async () => {
    const out = await proc.output();
    const fwd = /could not set up host forwarding rule '[^']*127\.0\.0\.1:(\d+)/i.exec(out);
    if (fwd) throw new Error(portInUse(Number(fwd[1]), 'already in use'));
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
    return await Promise.race([ready, exitedEarly, timeout]);
  } finally {
    clearTimeout(timer);
    exitedEarly.catch(() => undefined);
    ready.catch(() => undefined);
  }
}

async function consoleTail(consoleLog: string): Promise<string> {
  const text = (await readFile(consoleLog, 'utf8').catch(() => '')).trim();
  return text ? `; guest console (last lines): ${text.split('\n').slice(-8).join(' | ')}` : '; the guest console is empty';
}
