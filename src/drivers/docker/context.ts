// Build contexts: which files go in (pure), and packing them as the tar stream the build endpoint reads.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';

/** One file of a build context: its name inside the context and where its bytes come from. */
export interface ContextEntry {
  name: string;
  file?: string;
  content?: string;
}

/** The context for a Dockerfile folder: its files (Dockerfile first), plus the wheels under wheels/. */
export function contextEntries(dir: string, files: string[], wheels: string[] = []): ContextEntry[] {
  for (const f of files) {
    if (f.includes('/') || f.startsWith('.')) throw new Error(`build context ${dir}: unexpected entry "${f}" (plain files only)`);
  }
  if (!files.includes('Dockerfile')) throw new Error(`build context ${dir}: no Dockerfile`);
  const own = [...files].sort((a, b) => (a === 'Dockerfile' ? -1 : b === 'Dockerfile' ? 1 : a.localeCompare(b)));
  const entries: ContextEntry[] = own.map((f) => ({ name: f, file: join(dir, f) }));
  const wheelFiles = wheels.filter((w) => w.endsWith('.whl')).sort((a, b) => basename(a).localeCompare(basename(b)));
  if (wheels.length > 0 && wheelFiles.length === 0) throw new Error(`build context ${dir}: the wheelhouse has no .whl files`);
  for (const w of wheelFiles) entries.push({ name: `wheels/${basename(w)}`, file: w });
  return entries;
}

/** Packs entries as a tar stream with fixed times and owners, so identical files hit the build cache. */
export async function packContext(entries: ContextEntry[]): Promise<NodeJS.ReadableStream> {
  const bodies = await Promise.all(
    entries.map((e) => (e.content !== undefined ? Promise.resolve(Buffer.from(e.content)) : readFile(e.file!))),
  );
  const tar = pack();
  const mtime = new Date(0);
  entries.forEach((e, i) => {
    const body = bodies[i]!;
    tar.entry({ name: e.name, size: body.length, mode: 0o644, mtime, uid: 0, gid: 0 }, body);
  });
  tar.finalize();
  return Readable.from(tar, { objectMode: false });
}
