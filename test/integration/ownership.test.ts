// Ownership on a real daemon: cleanup never takes a container for a dead run's because of a label its image
// passed on, and two runs at once on one daemon both complete while `isobench cleanup` runs between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { runResultsSchema } from '../../src/results/schema.js';
import { LABEL_OWNER, LABEL_RUN, labels } from '../../src/lifecycle/labels.js';
import { currentOwner } from '../../src/lifecycle/owner.js';
import { configSchema } from '../../src/config/schema.js';
import { buildImage } from '../../src/drivers/docker/build.js';
import { testContext } from '../helpers/context.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'isobench.js');
const docker = new Docker();
const BASE = configSchema.parse({}).environments.docker.offlineBase;
let scratch: string;

const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, timeout: 900_000, buffer: true });

function waitFor(child: ResultPromise, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) resolve(text);
    });
    child.once('exit', () => reject(new Error(`exited before ${pattern}: ${text}`)));
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'isobench-test-'));
  await docker.ping();
}, 60_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('labels an image passes on', () => {
  it('do not make a container look like a dead run\'s; a container isobench labelled on create does', async () => {
    const ctx = await testContext();
    const deadRun = 'test-20000101-000000-dead00';
    const tag = `isobench-test/inherits:${ctx.runId}`;
    const made: string[] = [];
    try {
      // An image carrying run and owner labels of a run that no longer exists (as older isobench images do).
      const context = [{ name: 'Dockerfile', content: `FROM ${BASE}\nLABEL ${LABEL_RUN}=${deadRun} ${LABEL_OWNER}=${deadRun}\n` }];
      await buildImage(docker, { tag, context }, ctx);
      const child = await docker.createContainer({ Image: tag, Cmd: ['true'] });
      made.push(child.id);
      // Its owner: a process that has exited.
      const gone = execa('true');
      const pid = gone.pid!;
      await gone;
      const owned = await docker.createContainer({ Image: BASE, Cmd: ['true'], Labels: labels(deadRun, { ...currentOwner(), pid, start: '1' }) });
      made.push(owned.id);
      const r = await cli(['cleanup', '--dry-run']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(child.id.slice(0, 12));
      expect(r.stdout).toContain(`would remove container ${owned.id.slice(0, 12)} (run ${deadRun})`);
    } finally {
      for (const id of made) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      await docker.getImage(tag).remove().catch(() => undefined);
      expect(await ctx.cleanup.runAll()).toEqual([]);
    }
  }, 300_000);
});

describe('two runs at once on one daemon, and isobench cleanup while both run', () => {
  it('both complete, one waits for the other and says so, cleanup removes nothing of theirs', async () => {
    const outA = join(scratch, 'a');
    const outB = join(scratch, 'b');
    // The Docker row alone: the shared-tag hold is what is tested; the gVisor and Podman rows have their own test.
    const cfg = join(scratch, 'docker-row-only.yaml');
    await writeFile(cfg, 'environments:\n  docker:\n    gvisor: { enabled: false }\n    podman: { enabled: false }\n');
    const a = cli(['run', '--only', 'docker', '--config', cfg, '--samples', '1', '--out', outA]);
    // A is building (its intermediate containers inherit the base image's labels) ...
    const textA = await waitFor(a, /docker-requests: install/);
    const b = cli(['run', '--only', 'docker', '--config', cfg, '--samples', '1', '--out', outB]);
    // ... and B waits for A's hold on the shared tags.
    const textB = await waitFor(b, /waiting for run \S+ \(pid \d+\)/);
    const runA = /isobench (\S+):/.exec(textA)![1]!;
    const runB = /isobench (\S+):/.exec(textB)![1]!;
    const c = await cli(['cleanup']);
    expect(c.exitCode, c.stderr).toBe(0);
    expect(c.stdout + c.stderr).not.toContain(runA);
    expect(c.stdout + c.stderr).not.toContain(runB);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.exitCode, ra.stderr).toBe(0);
    expect(rb.exitCode, rb.stderr).toBe(0);
    const resA = runResultsSchema.parse(JSON.parse(await readFile(join(outA, 'results.json'), 'utf8')));
    const resB = runResultsSchema.parse(JSON.parse(await readFile(join(outB, 'results.json'), 'utf8')));
    // docker-requests, then the default config's suite rows.
    expect(resA.environments.map((e) => e.status)).toEqual(resA.environments.map(() => 'completed'));
    expect(resB.environments.map((e) => e.status)).toEqual(resB.environments.map(() => 'completed'));
    expect(resA.environments[0]!.name).toBe('docker-requests');
    expect(resB.environments[0]!.notes.join('\n')).toMatch(new RegExp(`waited [\\d.]+ s for run ${runA} \\(pid \\d+\\)`));
  }, 900_000);
});
