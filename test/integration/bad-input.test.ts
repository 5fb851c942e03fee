// Every bad input gives exit 2, one line naming the cause and the fix, no stack trace, nothing created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = join(ROOT, 'fixtures', 'bad-configs');
const isobench = (args: string[]) => execa('node', [join(ROOT, 'bin', 'isobench.js'), ...args], { reject: false, timeout: 60_000 });

let scratch: string;

/** Runs isobench and checks the common promise: exit 2, a single `isobench: …` line, nothing at `out`. */
async function expectUserError(args: string[], out: string, message: RegExp): Promise<void> {
  const r = await isobench(args);
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]!.replace(/^isobench: /, '')).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  await expect(readdir(out)).rejects.toThrow(/ENOENT/);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
}, 180_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the bad-config corpus', async () => {
  const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.yaml'));
  it('has cases', () => expect(files.length).toBeGreaterThanOrEqual(8));
  for (const file of files) {
    it(file, async () => {
      const text = await readFile(join(CORPUS, file), 'utf8');
      const expectLine = /^# expect: (.*)$/m.exec(text)?.[1];
      expect(expectLine, `${file} has no # expect: line`).toBeDefined();
      await expectUserError(['run', '--config', join(CORPUS, file), '--out', join(scratch, file)], join(scratch, file), new RegExp(expectLine!));
    });
  }
});

describe('bad input that is not a config file', () => {
  it('a missing config file', async () => {
    await expectUserError(['run', '--config', join(scratch, 'nope.yaml'), '--out', join(scratch, 'o1')], join(scratch, 'o1'), /cannot read config .*nope\.yaml: no such file; pass an existing readable YAML file to --config/);
  });

  it('a folder given as the config', async () => {
    await expectUserError(['run', '--config', CORPUS, '--out', join(scratch, 'o2')], join(scratch, 'o2'), /cannot read config .*: is a folder/);
  });

  it('wrong --only, --require and --samples values', async () => {
    await expectUserError(['run', '--only', 'venv,lxc', '--out', join(scratch, 'o3')], join(scratch, 'o3'), /^--only: unknown environment "lxc"; choose from venv, docker, vm \(or all alone: every row, Vagrant included\)$/);
    await expectUserError(['run', '--only', 'venv', '--require', 'docker', '--out', join(scratch, 'o3')], join(scratch, 'o3'), /^--require docker: docker is not selected/);
    await expectUserError(['run', '--samples', '0', '--out', join(scratch, 'o3')], join(scratch, 'o3'), /^--samples: expected a positive integer/);
    await expectUserError(['run', '--lang', 'fr', '--out', join(scratch, 'o3')], join(scratch, 'o3'), /^--lang: expected en, ko or both/);
  });

  it('an --out that is a file, a non-empty folder of the user\'s, or cannot be created', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'keep me');
    let r = await isobench(['run', '--only', 'venv', '--out', file]);
    expect([r.exitCode, r.stderr.trim()]).toEqual([2, expect.stringMatching(/^isobench: --out .* is a file, not a folder; pass a new or empty folder$/)]);
    expect(await readFile(file, 'utf8')).toBe('keep me');
    const mine = join(scratch, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'mine');
    r = await isobench(['run', '--only', 'venv', '--out', mine]);
    expect([r.exitCode, r.stderr.trim()]).toEqual([2, expect.stringMatching(/not empty and was not created by isobench/)]);
    expect(await readdir(mine)).toEqual(['notes.txt']);
    r = await isobench(['run', '--only', 'venv', '--out', join(file, 'below')]);
    expect([r.exitCode, r.stderr.trim()]).toEqual([2, expect.stringMatching(/^isobench: cannot create --out .* \(ENOTDIR\); pass a folder in a writable place$/)]);
  });
});
