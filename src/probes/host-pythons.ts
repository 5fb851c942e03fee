// The host's Python interpreters a probe compares with: `python3`, the configured venv interpreters and every
// python3 and python3.N on PATH (the interpreters a venv could be made from), one per real binary (a pyenv shim and
// the interpreter it runs are one).
import { access, readdir, readFile, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run } from '../lifecycle/process.js';

/** A host interpreter by the name it is called with; executable null when it would not run. */
export interface HostPython {
  name: string;
  executable: string | null;
}

/** Pure: whether a file name is a Python 3 interpreter's: python3 or python3.N (not python3-config, python3.11m-config…). */
export function isPython3Name(file: string): boolean {
  return /^python3(?:\.\d+)?$/.test(file);
}

/** Pure: the names to try, in order, each once: python3, the venv interpreters, then the python3 and python3.N files found on PATH. */
export function pythonCandidates(venvInterpreters: readonly string[], onPath: readonly string[]): string[] {
  return [...new Set(['python3', ...venvInterpreters, ...onPath])];
}

/** Pure: keeps the first name of each real executable, and every one that did not run. */
export function onePerBinary(found: readonly HostPython[]): HostPython[] {
  const seen = new Set<string>();
  return found.filter((p) => p.executable === null || (!seen.has(p.executable) && Boolean(seen.add(p.executable))));
}

/** Whether a file starts with `#!`: a version manager's shim (pyenv, asdf), not an interpreter of its own. */
async function isScript(file: string): Promise<boolean> {
  const head = await readFile(file).then((b) => b.subarray(0, 2).toString('latin1'), () => '');
  return head === '#!';
}

/** python3 on PATH, and the python3.N binaries there (a shim of that name is left out: `python3` runs what it selects, and running each shim costs seconds). */
async function python3OnPath(pathEnv: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter(isPython3Name).sort();
    for (const name of names) {
      const file = await realpath(join(dir, name)).catch(() => join(dir, name));
      const ok = await access(file, constants.X_OK).then(() => true, () => false);
      if (ok && (name === 'python3' || !(await isScript(file)))) out.push(file);
    }
  }
  return out;
}

/**
 * Runs each candidate once to learn its real executable; the host interpreters, one per binary. A python3.N found on
 * PATH that does not run (a pyenv shim of a version not selected) is left out: no venv can be made from it by that name.
 */
export async function hostPythons(venvInterpreters: readonly string[], signal?: AbortSignal): Promise<HostPython[]> {
  const asked = new Set(['python3', ...venvInterpreters]);
  const found: HostPython[] = [];
  for (const name of pythonCandidates(venvInterpreters, await python3OnPath(process.env.PATH ?? ''))) {
    const r = await run([name, '-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { step: `host ${name}`, timeoutMs: 30_000, signal });
    const executable = r.exitCode === 0 ? r.stdout.trim().split('\n').pop()! : null;
    if (executable !== null || asked.has(name)) found.push({ name, executable });
  }
  return onePerBinary(found);
}
