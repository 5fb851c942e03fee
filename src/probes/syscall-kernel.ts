// syscall-kernel: which kernel answers the environment's system calls — this host's, gVisor's Sentry (a kernel in
// user space) or a guest's own — decided only on positive evidence: the boot_id every running kernel draws at boot,
// the kernel's own log (gVisor's opens "Starting gVisor..."), and the release and boot time beside them.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

/** Reads, inside: boot_id, release, /proc/version, btime, and from the whole kernel log (syslog(2) READ_ALL, its buffer's size) its first lines and the lines naming its kernel. */
const READ = `import ctypes, json, platform
def text(path):
    try:
        return open(path).read().strip()
    except OSError:
        return None
btime = None
for line in (text("/proc/stat") or "").splitlines():
    if line.startswith("btime "):
        btime = int(line.split()[1])
log, err = None, None
try:
    libc = ctypes.CDLL(None, use_errno=True)
    size = max(libc.klogctl(10, None, 0), 16384)
    buf = ctypes.create_string_buffer(size)
    n = libc.klogctl(3, buf, size)
    if n < 0:
        err = "syslog(2) refused: errno %d" % ctypes.get_errno()
    else:
        lines = buf.raw[:n].decode("utf-8", "replace").splitlines()
        named = [l for l in lines if "Starting gVisor" in l or "Linux version " in l][:2]
        log = "\\n".join(lines[:2] + named)[:2000]
except Exception as e:
    err = "syslog(2) unavailable: %s" % e
print(json.dumps({"bootId": text("/proc/sys/kernel/random/boot_id"), "release": platform.release(), "version": text("/proc/version"), "btime": btime, "log": log, "logError": err}))`;

/** What one side shows of the kernel that answers it. */
export interface SyscallView {
  bootId: string | null;
  release: string;
  version: string | null;
  btime: number | null;
  /** The head of the kernel log, when syslog(2) let it be read. */
  log?: string | null;
  logError?: string | null;
}

/** Who answers: this host's running kernel, gVisor's Sentry, a guest kernel, another kernel not named, or unknown (null). */
export type Answerer = 'host' | 'gvisor' | 'guest' | 'other' | null;

/** Pure: the answerer and the sentence that says on what evidence. */
export function judgeSyscallKernel(inside: SyscallView, host: SyscallView, elsewhere?: string): { answeredBy: Answerer; isolated: boolean | null; summary: string } {
  const seen = `inside: release ${inside.release}, boot_id ${inside.bootId ?? 'unreadable'}; host: release ${host.release}, boot_id ${host.bootId ?? 'unreadable'}`;
  if (elsewhere) return { answeredBy: null, isolated: null, summary: `not measured: the instances are not on this machine (${elsewhere}); ${seen}` };
  if (inside.bootId && host.bootId && inside.bootId === host.bootId) {
    return { answeredBy: 'host', isolated: false, summary: `this host's running kernel answers (the same boot_id ${host.bootId}, release ${host.release})` };
  }
  // Positive evidence that the host's kernel is not the one answering: a boot_id, a release or a boot time of its own.
  const notHost: string[] = [];
  if (inside.bootId && host.bootId) notHost.push('another boot_id');
  if (inside.release !== host.release) notHost.push(`release ${inside.release} (the host runs ${host.release})`);
  if (inside.btime !== null && host.btime !== null && Math.abs(inside.btime - host.btime) > 2) notHost.push(`boot time ${inside.btime} (the host booted at ${host.btime})`);
  if (!notHost.length) return { answeredBy: null, isolated: null, summary: `not measured: nothing shows which kernel answers (${seen})` };
  const because = notHost.join(', ');
  if (/Starting gVisor/.test(inside.log ?? '')) {
    return { answeredBy: 'gvisor', isolated: true, summary: `gVisor's Sentry answers: its kernel log opens "Starting gVisor...", and not the host's kernel: ${because}` };
  }
  if (/Linux version /.test(inside.log ?? '')) {
    return { answeredBy: 'guest', isolated: true, summary: `a guest kernel answers: its log records its own boot ("${(/Linux version [^\n]{0,60}/.exec(inside.log!) ?? [''])[0]}…"), and not the host's kernel: ${because}` };
  }
  const log = inside.logError ? `its kernel log could not be read (${inside.logError})` : 'its kernel log names neither gVisor nor a Linux boot';
  return { answeredBy: 'other', isolated: true, summary: `another kernel than the host's answers (${because}); which one is not measured: ${log}` };
}

async function hostView(): Promise<SyscallView> {
  const text = (p: string) => readFile(p, 'utf8').then((t) => t.trim(), () => null);
  const stat = (await text('/proc/stat')) ?? '';
  const bt = /^btime (\d+)/m.exec(stat);
  return { bootId: await text('/proc/sys/kernel/random/boot_id'), release: os.release(), version: await text('/proc/version'), btime: bt ? Number(bt[1]) : null };
}

export const syscallKernelProbe: Probe = {
  id: 'syscall-kernel',
  title: 'Which kernel answers system calls',
  appliesTo: ['venv', 'docker', 'vm'],
  // The boot_id that decides the kernel probe decides this one wherever it is readable: one piece of evidence, shown twice.
  sameEvidenceAs: 'kernel',
  async run({ driver, a, placement }) {
    // As root inside: an unprivileged user may not read the kernel log (dmesg_restrict), and the log names the kernel.
    const inside = await pyJson<SyscallView>(driver, a, READ, [], { asRoot: true });
    const host = await hostView();
    const j = judgeSyscallKernel(inside, host, placement.sameMachine ? undefined : placement.reason);
    return {
      id: 'syscall-kernel',
      isolated: j.isolated,
      summary: j.summary,
      evidence: {
        answeredBy: j.answeredBy,
        insideRelease: inside.release,
        hostRelease: host.release,
        insideBootId: inside.bootId,
        hostBootId: host.bootId,
        insideVersion: inside.version,
        insideBtime: inside.btime,
        hostBtime: host.btime,
        logHead: (inside.log ?? '').split('\n').slice(0, 2).join('\n') || null,
        logError: inside.logError ?? null,
      },
    };
  },
};
