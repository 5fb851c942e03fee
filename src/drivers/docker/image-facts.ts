// What the document says of images, observed: read-only, one image for many containers, only changed layers rebuilt,
// shared layers stored once. Each is a "yes: evidence" / "no: evidence" fact for the claims.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { PACKAGE_ROOT } from '../../lifecycle/paths.js';
import { buildImage } from './build.js';
import { layerPipBuild } from './images.js';
import { execIn, startContainer } from './container.js';
import { contextEntries } from './context.js';
import { gone } from './run-once.js';
import type { DockerEnv, DockerInstance } from './types.js';
import type { DriverContext } from '../types.js';

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
const answer = (ok: boolean, evidence: string) => `${ok ? 'yes' : 'no'}: ${evidence}`;

/** The same prefix of layer digests: how many of `base`'s layers `image` has unchanged at its bottom. */
export function sharedPrefix(base: readonly string[], image: readonly string[]): number {
  let i = 0;
  while (i < base.length && i < image.length && base[i] === image[i]) i++;
  return i;
}

/**
 * Three containers of one image run at once, each writes a file and changes /etc/issue; afterwards the image ID is
 * unchanged and a fresh container sees none of it. Sets docker.image.manyContainers and docker.image.readOnly.
 */
export async function readOnlyFacts(docker: Docker, env: DockerEnv, ctx: DriverContext): Promise<Record<string, string>> {
  const before = (await docker.getImage(env.image).inspect()).Id;
  const started: DockerInstance[] = [];
  try {
    started.push(...(await Promise.all([0, 1, 2].map(() => startContainer(docker, env, ctx)))));
    const write = ['sh', '-c', 'echo isobench-was-here > /isobench-written && echo isobench-was-here >> /etc/issue'];
    const writes = await Promise.all(started.map((c) => execIn(c, write, { timeoutMs: 30_000 })));
    const states = await Promise.all(started.map((c) => docker.getContainer(c.id).inspect()));
    const running = states.filter((s) => s.State.Running && s.Image === before).length;
    const many = answer(running === 3, `${running} containers ran at once from image ${short(before)}`);
    await Promise.all(started.map((c) => c.remove()));
    const after = (await docker.getImage(env.image).inspect()).Id;
    const fresh = await startContainer(docker, env, ctx);
    started.push(fresh);
    const look = await execIn(fresh, ['sh', '-c', 'cat /isobench-written 2>/dev/null; grep -c isobench-was-here /etc/issue || true'], { timeoutMs: 30_000 });
    const seen = look.stdout.includes('isobench-was-here') || Number(look.stdout.trim().split('\n').pop()) > 0;
    const wrote = writes.every((w) => w.exitCode === 0);
    const readOnly = !wrote
      ? `not measured: the containers could not write (${writes.map((w) => w.stderr.trim()).join('; ')})`
      : answer(before === after && !seen, `3 containers wrote files; image ID ${short(before)} → ${short(after)}${before === after ? ' (unchanged)' : ' (changed!)'}, and a new container ${seen ? 'saw' : 'did not see'} their writes`);
    return { 'docker.image.manyContainers': many, 'docker.image.readOnly': readOnly };
  } finally {
    await Promise.all(started.map((c) => c.remove()));
  }
}

/**
 * Rebuilds layer image A with a changed app file: only the changed step's layer is new, every layer of the requests
 * image below it is reused by digest. Also: images A and B hold the requests image's layers by the same digests
 * (stored once). Sets docker.build.onlyChangedRebuilt and docker.layers.storedOnce.
 */
export async function layerFacts(docker: Docker, env: DockerEnv, pair: { a: string; b: string }, ctx: DriverContext): Promise<Record<string, string>> {
  const layersOf = async (image: string) => (await docker.getImage(image).inspect()).RootFS.Layers ?? [];
  const [base, a, b] = await Promise.all([layersOf(env.image), layersOf(pair.a), layersOf(pair.b)]);
  const shared = Math.min(sharedPrefix(base, a), sharedPrefix(base, b));
  const pairShared = sharedPrefix(a, b);
  const storedOnce = answer(
    shared === base.length && base.length > 0,
    `${pair.a} and ${pair.b} both hold all ${base.length} layers of ${env.image} by the same digests (${shared} shared), which the storage driver keeps once; with their own steps, the two share ${pairShared} layers`,
  );

  const dir = join(ctx.workDir, 'docker-changed-a');
  await mkdir(dir, { recursive: true });
  const src = join(PACKAGE_ROOT, 'docker', 'layers', 'a');
  const files = await readdir(src);
  for (const f of files) await writeFile(join(dir, f), await readFile(join(src, f)));
  await writeFile(join(dir, 'app_a.py'), `${await readFile(join(src, 'app_a.py'), 'utf8')}\n# changed by isobench run ${ctx.runId}\n`);
  const tag = `isobench/layers-a:changed-${ctx.runId}`;
  const removeTag = ctx.cleanup.push(`image ${tag}`, () => docker.getImage(tag).remove({ force: true }).then(() => undefined, gone));
  try {
    // The same build arguments as the pair's own build, so that the steps before the changed COPY can come from the cache.
    const pip = layerPipBuild(env.path, ctx);
    const built = await buildImage(docker, { tag, context: contextEntries(dir, files), buildArgs: { BASE: env.image, ...pip.buildArgs }, networkmode: pip.networkmode }, ctx);
    const changed = await layersOf(tag);
    const reused = sharedPrefix(a, changed);
    const fresh = changed.length - reused;
    const copy = built.steps.find((s) => /^COPY /.test(s.text));
    const cached = built.steps.filter((s) => s.cached);
    const ok = reused === a.length - 1 && fresh === 1 && copy !== undefined && !copy.cached;
    return {
      'docker.layers.storedOnce': storedOnce,
      'docker.build.onlyChangedRebuilt': answer(
        ok,
        `after changing app_a.py, rebuilding ${pair.a} made ${fresh} new layer(s) and reused ${reused} of ${a.length} by digest; steps from cache: ${cached.length} of ${built.steps.length}${cached.length ? ` (${cached.map((s) => s.text.split(' ')[0]).join(', ')})` : ''}`,
      ),
    };
  } finally {
    await removeTag();
  }
}
