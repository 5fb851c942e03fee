#!/usr/bin/env node
// `npm test`: the vitest projects of vitest.config.ts (guests, main) as two vitest processes side by side, each
// one file at a time. Under TCG a guest keeps both cores busy, but the Docker and venv files wait on daemons for
// a third of their time; side by side, that time is used. dist/ is built once, before both.
// Extra arguments go to both (a file filter selects in either). Exit: 0 when both passed, else the first failure's.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const STREAMS = ['guests', 'main'];
const args = process.argv.slice(2);

const build = spawn('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
const built = await new Promise((resolve) => build.once('exit', (code) => resolve(code ?? 1)));
if (built !== 0) process.exit(built);

const children = STREAMS.map((name) => {
  const child = spawn('npx', ['vitest', 'run', '--project', name, ...args], {
    cwd: ROOT,
    env: { ...process.env, ISOBENCH_DIST_BUILT: '1', FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    createInterface({ input: from }).on('line', (line) => to.write(`[${name}] ${line}\n`));
  }
  return { name, child, done: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))) };
});

// Ctrl-C or a CI timeout: both streams get the signal, so each runs its own cleanup.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const { child } of children) if (child.pid) try { process.kill(-child.pid, sig); } catch { /* gone */ }
  });
}

const codes = await Promise.all(children.map((c) => c.done));
for (const [i, { name }] of children.entries()) process.stdout.write(`test stream ${name}: ${codes[i] === 0 ? 'passed' : `failed (exit ${codes[i]})`}\n`);
process.exit(codes.find((c) => c !== 0) ?? 0);
