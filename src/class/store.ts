// The class's state on disk: class.json (the code) and one file per machine, each written durably before it is acknowledged.
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../config/errors.js';
import { prepareOutDir, writeDurable } from '../run/output.js';
import { CODE_PATTERN, newClassCode } from './code.js';
import { classMachineSchema, type ClassMachine } from './submission.js';

const classFileSchema = z.strictObject({ code: z.string().regex(CODE_PATTERN), createdAt: z.string() });

export interface ClassStore {
  dir: string;
  code: string;
  /** Every machine, in the order they first arrived. */
  machines(): ClassMachine[];
  /** Writes the machine's file durably, then shows it; a machine's writes happen one after another, in order. */
  put(machine: ClassMachine): Promise<void>;
}

/** Opens (or, with create, starts) the state folder: an existing class keeps its code and every machine; unreadable files are reported, not lost. */
export async function openClassStore(dir: string, create = true): Promise<{ store: ClassStore; skipped: string[] }> {
  if (!create && !(await stat(join(dir, 'class.json')).catch(() => undefined))) {
    throw new UserError('usage', `--state ${dir} holds no class (no class.json); pass the --state folder isobench class serve used`);
  }
  const abs = await prepareOutDir(dir, '--state');
  const machinesDir = join(abs, 'machines');
  await mkdir(machinesDir, { recursive: true });
  const classFile = join(abs, 'class.json');
  const existing = await readFile(classFile, 'utf8').then(
    (text) => classFileSchema.parse(JSON.parse(text)),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    },
  );
  const meta = existing ?? { code: newClassCode(), createdAt: new Date().toISOString() };
  if (!existing) await writeDurable(classFile, `${JSON.stringify(meta, null, 2)}\n`);

  const byKey = new Map<string, ClassMachine>();
  const skipped: string[] = [];
  for (const name of (await readdir(machinesDir)).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const m = classMachineSchema.parse(JSON.parse(await readFile(join(machinesDir, name), 'utf8')));
      byKey.set(m.key, m);
    } catch (err) {
      const issue = err instanceof z.ZodError ? `${err.issues[0]!.path.join('.')}: ${err.issues[0]!.message}` : (err as Error).message;
      skipped.push(`${name}: ${issue}`);
    }
  }
  const order = [...byKey.values()].sort((a, b) => a.results.startedAt.localeCompare(b.results.startedAt));
  byKey.clear();
  for (const m of order) byKey.set(m.key, m);

  const chains = new Map<string, Promise<void>>();
  const store: ClassStore = {
    dir: abs,
    code: meta.code,
    machines: () => [...byKey.values()],
    put(machine) {
      const prev = chains.get(machine.key) ?? Promise.resolve();
      const next = prev.catch(() => undefined).then(async () => {
        await writeDurable(join(machinesDir, `${machine.key}.json`), `${JSON.stringify(machine)}\n`);
        byKey.set(machine.key, machine);
      });
      chains.set(machine.key, next);
      void next.finally(() => chains.get(machine.key) === next && chains.delete(machine.key)).catch(() => undefined);
      return next;
    },
  };
  return { store, skipped };
}
