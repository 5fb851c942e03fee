// The host's Python interpreters a probe compares with: `python3`, the configured venv interpreters and every
// python3 on PATH, one per real binary (a pyenv shim and the interpreter it runs are one).
import { access, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run } from '../lifecycle/process.js';

/** A host interpreter by the name it is called with; executable null when it would not run. */
export interface HostPython {
  name: string;
  executable: string | null;
}

/** Pure: the names to try, in order, each once: python3, the venv interpreters, then the python3 files found on PATH. */
export function pythonCandidates(venvInterpreters: readonly string[], onPath: readonly string[]): string[] {
  return [...new Set(['python3', ...venvInterpreters, ...onPath])];
}

/** Pure: keeps the first name of each real executable, and every one that did not run. */
export function onePerBinary(found: readonly HostPython[]): HostPython[] {
  const seen = new Set<string>();
  return found.filter((p) => p.executable === null || (!seen.has(p.executable) && Boolean(seen.add(p.executable))));
}

async function python3OnPath(pathEnv: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const file = join(dir, 'python3');
    const ok = await access(file, constants.X_OK).then(() => true, () => false);
    if (ok) out.push(await realpath(file).catch(() => file));
  }
  return out;
}

/** Runs each candidate once to learn its real executable; the host interpreters, one per binary. */
export async function hostPythons(venvInterpreters: readonly string[], signal?: AbortSignal): Promise<HostPython[]> {
  const found: HostPython[] = [];
  for (const name of pythonCandidates(venvInterpreters, await python3OnPath(process.env.PATH ?? ''))) {
    const r = await run([name, '-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { step: `host ${name}`, timeoutMs: 30_000, signal });
    found.push({ name, executable: r.exitCode === 0 ? r.stdout.trim().split('\n').pop()! : null });
  }
  return onePerBinary(found);
}
