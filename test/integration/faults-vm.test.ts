// VM faults for real: a guest that never becomes ready, and SIGINT while guests boot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { runResultsSchema } from '../../src/results/schema.js';
import { testContext } from '../helpers/context.js';

const ROOT = join(import.meta.dirname, '..', '..');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
}, 180_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('a guest that never becomes ready', () => {
  it('fails start with a timeout naming the step, and kills the guest', async () => {
    const ctx = await testContext({ environments: { vm: { accel: 'tcg', bootTimeoutSec: 2, guests: ['micro'] } } as never });
    try {
      const pre = await vmDriver.preflight(ctx);
      expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
      const [spec] = vmDriver.specs(ctx.config);
      const env = await vmDriver.create(spec!, ctx);
      await expect(vmDriver.start(env, ctx)).rejects.toThrow(/the TCG guest did not report ready within 2 s/);
      expect(await findQemuProcesses(`isobench-${ctx.runId}`)).toEqual([]);
      await vmDriver.destroy(env, ctx);
    } finally {
      expect(await ctx.cleanup.runAll()).toEqual([]);
    }
    expect(await findQemuProcesses(`isobench-${ctx.runId}`)).toEqual([]);
    expect(await readdir(ctx.workDir).catch(() => [])).toEqual([]);
  }, 300_000);
});

describe('SIGINT during a VM run', () => {
  it('leaves no QEMU process, overlay or work dir', async () => {
    const cfg = join(scratch, 'tcg.yaml');
    await writeFile(cfg, 'samples: 1\nprobePort: 18801\nenvironments:\n  vm:\n    accel: tcg\n    bootSamples: 3\n    guests: [micro]\n    vagrant: { enabled: false }\n');
    const out = join(scratch, 'vm-sigint');
    const child = execa('node', [join(ROOT, 'bin', 'isobench.js'), 'run', '--only', 'vm', '--config', cfg, '--out', out], { reject: false, timeout: 900_000 });
    let text = '';
    const runId = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        text += d.toString();
        if (/start samples/.test(text)) resolve(/isobench (\S+):/.exec(text)![1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${text}`)));
    });
    // Let a guest be mid-boot when the signal lands.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await findQemuProcesses(`isobench-${runId}`)).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(await findQemuProcesses(`isobench-${runId}`)).toEqual([]);
    expect((await readdir(tmpdir())).filter((f) => f.startsWith(`isobench-${runId}`))).toEqual([]);
    const res = runResultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(res.complete).toBe(false);
    expect(res.environments[0]!.reason).toMatch(/^interrupted during start$/);
  }, 900_000);
});
