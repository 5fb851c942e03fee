// `isobench class serve|export`: the teacher's side of a live classroom.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadClaims } from '../claims/load.js';
import { UserError } from '../config/errors.js';
import { exportClass } from '../class/export.js';
import { startClassServer } from '../class/server.js';
import { openClassStore } from '../class/store.js';
import type { Lang } from '../report/i18n/index.js';

/** The options `isobench class` accepts (node:util parseArgs). */
export const CLASS_OPTIONS = {
  listen: { type: 'string' },
  port: { type: 'string' },
  lang: { type: 'string' },
  state: { type: 'string' },
} as const;

interface Parsed {
  values: { [K in keyof typeof CLASS_OPTIONS]?: string };
  positionals: string[];
}

/** Where the class is kept when --state is not given: reports/class below the working directory. */
export const DEFAULT_STATE_DIR = join('reports', 'class');

function portOf(value: string | undefined): number {
  const port = Number(value ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError('usage', `--port: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

function langOf(value: string | undefined): Lang {
  const lang = value ?? 'en';
  if (lang !== 'en' && lang !== 'ko') throw new UserError('usage', `--lang: expected en or ko, got "${lang}"`);
  return lang;
}

/** Listening errors as one line naming the cause and the fix. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new UserError('usage', `port ${port} on ${host} is taken; pass another --port (0 picks a free one)`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new UserError('usage', `--listen ${host}: not an address of this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (the room)`);
  if (err.code === 'EACCES') return new UserError('usage', `port ${port} needs privileges; pass --port 1024 or above`);
  return err;
}

async function serve(v: Parsed['values']): Promise<number> {
  const host = v.listen ?? '127.0.0.1';
  const port = portOf(v.port);
  const lang = langOf(v.lang);
  const stateDir = v.state ?? DEFAULT_STATE_DIR;
  const existed = await stat(stateDir).then(() => true, () => false);
  const { store, warnings } = await openClassStore(stateDir);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const server = await startClassServer({ store, lang, host, port }).catch(async (err: NodeJS.ErrnoException) => {
    if (!existed) await rm(store.dir, { recursive: true, force: true });
    throw listenError(err, host, port);
  });
  const page = server.urls[0]!;
  const scope = host === '127.0.0.1' || host === 'localhost' || host === '::1' ? 'this machine only; --listen 0.0.0.0 opens it to the room' : 'open to the network';
  process.stdout.write(
    [
      `class code: ${store.code}`,
      `listening on ${host}:${server.listening.port} (${scope})`,
      `class page: ${page}/  (projection: ${page}/?mode=projection)`,
      ...(server.urls.length > 1 ? [`also reachable at: ${server.urls.slice(1).join(', ')}`] : []),
      'students type:',
      `  ${server.joinCommand}`,
      `state: ${store.dir} (${store.machines().length} machine(s) kept); stop with Ctrl-C`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  process.stdout.write(`stopped; every machine is kept in ${store.dir} (isobench class export DIR --state ${store.dir})\n`);
  return 0;
}

async function exportCommand(v: Parsed['values'], out: string | undefined): Promise<number> {
  if (!out) throw new UserError('usage', 'class export needs a folder: isobench class export DIR [--state DIR]');
  const { store, warnings } = await openClassStore(v.state ?? DEFAULT_STATE_DIR, 'export');
  const warn = (line: string) => void process.stderr.write(`warning: ${line}\n`);
  warnings.forEach(warn);
  const written = await exportClass(store.machines(), out, loadClaims(), warn);
  process.stderr.write(`wrote ${written.length} file(s) into ${out}: ${store.machines().length} machine(s), class.html, class.ko.html\n`);
  process.stderr.write(`compare them with: isobench report ${join(out, '*', 'results.json')} --format html --out DIR\n`);
  return 0;
}

/** Runs `isobench class serve` (until Ctrl-C) or `isobench class export DIR`. */
export async function classCommand({ values: v, positionals }: Parsed): Promise<number> {
  const [sub, ...rest] = positionals;
  if (sub === 'serve') {
    if (rest.length) throw new UserError('usage', `class serve takes no arguments, got "${rest[0]}"`);
    return serve(v);
  }
  if (sub === 'export') {
    if (v.listen || v.port || v.lang) throw new UserError('usage', 'class export takes only DIR and --state');
    if (rest.length > 1) throw new UserError('usage', `class export takes one folder, got ${rest.length}`);
    return exportCommand(v, rest[0]);
  }
  throw new UserError('usage', `class: expected serve or export, got ${sub ? `"${sub}"` : 'nothing'}; see isobench --help`);
}
