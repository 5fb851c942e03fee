// The QEMU process: spawned detached in its own process group, stopped QMP-first with deadlines.
//
// QEMU runs for as long as the guest does, so it is not a run()/runOk() call with one timeout:
// its boot is bounded by the boot timeout and its life by the teardown registered on ctx.cleanup.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { qmpCommand } from './qmp.js';

export interface QemuProcess {
  pid: number;
  /** Resolves when QEMU has exited. */
  exited: Promise<void>;
  running(): boolean;
  /** QEMU's own stdout/stderr (e.g. "could not set up host forwarding rule"). */
  output(): Promise<string>;
}

/** Spawns argv detached (own process group), its output going to `logFile`; rejects if it cannot start. */
export async function spawnQemu(argv: string[], logFile: string): Promise<QemuProcess> {
  const [file, ...args] = argv;
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(file!, args, { detached: true, stdio: ['ignore', fd, fd] });
    let alive = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => ((alive = false), resolve())));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new Error(`${file}: ${err.message} (install qemu-system-x86)`)));
    });
    child.unref();
    return { pid: child.pid!, exited, running: () => alive, output: () => readFile(logFile, 'utf8').catch(() => '') };
  } finally {
    closeSync(fd);
  }
}

async function exitsWithin(proc: QemuProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const ok = await Promise.race([proc.exited.then(() => true), timeout]);
  clearTimeout(timer);
  return ok;
}

/**
 * Stops QEMU: ACPI power button (the guest syncs and powers off), then QMP quit, then SIGKILL to
 * its process group, each with its own deadline (powerdownMs 0 skips the power button, for a guest
 * that never came up). Returns how it ended; idempotent.
 */
export async function stopQemu(
  proc: QemuProcess,
  qmpSocket: string,
  deadlines: { powerdownMs: number; quitMs: number; killMs: number },
): Promise<'exited' | 'powerdown' | 'quit' | 'killed'> {
  if (!proc.running()) return 'exited';
  const attempt = async (execute: string, ms: number) => {
    try {
      await qmpCommand(qmpSocket, execute, ms);
    } catch {
      return false; // QMP gone or hung: the next step takes over
    }
    return exitsWithin(proc, ms);
  };
  if (deadlines.powerdownMs > 0 && (await attempt('system_powerdown', deadlines.powerdownMs))) return 'powerdown';
  if (await attempt('quit', deadlines.quitMs)) return 'quit';
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  if (!(await exitsWithin(proc, deadlines.killMs))) throw new Error(`QEMU pid ${proc.pid} survived SIGKILL for ${deadlines.killMs} ms`);
  return 'killed';
}
