// The Docker metrics: image size and layers, cold/cached builds, layer sharing, docker run (CLI and API).
import type Docker from 'dockerode';
import { labelFlags } from '../../lifecycle/labels.js';
import { run } from '../../lifecycle/process.js';
import { sampleReported } from '../../measure/clock.js';
import { buildLayerPair, buildRequestsImage, type BaseChoice } from './images.js';
import { engine } from './engine.js';
import { diskUsedBytes, sharedBytes, type DfImage, type HistoryEntry } from './layers.js';
import { layerFacts, readOnlyFacts } from './image-facts.js';
import { gone, runOnce, type RunOnceResult } from './run-once.js';
import type { DockerEnv } from './types.js';
import type { DriverContext, Metric } from '../types.js';

/** The document's check, as argv: python -c "import requests; print(requests.__version__)". */
export const IMPORT_REQUESTS = ['python', '-c', 'import requests; print(requests.__version__)'];

/** Uncached builds are whole builds (seconds each): 6 is the fewest samples with a 95% interval of the median. */
const COLD_BUILDS = 6;

/** All Docker metrics of env (builds, runs and layer pair use the engine; run.cli.ms uses the docker CLI); a suite row's image size only. */
export async function measureDocker(env: DockerEnv, ctx: DriverContext): Promise<Metric[]> {
  const { docker, host } = await engine(ctx);
  if (env.sizeOnly) return imageMetrics(docker, env.image, '');
  if (!env.ownBuild) ctx.note(`docker: builds and the layer pair are measured on the Docker row only: this row runs the image that engine built`);
  return [
    ...(await imageMetrics(docker, env.image, env.host ? `, as the engine at ${env.host} counts it (Podman's storage: the same image may count otherwise than in Docker)` : '')),
    ...(env.ownBuild ? await buildMetrics(env, ctx) : []),
    ...(env.ownBuild ? await layerMetrics(docker, env, ctx) : []),
    ...(await cliRunMetrics(host, env, ctx)),
    ...(await apiRunMetrics(docker, env, ctx)),
  ];
}

async function imageMetrics(docker: Docker, image: string, countedBy: string): Promise<Metric[]> {
  const info = await docker.getImage(image).inspect();
  return [
    { id: 'image.bytes', unit: 'bytes', value: info.Size, method: `image inspect Size of ${image} (as docker images SIZE)${countedBy}` },
    { id: 'image.layers.count', unit: 'count', value: info.RootFS.Layers?.length ?? 0, method: `image inspect RootFS.Layers of ${image}` },
  ];
}

async function buildMetrics(env: DockerEnv, ctx: DriverContext): Promise<Metric[]> {
  const choice: BaseChoice = { path: env.path, base: env.base };
  const { docker } = await engine(ctx);
  const coldTag = `isobench/requests:cold-${ctx.runId}`;
  const removeCold = () => docker.getImage(coldTag).remove().then(() => undefined, gone);
  const dropCleanup = ctx.cleanup.push(`image ${coldTag}`, removeCold);
  const cold = await sampleReported(async () => {
    const r = await buildRequestsImage(ctx, choice, { nocache: true, tag: coldTag });
    await removeCold();
    return r.durationMs;
  }, { ...ctx.config, samples: Math.min(ctx.config.samples, COLD_BUILDS) });
  await dropCleanup();
  const cached = await sampleReported(async () => (await buildRequestsImage(ctx, choice, { tag: env.image })).durationMs, ctx.config);
  return [
    metric('build.cold.ms', cold, `Engine API build of ${env.image}'s Dockerfile with nocache, base ${env.base} present (at most ${COLD_BUILDS} samples: each is a full build)`),
    metric('build.cached.ms', cached, `Engine API rebuild of ${env.image} with the build cache`),
  ];
}

