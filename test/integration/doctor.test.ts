// `isobench doctor` on a prepared machine: every prerequisite the default config needs is OK.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');

describe('isobench doctor', () => {
  it('prints one row per prerequisite and exits 0 when the default config can run', async () => {
    const r = await execa('node', [join(ROOT, 'bin', 'isobench.js'), 'doctor'], { reject: false, timeout: 300_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const rows = r.stdout.split('\n');
    for (const what of ['venv', 'docker', 'vm', 'registry for python:3.9-slim', 'KVM that really boots', 'vagrant + libvirt', 'debootstrap']) {
      expect(rows.some((l) => l.startsWith(what)), `${what} row in:\n${r.stdout}`).toBe(true);
    }
    for (const needed of ['venv ', 'docker ', 'vm ']) {
      expect(rows.find((l) => l.startsWith(needed))).toMatch(/^\S+\s+OK\s/);
    }
  }, 300_000);
});
