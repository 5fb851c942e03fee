// After class: every machine's results.json in its own folder (for `isobench report */results.json`) and the class page as HTML.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Claim } from '../claims/schema.js';
import { renderClassPageSafely } from '../report/class-page.js';
import { LANGS } from '../report/i18n/index.js';
import { renderJson } from '../report/json.js';
import { prepareOutDir, writeAtomic } from '../run/output.js';
import type { ClassMachine } from './submission.js';

/** A folder name for a machine: its hostname made safe for any file system and shell (never a leading - or .), and a piece of its key (names can repeat). */
export function machineFolder(m: ClassMachine): string {
  const name = m.results.host.hostname.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 40) || 'machine';
  return `${name}-${m.key.slice(0, 8)}`;
}

/** Writes the export into outDir (a new or isobench-made folder); returns the files written, relative to it. Pages are drawn before anything is written. */
export async function exportClass(machines: readonly ClassMachine[], outDir: string, claims: readonly Claim[], warn: (line: string) => void): Promise<string[]> {
  const pages = LANGS.map((lang) => {
    const onError = (label: string, err: unknown) => lang === 'en' && warn(`machine "${label}" could not be drawn: ${(err as Error).message}`);
    return { name: lang === 'en' ? 'class.html' : `class.${lang}.html`, html: renderClassPageSafely(machines, { lang, claims }, onError) };
  });
  const dir = await prepareOutDir(outDir);
  const written: string[] = [];
  for (const m of machines) {
    const folder = machineFolder(m);
    await mkdir(join(dir, folder), { recursive: true });
    await writeAtomic(join(dir, folder, 'results.json'), renderJson(m.results));
    written.push(join(folder, 'results.json'));
  }
  for (const page of pages) {
    await writeAtomic(join(dir, page.name), page.html);
    written.push(page.name);
  }
  return written;
}
