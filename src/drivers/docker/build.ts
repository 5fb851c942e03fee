// Image builds, pulls and lookups through the Engine API, with progress lines going to the log.
import type Docker from 'dockerode';
import { followEvents, type EngineEvent } from './events.js';
import type { PullProgress } from './pull-failure.js';
import { streaming } from './engine.js';
import { packContext, type ContextEntry } from './context.js';
import { imageLabels } from '../../lifecycle/labels.js';
import type { DriverContext } from '../types.js';

export interface BuildRequest {
  tag: string;
  context: ContextEntry[];
  buildArgs?: Record<string, string>;
  nocache?: boolean;
  /** The build containers' network (e.g. "host" to reach an index on this machine's loopback); default bridge. */
  networkmode?: string;
}

export interface BuildResult {
  id: string;
  durationMs: number;
  /** RUN steps of the Dockerfile, and how many of them the builder took from its cache. */
  runSteps: number;
  cachedRunSteps: number;
  /** Every step in order ("COPY app_a.py /app/") and whether the builder took it from its cache. */
  steps: { text: string; cached: boolean }[];
}

/** Builds an image with the Engine's build endpoint (label isobench.version, no run id); throws on any error event. */
export async function buildImage(docker: Docker, req: BuildRequest, ctx: DriverContext): Promise<BuildResult> {
  const t0 = performance.now();
  // What the tag pointed to before: a rebuild leaves it untagged, and only this build may remove it. No prune of
  // the engine's dangling images: on a shared engine, another run's build in progress has dangling images too.
  const before = (await inspectImage(docker, req.tag).catch(() => undefined))?.Id;
  const made: string[] = [];
  let lastWasCacheHit = false;
  const tar = await packContext(req.context);
  const stream = await streaming(docker).buildImage(tar, {
    t: req.tag,
    buildargs: req.buildArgs ?? {},
    labels: imageLabels(),
    nocache: Boolean(req.nocache),
    rm: true,
    forcerm: true,
    pull: false,
    ...(req.networkmode ? { networkmode: req.networkmode } : {}),
    abortSignal: stepSignal(ctx),
  } as Docker.ImageBuildOptions);
  let id = '';
  let runSteps = 0;
  let cachedRunSteps = 0;
  let inRun = false;
  const steps: BuildResult['steps'] = [];
  try {
    await followEvents(
      stream,
      (ev: EngineEvent) => {
        if (ev.aux?.ID) id = ev.aux.ID;
        const line = ev.stream?.trim();
        if (!line) return;
        // Build logs are debug lines (--verbose, and the run's log file); only warnings reach the terminal.
        const step = buildStep(line);
        if (step !== undefined) {
          steps.push({ text: step, cached: false });
          inRun = /^RUN /.test(step);
          // FROM's " ---> <id>" is the base image's, not one this build made.
          lastWasCacheHit = /^FROM /i.test(step);
          if (inRun) runSteps += 1;
          ctx.log.debug(`docker build ${req.tag}: ${line}`);
        } else {
          const cached = isCacheHit(line);
          const layer = stepImage(line);
          if (layer && !lastWasCacheHit) made.push(layer);
          lastWasCacheHit = cached || (lastWasCacheHit && !layer);
          if (cached && steps.length) steps[steps.length - 1]!.cached = true;
          if (inRun && cached) cachedRunSteps += 1;
          if (isBuildWarning(line)) ctx.log.warn(`docker build ${req.tag}: ${line}`);
          else ctx.log.debug(`docker build ${req.tag}: ${line}`);
        }
        const built = /^Successfully built ([0-9a-f]+)$/.exec(line);
        if (built && !id) id = built[1]!;
      },
      `docker build ${req.tag}`,
    );
    if (!id) throw new Error(`docker build ${req.tag}: the Engine reported no image id; see the build log (--verbose, or isobench.log in the output folder)`);
  } catch (err) {
    // The steps this build made before it failed stay behind as untagged images: remove them, newest first.
    for (const layer of made.reverse()) await removeIfUntagged(docker, layer);
    throw err;
  }
  const bare = (x: string) => x.replace(/^sha256:/, '');
  if (before && !bare(before).startsWith(bare(id))) await removeIfUntagged(docker, before);
  return { id, durationMs: performance.now() - t0, runSteps, cachedRunSteps, steps };
}

/** The instruction of a build step line: dockerd's "Step 2/5 : RUN …", Podman's (buildah's) "STEP 2/5: RUN …". */
export function buildStep(line: string): string | undefined {
  return /^(?:Step \d+\/\d+ :|STEP \d+\/\d+:) (.*)$/.exec(line)?.[1];
}

/** A build output line saying the step came from the cache: dockerd's "---> Using cache", Podman's "--> Using cache <id>". */
export function isCacheHit(line: string): boolean {
  return /^-{2,3}> Using cache\b/.test(line);
}

/** A build output line that is a warning (pip's, apt's, the builder's own). */
export function isBuildWarning(line: string): boolean {
  return /^(\[?warning\]?:?|W: |DEPRECATED)/i.test(line);
}

/** A pull that failed, with how far it got (for the words of the error). */
export class PullError extends Error {
  constructor(
    message: string,
    readonly progress: PullProgress,
  ) {
    super(message);
    this.name = 'PullError';
  }
}

/** Pulls an image; throws a PullError with the Engine's message and how far the pull got. */
export async function pullImage(docker: Docker, image: string, ctx: DriverContext): Promise<void> {
  ctx.log.info(`docker pull ${image}`);
  const progress: PullProgress = { layersStarted: false, bytes: 0 };
  const current = new Map<string, number>();
  const onEvent = (ev: EngineEvent) => {
    if (!ev.status || !ev.id) return;
    if (ev.status === 'Pulling fs layer' || ev.status === 'Waiting' || ev.status === 'Downloading') progress.layersStarted = true;
    if (ev.status === 'Downloading' && ev.progressDetail?.current) current.set(ev.id, ev.progressDetail.current);
    progress.bytes = [...current.values()].reduce((a, b) => a + b, 0);
    if (/^Retrying in/.test(ev.status)) ctx.log.info(`pull ${image}: layer ${ev.id}: ${ev.status} (dockerd retries a broken download)`);
    else ctx.log.debug(`pull ${image}: ${ev.id} ${ev.status}`);
  };
  try {
    const stream = await streaming(docker).pull(image, { abortSignal: stepSignal(ctx) });
    await followEvents(stream, onEvent, `docker pull ${image}`);
  } catch (err) {
    throw new PullError((err as Error).message, { ...progress });
  }
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

/** The image a build step left: dockerd's " ---> 3f2a…", Podman's "--> 3f2a…" (not "---> Running in …"). */
export function stepImage(line: string): string | undefined {
  return /^-{2,3}> ([0-9a-f]{12,64})$/.exec(line)?.[1];
}

/**
 * Removes an image this build made or superseded, only while nothing names it: a tag someone gave it, a child
 * image or a container keeps it (the Engine refuses without force, and isobench never forces).
 */
async function removeIfUntagged(docker: Docker, ref: string): Promise<void> {
  const info = await inspectImage(docker, ref).catch(() => undefined);
  if (!info || (info.RepoTags ?? []).some((t) => t !== '<none>:<none>')) return;
  await docker.getImage(info.Id).remove().catch(() => undefined);
}

/** The run's abort signal combined with the per-step timeout. */
export function stepSignal(ctx: Pick<DriverContext, 'signal' | 'config'>): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.config.timeouts.stepSec * 1000)]);
}
