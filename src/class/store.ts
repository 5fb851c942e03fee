// The class's state on disk: class.json (the code) and one file per machine, each written durably before it is acknowledged.
import { chmod, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../config/errors.js';
import { OUT_MARKER, prepareOutDir, TMP_INFIX, writeDurable } from '../run/output.js';
import { CODE_PATTERN, newClassCode } from './code.js';
import { classMachineSchema, withUpgradedResults, type ClassMachine } from './submission.js';

const classFileSchema = z.strictObject({ code: z.string().regex(CODE_PATTERN), createdAt: z.string() });
/** The state holds the class code and what students sent: only its owner may read it. */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;
/** A machine file larger than this is not read (a submission is at most 1 MiB). */
const MAX_MACHINE_FILE_BYTES = 8 * 1024 * 1024;
/** Where `class serve` moves machine files it cannot use (inside --state). */
export const SET_ASIDE_DIR = 'set-aside';

export interface ClassStore {
  dir: string;
  /** The class code ('' when opened for export from a state whose class.json is unusable). */
  code: string;
  /** Every machine, in the order they first arrived. */
  machines(): ClassMachine[];
  /** Writes the machine's file durably, then shows it; a machine's writes happen one after another, in order. */
  put(machine: ClassMachine): Promise<void>;
}

/** Why a file could not be used, in one short line. */
function reasonOf(err: unknown): string {
  const why = err instanceof z.ZodError ? `${err.issues[0]!.path.join('.') || '(root)'}: ${err.issues[0]!.message}` : (err as Error).message;
  const line = why.replace(/\s+/g, ' ').trim() || 'unreadable';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

const FIX = 'restore it from a copy (it holds the code the students type), or pass a new --state folder to start a new class with a new code';

/** The class file: its code, or undefined when there is none; a damaged one is an error naming the file and the fix. */
async function readClassFile(file: string): Promise<z.infer<typeof classFileSchema> | undefined> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new UserError('config', `cannot read ${file} (${err.code ?? err.message}); ${FIX}`);
  });
  if (text === undefined) return undefined;
  try {
    return classFileSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new UserError('config', `${file} is damaged (${text.trim() ? reasonOf(err) : 'empty'}); ${FIX}`);
  }
}

/** Reads one machine file; throws with the reason when it cannot be used. */
async function readMachine(file: string): Promise<ClassMachine> {
  const { size } = await stat(file);
  if (size > MAX_MACHINE_FILE_BYTES) throw new Error(`${size} bytes, over the ${MAX_MACHINE_FILE_BYTES} a machine file may have`);
  const text = await readFile(file, 'utf8');
  if (!text.trim()) throw new Error('empty');
  return classMachineSchema.parse(withUpgradedResults(JSON.parse(text)));
}

/** Removes the temporary files a killed server left (`*.tmp-PID-N`, never acknowledged). */
async function sweepTemporary(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.includes(TMP_INFIX)) await rm(join(dir, name), { force: true });
}

/**
 * Opens the state folder. serve: starts a class in a new folder, or keeps an existing class's code and machines,
 * sweeps temporary files and sets aside (with a warning) each machine file it cannot use. export: reads only.
 */
export async function openClassStore(dir: string, mode: 'serve' | 'export' = 'serve'): Promise<{ store: ClassStore; warnings: string[] }> {
  const serving = mode === 'serve';
  const abs = resolve(dir);
  const machinesDir = join(abs, 'machines');
  const classFile = join(abs, 'class.json');
  const warnings: string[] = [];
  const names = async () => ((await readdir(machinesDir).catch(() => [])) as string[]).filter((n) => n.endsWith('.json')).sort();

  let meta: z.infer<typeof classFileSchema> | undefined;
  if (serving) {
    await prepareOutDir(dir, '--state');
    await mkdir(machinesDir, { recursive: true, mode: PRIVATE_DIR });
    await Promise.all([chmod(abs, PRIVATE_DIR), chmod(machinesDir, PRIVATE_DIR), chmod(join(abs, OUT_MARKER), PRIVATE_FILE)]);
    await sweepTemporary(abs);
    await sweepTemporary(machinesDir);
    meta = await readClassFile(classFile);
    const kept = (await names()).length;
    if (!meta && kept) throw new UserError('config', `${classFile} is missing, but ${kept} machine file(s) are kept in ${machinesDir}; ${FIX}`);
    if (meta) await chmod(classFile, PRIVATE_FILE);
    else {
      meta = { code: newClassCode(), createdAt: new Date().toISOString() };
      await writeDurable(classFile, `${JSON.stringify(meta, null, 2)}\n`, PRIVATE_FILE);
    }
  } else {
    meta = await readClassFile(classFile).catch((err: Error) => void warnings.push(err.message));
    if (!meta && !warnings.length && !(await stat(machinesDir).catch(() => undefined))) {
      throw new UserError('usage', `--state ${dir} holds no class (no class.json); pass the --state folder isobench class serve used`);
    }
  }

  const byKey = new Map<string, ClassMachine>();
  for (const name of await names()) {
    const file = join(machinesDir, name);
    try {
      const m = await readMachine(file);
      byKey.set(m.key, m);
      if (serving) await chmod(file, PRIVATE_FILE);
    } catch (err) {
      if (!serving) {
        warnings.push(`${file} left out: ${reasonOf(err)}`);
        continue;
      }
      const aside = join(abs, SET_ASIDE_DIR);
      await mkdir(aside, { recursive: true, mode: PRIVATE_DIR });
      await rename(file, join(aside, name));
      warnings.push(`${file} set aside in ${join(aside, name)}: ${reasonOf(err)}`);
    }
  }
  const arrival = (m: ClassMachine) => m.joinedAt ?? m.updatedAt;
  const order = [...byKey.values()].sort((a, b) => arrival(a).localeCompare(arrival(b)) || a.key.localeCompare(b.key));
  byKey.clear();
  for (const m of order) byKey.set(m.key, m);

  const chains = new Map<string, Promise<void>>();
  const store: ClassStore = {
    dir: abs,
    code: meta?.code ?? '',
    machines: () => [...byKey.values()],
    put(machine) {
      const prev = chains.get(machine.key) ?? Promise.resolve();
      const next = prev.catch(() => undefined).then(async () => {
        await writeDurable(join(machinesDir, `${machine.key}.json`), `${JSON.stringify(machine)}\n`, PRIVATE_FILE);
        byKey.set(machine.key, machine);
      });
      chains.set(machine.key, next);
      void next.finally(() => chains.get(machine.key) === next && chains.delete(machine.key)).catch(() => undefined);
      return next;
    },
  };
  return { store, warnings };
}