async function layerMetrics(docker: Docker, env: DockerEnv, ctx: DriverContext): Promise<Metric[]> {
  const pair = await buildLayerPair(ctx, env.path);
  Object.assign(env.facts, await layerFacts(docker, env, pair, ctx), await readOnlyFacts(docker, env, ctx));
  const [ia, ib] = await Promise.all([docker.getImage(pair.a).inspect(), docker.getImage(pair.b).inspect()]);
  const [ha, hb] = (await Promise.all([docker.getImage(pair.a).history(), docker.getImage(pair.b).history()])) as HistoryEntry[][];
  const shared = sharedBytes(ha!, hb!);
  const df = (await docker.df()) as { Images: DfImage[] };
  const [ra, rb] = [df.Images.find((i) => i.Id === ia.Id), df.Images.find((i) => i.Id === ib.Id)];
  const what = `${pair.a} and ${pair.b} (one COPY each on ${env.image})`;
  const used: Metric[] =
    ra && rb
      ? [{ id: 'layers.diskUsed.bytes', unit: 'bytes', value: diskUsedBytes(shared, ra, rb), method: `shared layers once + each image's unshared bytes (system df Size - SharedSize) of ${what}` }]
      : [];
  if (!used.length) ctx.note(`docker: layers.diskUsed.bytes not measured: ${ra ? pair.b : pair.a} is missing from the Engine's system df`);
  return [
    { id: 'layers.a.bytes', unit: 'bytes', value: ia.Size, method: `image inspect Size of ${pair.a}` },
    { id: 'layers.b.bytes', unit: 'bytes', value: ib.Size, method: `image inspect Size of ${pair.b}` },
    { id: 'layers.shared.bytes', unit: 'bytes', value: shared, method: `sum of the common history layers of ${what}` },
    { id: 'layers.sum.bytes', unit: 'bytes', value: ia.Size + ib.Size, method: `${pair.a} Size + ${pair.b} Size (what the two sizes suggest)` },
    ...used,
  ];
}

async function cliRunMetrics(host: string, env: DockerEnv, ctx: DriverContext): Promise<Metric[]> {
  const on = [...(env.runtime ? ['--runtime', env.runtime] : []), ...(env.network !== 'bridge' ? ['--network', env.network] : [])];
  const argv = ['docker', 'run', '--rm', ...labelFlags(ctx.runId), ...on, env.image, ...IMPORT_REQUESTS];
  const opts = { step: 'docker run (CLI)', timeoutMs: ctx.config.timeouts.stepSec * 1000, env: { DOCKER_HOST: host }, signal: ctx.signal };
  const probe = await run(['docker', 'version', '--format', '{{.Client.Version}}'], { ...opts, step: 'docker version' });
  if (probe.exitCode !== 0) {
    ctx.note(`docker: run.cli.ms not measured, the docker CLI did not answer (${(probe.stderr || probe.stdout).trim().split('\n')[0]}); install the docker CLI to measure the document's way`);
    return [];
  }
  const samples = await sampleReported(async () => {
    const r = await ctx.timer.run(argv, opts);
    if (r.exitCode !== 0 || !/^\d+\.\d+/.test(r.stdout.trim())) {
      throw new Error(`docker run ${env.image} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(-300)}`);
    }
    return r.durationMs;
  }, ctx.config);
  const flags = on.length ? `${on.join(' ')} ` : '';
  return [metric('run.cli.ms', samples, `wall time of \`docker run --rm [--label isobench.*] ${flags}${env.image} python -c "import requests; print(requests.__version__)"\` (docker CLI, the document's way)`)];
}

async function apiRunMetrics(docker: Docker, env: DockerEnv, ctx: DriverContext): Promise<Metric[]> {
  const seen: RunOnceResult['phases'][] = [];
  await sampleReported(async () => {
    const r = await runOnce(docker, env.image, ['python3', ...IMPORT_REQUESTS.slice(1)], ctx, { runtime: env.runtime, network: env.network });
    if (r.exitCode !== 0) throw new Error(`${env.image}: import requests failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-300)}`);
    seen.push(r.phases);
    return r.phases.exit;
  }, ctx.config);
  const phases = seen.slice(-ctx.config.samples);
  const how = 'Engine API (dockerode), attached before start';
  return [
    metric('run.api.create.ms', phases.map((p) => p.create), `${how}: container create`),
    metric('run.api.start.ms', phases.map((p) => p.start), `${how}: container start call`),
    metric('run.api.firstOutput.ms', phases.map((p) => p.firstOutput), `${how}: start call to the first output byte (import requests done)`),
    metric('run.api.exit.ms', phases.map((p) => p.exit), `${how}: start call to exit (wait)`),
    metric('run.api.remove.ms', phases.map((p) => p.remove), `${how}: container remove`),
  ];
}

function metric(id: string, samples: number[], method: string): Metric {
  return { id, unit: 'ms', samples, method };
}
