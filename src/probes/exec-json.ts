// Runs a Python snippet inside an instance and parses the JSON object it prints.
import type { Driver, ExecOptions, Instance } from '../drivers/types.js';

/** `python -c SNIPPET ARGS…` inside `inst` (as root there with asRoot); throws with the command's own error when it fails. */
export async function pyJson<T = Record<string, unknown>>(driver: Driver, inst: Instance, snippet: string, args: string[] = [], opts: Pick<ExecOptions, 'asRoot'> = {}): Promise<T> {
  const r = await driver.exec(inst, ['python', '-c', snippet, ...args], { timeoutMs: 120_000, ...opts });
  if (r.exitCode !== 0) throw new Error(`python exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`expected one JSON line from python, got ${JSON.stringify(r.stdout.slice(-300))}`);
  }
}
