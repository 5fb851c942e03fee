// Facts about a process from /proc/PID/stat (Linux); undefined elsewhere or when the process is gone.
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** Fields 3… of a /proc/PID/stat line; the command name (field 2) may hold spaces and parentheses. */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
}

function stat(pid: number): string[] | undefined {
  try {
    return statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The start time of process `pid` (field 22, clock ticks since boot): with the pid it names one process, not a reused pid. */
export function processStartTime(pid: number): string | undefined {
  const v = stat(pid)?.[19];
  return v && /^\d+$/.test(v) ? v : undefined;
}

/** The parent pid of process `pid` (field 4). */
export function parentPid(pid: number): number | undefined {
  const v = Number(stat(pid)?.[1]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** True when process `pid` runs node (an isobench command, a test or the bench), by its executable, not its title. */
export function isNodeProcess(pid: number): boolean {
  try {
    return /^node(\d+)?$/.test(basename(readlinkSync(`/proc/${pid}/exe`)));
  } catch {
    return false;
  }
}

/**
 * True when process `pid` runs but its executable cannot be read (another user's process: /proc/PID/exe needs
 * ptrace access), so whether it is an isobench cannot be told; false when it is gone or readable.
 */
export function exeHidden(pid: number): boolean {
  try {
    readlinkSync(`/proc/${pid}/exe`);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM';
  }
}
