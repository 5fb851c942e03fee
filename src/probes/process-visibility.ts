// process-visibility: can a process inside see a process the host started?
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

// The marker arrives reversed, so this scanner's own command line (and any wrapper's) does not contain it.
const SCAN = `import json, os, sys
marker = sys.argv[1][::-1].encode()
pids = [p for p in os.listdir("/proc") if p.isdigit()]
seen = False
for p in pids:
    try:
        with open("/proc/%s/cmdline" % p, "rb") as f:
            if marker in f.read():
                seen = True
    except OSError:
        pass
print(json.dumps({"seen": seen, "processes": len(pids), "self": str(os.getpid()) in pids}))`;

export const processVisibilityProbe: Probe = {
  id: 'process-visibility',
  title: 'Host processes visible inside',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, ctx, placement }) {
    if (!placement.sameMachine) {
      return {
        id: 'process-visibility',
        isolated: null,
        summary: `not compared: a process started here cannot show up on another machine; ${placement.reason}`,
        evidence: { sameMachine: false },
      };
    }
    const marker = `isobench-sentinel-${randomBytes(6).toString('hex')}`;
    // A host process (node itself, always present) whose command line carries the marker.
    const sentinel = execa(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', marker], { reject: false, timeout: 620_000 });
    await new Promise<void>((resolve, reject) => sentinel.once('spawn', () => resolve()).once('error', reject));
    const stop = ctx.cleanup.push(`sentinel process ${sentinel.pid}`, async () => {
      sentinel.kill('SIGKILL');
      await sentinel;
    });
    try {
      const r = await pyJson<{ seen: boolean; processes: number; self: boolean }>(driver, a, SCAN, [[...marker].reverse().join('')]);
      if (!r.seen && !r.self) {
        // A /proc that does not even list the scanner itself proves nothing about the host's processes.
        return {
          id: 'process-visibility',
          isolated: null,
          summary: `not measured: /proc inside did not list the scanning process itself (${r.processes} entries)`,
          evidence: { sentinelSeen: false, processesVisible: r.processes, scannerListed: false },
        };
      }
      return {
        id: 'process-visibility',
        isolated: !r.seen,
        summary: r.seen
          ? `a host process is visible inside (${r.processes} processes listed)`
          : `host processes are invisible: only ${r.processes} process(es) listed inside`,
        evidence: { sentinelSeen: r.seen, processesVisible: r.processes },
      };
    } finally {
      await stop();
    }
  },
};
