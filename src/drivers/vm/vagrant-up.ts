// `vagrant up` streamed, so that its phases (booted, provisioning) get host-clock times in ms.
import { execa } from 'execa';
import { parseMachineReadable, upPhase } from './vagrant-args.js';

export interface UpResult {
  /** ms since t0 of each phase seen: booted, provisioning, up (the command returned). */
  phases: Record<string, number>;
  output: string;
}

/** Runs `argv` (a vagrant up) with a timeout; throws with vagrant's own error lines when it fails. */
export async function vagrantUp(
  argv: string[],
  opts: { env: Record<string, string>; timeoutMs: number; signal: AbortSignal; t0: number; log?: (line: string) => void },
): Promise<UpResult> {
  const phases: Record<string, number> = {};
  const [file, ...args] = argv;
  const child = execa(file!, args, { env: opts.env, timeout: opts.timeoutMs, cancelSignal: opts.signal, reject: false, forceKillAfterDelay: 5_000 });
  let buf = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = parseMachineReadable(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      // Vagrant's own words (its ui lines), with the ms since t0, for the run's log.
      if (line?.type === 'ui' && opts.log) opts.log(`vagrant up +${Math.round(performance.now() - opts.t0)} ms: ${line.data.slice(1).join(',').trim()}`);
      const phase = line && upPhase(line);
      if (phase && phases[phase] === undefined) phases[phase] = Math.round(performance.now() - opts.t0);
    }
  });
  const r = await child;
  phases.up = Math.round(performance.now() - opts.t0);
  const output = `${String(r.stdout ?? '')}\n${String(r.stderr ?? '')}`;
  if (r.timedOut) throw new Error(`vagrant up: timed out after ${opts.timeoutMs / 1000} s (environments.vm.vagrant.upTimeoutSec)`);
  if (r.exitCode !== 0) {
    const errors = output
      .split('\n')
      .map(parseMachineReadable)
      .filter((l) => l?.type === 'error-exit')
      .map((l) => l!.data.slice(1).join(' '));
    const tail = errors.length ? errors.join(' ') : output.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`vagrant up failed (exit ${r.exitCode ?? 'none'}): ${tail}`);
  }
  return { phases, output };
}
