// A run's forced exit: on a loaded machine an Engine's removals may outlast the grace after a signal (4.5 s);
// the run then exits anyway and names what it left, and `isobench cleanup --run ID` must remove exactly that.
import { join } from 'node:path';
import { execa } from 'execa';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'isobench.js');

/** What a forced exit named as left behind, or undefined when the run's cleanup finished within its grace. */
export function forcedLeftovers(stderr: string): string | undefined {
  return /cleanup did not finish within [\d.]+ s of SIG[A-Z]+: exiting; left behind: (.*?)(?: \(isobench cleanup removes them\))?$/m.exec(stderr)?.[1];
}

/** Runs `isobench cleanup --run ID` (this run's leftovers only, none of another test's); returns its output. */
export async function cleanupRun(runId: string): Promise<{ exitCode: number | undefined; output: string }> {
  const r = await execa('node', [BIN, 'cleanup', '--run', runId], { reject: false, timeout: 120_000 });
  return { exitCode: r.exitCode, output: `${r.stdout}\n${r.stderr}` };
}
