// `npm run bench:registry`: the document's registry path (pull, build, run) beside the offline path, on this machine.
// A local registry (docker-registry on 127.0.0.1) holds a stand-in for python:3.9-slim; a local index serves the wheelhouse.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../src/config/schema.js';
import { buildOfflineBase } from '../src/drivers/docker/base.js';
import { pullImage } from '../src/drivers/docker/build.js';
import { engine } from '../src/drivers/docker/engine.js';
import { buildRequestsImage, imagePython, type BaseChoice } from '../src/drivers/docker/images.js';
import { ensureWheelhouse } from '../src/drivers/wheelhouse.js';
import { hostFingerprint } from '../src/measure/host.js';
import { run } from '../src/lifecycle/process.js';
import { startRegistry } from '../test/helpers/local-registry.js';
import { serveWheelhouse } from '../test/helpers/simple-index.js';
import { publishPythonStandIn, removeRunImages } from '../test/helpers/registry-images.js';
import { benchContext, fmtBytes, fmtMs, interleave, med, ROOT } from './lib.js';

const N = Number(process.env.ISOBENCH_BENCH_N ?? 5);
const log = (msg: string) => process.stderr.write(`bench:registry: ${msg}\n`);
const ctx = await benchContext();
const { docker } = await engine(ctx);
const dir = await mkdtemp(join(tmpdir(), 'isobench-bench-registry-'));
ctx.cleanup.push(`temp dir ${dir}`, () => rm(dir, { recursive: true, force: true }));
ctx.cleanup.push('images of the registry bench', () => removeRunImages(docker, ctx.runId));

try {
  const offline = (await buildOfflineBase(ctx)).image;
  const registry = await startRegistry(dir);
  ctx.cleanup.push('local registry', () => registry.stop());
  const wheels = await ensureWheelhouse(ctx.config.packages, { pythonVersion: await imagePython(docker, offline, ctx) }, ctx);
  const index = await serveWheelhouse(wheels);
  ctx.cleanup.push('local index', () => index.close());
  const ref = `${registry.host}/library/python:3.9-slim`;
  log(`publishing a stand-in for python:3.9-slim as ${ref}`);
  await publishPythonStandIn(docker, offline, ref, ctx.runId);

  log(`pulling ${ref} ${N} times (the local copy removed before each)`);
  const pulls: number[] = [];
  for (let i = 0; i < N; i++) {
    await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    const t0 = performance.now();
    await pullImage(docker, ref, ctx);
    pulls.push(performance.now() - t0);
  }

  const regCtx = { ...ctx, config: configSchema.parse({ pip: { indexUrl: index.url }, environments: { docker: { registry: registry.host } } }) };
  const paths: { name: 'registry' | 'offline'; choice: BaseChoice; c: typeof ctx }[] = [
    { name: 'registry', choice: { path: 'registry', base: ref }, c: regCtx },
    { name: 'offline', choice: { path: 'offline', base: offline }, c: ctx },
  ];
  const tag = (p: string) => `isobench/requests:bench-${p}-${ctx.runId}`;
  log(`cold builds (nocache), ${N} each, interleaved`);
  const builds = await interleave(N, {
    a: async () => [(await buildRequestsImage(paths[0]!.c, paths[0]!.choice, { nocache: true, tag: tag('registry') })).durationMs],
    b: async () => [(await buildRequestsImage(paths[1]!.c, paths[1]!.choice, { nocache: true, tag: tag('offline') })).durationMs],
  });
  const runOnce = async (p: string) => {
    const r = await run(['docker', 'run', '--rm', '--label', `isobench.run=${ctx.runId}`, tag(p), 'python', '-c', 'import requests; print(requests.__version__)'], {
      step: 'docker run',
      timeoutMs: 120_000,
    });
    if (r.exitCode !== 0) throw new Error(`docker run ${tag(p)}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    return [r.durationMs];
  };
  log(`docker run --rm IMAGE python -c "import requests", 1 warm-up + ${N} each, interleaved`);
  await interleave(1, { a: () => runOnce('registry'), b: () => runOnce('offline') });
  const runs = await interleave(N, { a: () => runOnce('registry'), b: () => runOnce('offline') });
  const size = async (p: string) => (await docker.getImage(tag(p)).inspect()).Size;
  const baseSize = async (image: string) => (await docker.getImage(image).inspect()).Size;

  const result = {
    startedAt: new Date().toISOString(),
    host: await hostFingerprint(),
    loadavgAtEnd: loadavg(),
    n: N,
    registry: { image: ref, what: 'stand-in for python:3.9-slim: the offline Debian base with its Python in a venv on PATH, one flattened layer, served by docker-registry on 127.0.0.1' },
    pullMs: pulls,
    buildColdMs: { registry: builds.a, offline: builds.b },
    runCliMs: { registry: runs.a, offline: runs.b },
    bytes: { registryBase: await baseSize(ref), offlineBase: await baseSize(offline), registryImage: await size('registry'), offlineImage: await size('offline') },
  };
  const out = join(ROOT, 'bench', 'results', `${result.startedAt.slice(0, 10)}-registry.json`);
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  const line = (what: string, reg: string, off: string) => `| ${what} | ${reg} | ${off} |`;
  process.stdout.write(
    [
      `n = ${N} each; ${result.host.cpuModel}, ${result.host.cores} cores; load average at the end ${loadavg()[0]!.toFixed(2)}`,
      '| what (median) | registry path | offline path |',
      '|---|---|---|',
      line('get the base', `pull from the local registry ${fmtMs(med(pulls))}`, 'debootstrap + import (built once, not repeated here)'),
      line('cold build of the requests image', fmtMs(med(builds.a)), fmtMs(med(builds.b))),
      line('`docker run --rm IMAGE python -c "import requests"`', fmtMs(med(runs.a)), fmtMs(med(runs.b))),
      line('base image size', fmtBytes(result.bytes.registryBase), fmtBytes(result.bytes.offlineBase)),
      line('requests image size', fmtBytes(result.bytes.registryImage), fmtBytes(result.bytes.offlineImage)),
      `written to ${out}`,
      '',
    ].join('\n'),
  );
} finally {
  await ctx.cleanup.runAll();
}
