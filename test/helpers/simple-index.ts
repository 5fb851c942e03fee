// A PEP 503 "simple" package index generated from a wheelhouse folder, served on 127.0.0.1 (what pip's --index-url reads).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** PEP 503 name normalization: runs of -_. become one -, lower case. */
export function normalizeProject(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The pages of the index: /simple/ and /simple/<project>/, each wheel linked with its sha256. */
export function simplePages(wheels: { file: string; sha256: string }[]): Map<string, string> {
  const byProject = new Map<string, { file: string; sha256: string }[]>();
  for (const w of wheels) {
    const project = normalizeProject(w.file.split('-')[0]!);
    byProject.set(project, [...(byProject.get(project) ?? []), w]);
  }
  const html = (body: string) => `<!DOCTYPE html>\n<html><body>\n${body}</body></html>\n`;
  const pages = new Map<string, string>();
  const projects = [...byProject.keys()].sort();
  pages.set('/simple/', html(projects.map((p) => `<a href="/simple/${p}/">${p}</a>\n`).join('')));
  for (const p of projects) {
    const links = byProject.get(p)!.map((w) => `<a href="/files/${encodeURIComponent(w.file)}#sha256=${w.sha256}">${w.file}</a>\n`);
    pages.set(`/simple/${p}/`, html(links.join('')));
  }
  return pages;
}

export interface SimpleIndex {
  /** The index URL for pip, e.g. http://127.0.0.1:PORT/simple/ */
  url: string;
  /** Every path requested so far (what pip fetched). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the wheels of `dir` as a simple index on 127.0.0.1 (an ephemeral port). */
export async function serveWheelhouse(dir: string): Promise<SimpleIndex> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.whl'));
  if (!files.length) throw new Error(`${dir}: no wheels to serve`);
  const bodies = new Map<string, Buffer>();
  for (const f of files) bodies.set(f, await readFile(join(dir, f)));
  const pages = simplePages(files.map((file) => ({ file, sha256: createHash('sha256').update(bodies.get(file)!).digest('hex') })));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push(path);
    const page = pages.get(path.endsWith('/') ? path : `${path}/`);
    const wheel = path.startsWith('/files/') ? bodies.get(decodeURIComponent(path.slice(7))) : undefined;
    if (page) res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else if (wheel) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(wheel);
    else res.writeHead(404).end('not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}
