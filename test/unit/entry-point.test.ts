// The documented commands run this checkout's isobench, never a registry package resolved by npx.
import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFile(join(ROOT, p), 'utf8');

describe('the entry point', () => {
  it('no README, CI script or workflow runs isobench through npx', async () => {
    const files = ['README.md', '.github/workflows/isobench.yml', ...(await readdir(join(ROOT, '.ci'))).map((f) => `.ci/${f}`)];
    for (const f of files) expect(await read(f), f).not.toMatch(/npx\s+(--\S+\s+)*isobench/);
  });
  it('the README\'s run command is the package script, and that script runs bin/isobench.js', async () => {
    expect(await read('README.md')).toContain('npm ci && npm run isobench -- run');
    const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.isobench).toBe('node bin/isobench.js');
    expect(pkg.bin.isobench).toBe('bin/isobench.js');
  });
  it('bin/isobench.js runs the built CLI of this checkout', async () => {
    const r = await execa('node', [join(ROOT, 'bin', 'isobench.js'), '--version'], { reject: false, cwd: '/' });
    const pkg = JSON.parse(await read('package.json')) as { version: string };
    expect([r.exitCode, r.stdout.trim()]).toEqual([0, pkg.version]);
  });
});
