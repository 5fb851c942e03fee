// Image builds, pulls and lookups through the Engine API, with progress lines going to the log.
import type Docker from 'dockerode';
import { followEvents, type EngineEvent } from './events.js';
import { streaming } from './engine.js';
import { packContext, type ContextEntry } from './context.js';
import { LABEL_VERSION, imageLabels } from '../../lifecycle/labels.js';
import type { DriverContext } from '../types.js';

export interface BuildRequest {
  tag: string;
  context: ContextEntry[];
  buildArgs?: Record<string, string>;
  nocache?: boolean;
}

export interface BuildResult {
  id: string;
  durationMs: number;
  /** RUN steps of the Dockerfile, and how many of them the builder took from its cache. */
  runSteps: number;
  cachedRunSteps: number;
}

/** Builds an image with the Engine's build endpoint (label isobench.version, no run id); throws on any error event. */
export async function buildImage(docker: Docker, req: BuildRequest, ctx: DriverContext): Promise<BuildResult> {
  const t0 = performance.now();
  const tar = await packContext(req.context);
  const stream = await streaming(docker).buildImage(tar, {
    t: req.tag,
    buildargs: req.buildArgs ?? {},
    labels: imageLabels(),
    nocache: Boolean(req.nocache),
    rm: true,
    forcerm: true,
    pull: false,
    abortSignal: stepSignal(ctx),
  } as Docker.ImageBuildOptions);
  let id = '';
  let runSteps = 0;
  let cachedRunSteps = 0;
  let inRun = false;
  await followEvents(
    stream,
    (ev: EngineEvent) => {
      if (ev.aux?.ID) id = ev.aux.ID;
      const line = ev.stream?.trim();
      if (!line) return;
      // Build logs are debug lines (--verbose, and the run's log file); only warnings reach the terminal.
      if (/^Step \d+\/\d+ :/.test(line)) {
        inRun = /^Step \d+\/\d+ : RUN /.test(line);
        if (inRun) runSteps += 1;
        ctx.log.debug(`docker build ${req.tag}: ${line}`);
      } else {
        if (inRun && line === '---> Using cache') cachedRunSteps += 1;
        if (isBuildWarning(line)) ctx.log.warn(`docker build ${req.tag}: ${line}`);
        else ctx.log.debug(`docker build ${req.tag}: ${line}`);
      }
      const built = /^Successfully built ([0-9a-f]+)$/.exec(line);
      if (built && !id) id = built[1]!;
    },
    `docker build ${req.tag}`,
  );
  if (!id) throw new Error(`docker build ${req.tag}: the Engine reported no image id; see the build log (--verbose, or isobench.log in the output folder)`);
  return { id, durationMs: performance.now() - t0, runSteps, cachedRunSteps };
}

/** A build output line that is a warning (pip's, apt's, the builder's own). */
export function isBuildWarning(line: string): boolean {
  return /^(\[?warning\]?:?|W: |DEPRECATED)/i.test(line);
}

/** Pulls an image; throws with the Engine's message (e.g. no registry reachable). */
export async function pullImage(docker: Docker, image: string, ctx: DriverContext): Promise<void> {
  ctx.log.info(`docker pull ${image}`);
  const stream = await streaming(docker).pull(image, { abortSignal: stepSignal(ctx) });
  await followEvents(stream, (ev) => ev.status && ev.id && ctx.log.debug(`pull ${image}: ${ev.id} ${ev.status}`), `docker pull ${image}`);
}

/** The image's inspect data, or undefined when it is not present. */
export async function inspectImage(docker: Docker, image: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(image).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Removes isobench's own dangling images (superseded by a rebuild); images without isobench's label are never touched. */
export async function pruneOwnDangling(docker: Docker): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const r = await docker.pruneImages({ filters: { dangling: ['true'], label: [LABEL_VERSION] } });
    if (!r.ImagesDeleted?.length) return;
  }
}

/** The run's abort signal combined with the per-step timeout. */
export function stepSignal(ctx: Pick<DriverContext, 'signal' | 'config'>): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.config.timeouts.stepSec * 1000)]);
}
