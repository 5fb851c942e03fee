// The Docker environment end to end with every isolation probe, against the real daemon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { dockerDriver } from '../../src/drivers/docker/index.js';
import { runEnvironment } from '../../src/run/env-run.js';
import { hostFingerprint } from '../../src/measure/host.js';
import { LABEL_RUN } from '../../src/lifecycle/labels.js';
import { testContext } from '../helpers/context.js';
import type { Driver } from '../../src/drivers/types.js';
import type { EnvResult } from '../../src/results/schema.js';

describe('docker environment with probes (real daemon)', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let result: EnvResult;

  beforeAll(async () => {
    ctx = await testContext({ samples: 2, warmups: 0 });
    const pre = await dockerDriver.preflight(ctx);
    expect(pre, `preflight: ${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    const [spec] = dockerDriver.specs(ctx.config);
    result = await runEnvironment(dockerDriver as unknown as Driver, spec!, ctx, await hostFingerprint());
  }, 1_200_000);

  afterAll(async () => {
    expect(await ctx.cleanup.runAll()).toEqual([]);
  });

  it('completes with the document\'s Docker numbers', () => {
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('completed');
    for (const id of ['image.bytes', 'run.cli.ms', 'layers.diskUsed.bytes', 'layers.sum.bytes', 'memory.container.bytes', 'import.warm.ms']) {
      expect(result.metrics[id], id).toBeDefined();
    }
    expect(result.metrics['layers.diskUsed.bytes']!.value).toBeLessThan(result.metrics['layers.sum.bytes']!.value);
    expect(result.facts['requests.version']).toMatch(/^\d+\.\d+/);
  });

  it('measures ready like every kind (a Python answers), the container\'s own start apart, and memory with the workload running', () => {
    const ready = result.metrics['ready.python.ms']!;
    const up = result.metrics['instance.up.ms']!;
    expect(ready.samples).toHaveLength(2);
    expect(up.samples).toHaveLength(2);
    // Each ready sample includes its container's start, then a Python process through exec.
    ready.samples!.forEach((r, i) => expect(r).toBeGreaterThan(up.samples![i]!));
    expect(result.metrics['memory.container.bytes']!.method).toMatch(/while the workload Python runs/);
    // The cgroup holds the workload Python (requests imported), so it is above that Python's own peak RSS share.
    expect(result.metrics['memory.container.bytes']!.value).toBeGreaterThan(0.5 * result.metrics['python.maxrss.bytes']!.value);
    // The container's processes counted as a venv's Python is (RSS): the workload Python plus the idle PID 1.
    expect(result.metrics['memory.processes.bytes']!.value).toBeGreaterThan(result.metrics['python.maxrss.bytes']!.value * 0.8);
    expect(result.facts['docker.image.readOnly']).toMatch(/^yes: /);
  });

  it('probes what a container isolates and what it shares', () => {
    const byId = Object.fromEntries(result.probes.map((p) => [p.id, p]));
    const expected = {
      'port-clash': true,
      'tmp-visibility': true,
      kernel: false,
      'process-visibility': true,
      'os-release': true,
      'system-packages': true,
      'python-version': true,
      'package-visibility': true,
      // Docker as root, no user namespace: the host's kernel answers and root inside is root on the host.
      'syscall-kernel': false,
      'root-mapping': false,
    };
    for (const [id, isolated] of Object.entries(expected)) {
      expect(byId[id], `${id}: ${byId[id]?.summary}`).toMatchObject({ isolated });
    }
    expect(byId['port-clash']!.evidence).toMatchObject({ hostPortClash: true, secondAnswered: 200 });
    expect(byId['syscall-kernel']!.evidence).toMatchObject({ answeredBy: 'host' });
    expect(byId['root-mapping']!.evidence).toMatchObject({ insideUid: 0, hostOwner: 0, rootOnHost: true });
  });

  it('leaves no container of this run behind', async () => {
    await ctx.cleanup.runAll();
    const docker = new Docker();
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${ctx.runId}`] } })).toEqual([]);
  });
});
