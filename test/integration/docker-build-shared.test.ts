// Image builds on an engine other runs share (a lab PC, a CI runner): a build removes only what it made or
// superseded. Another run's build in progress has untagged, isobench-labelled images too, and they must stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { testContext } from '../helpers/context.js';
import { buildImage } from '../../src/drivers/docker/build.js';
import { buildOfflineBase } from '../../src/drivers/docker/index.js';
import { engine } from '../../src/drivers/docker/engine.js';
import { LABEL_VERSION } from '../../src/lifecycle/labels.js';

let ctx: Awaited<ReturnType<typeof testContext>>;
let docker: Docker;
let base: string;
let planted: string;
const TAG = `isobench/test-shared-${process.pid}:latest`;
const present = (ref: string) => docker.getImage(ref).inspect().then(() => true, () => false);
const dangling = async () => (await docker.listImages({ filters: { dangling: ['true'] } })).map((i) => i.Id).sort();
const dockerfile = (...run: string[]) => [{ name: 'Dockerfile', content: [`FROM ${base}`, ...run.map((r) => `RUN ${r}`)].join('\n') + '\n' }];

beforeAll(async () => {
  ctx = await testContext();
  docker = (await engine(ctx)).docker;
  base = (await buildOfflineBase(ctx)).image;
  // Another run's build in progress: an untagged image with isobench's label, as a build step leaves one.
  const c = await docker.createContainer({ Image: base, Cmd: ['true'], Labels: { 'isobench.test': 'shared-build' } });
  ctx.cleanup.push(`container ${c.id}`, () => c.remove({ force: true }).catch(() => undefined));
  const r = (await c.commit({ changes: [`LABEL ${LABEL_VERSION}=another-run`] })) as { Id: string };
  planted = r.Id;
  ctx.cleanup.push(`image ${planted}`, () => docker.getImage(planted).remove({ force: true }).then(() => undefined, () => undefined));
  ctx.cleanup.push(`image ${TAG}`, () => docker.getImage(TAG).remove({ force: true }).then(() => undefined, () => undefined));
}, 600_000);

afterAll(async () => {
  await ctx.cleanup.runAll();
});

describe('a build on a shared engine', { timeout: 300_000 }, () => {
  it('a rebuild removes the image it superseded, and leaves another run\'s untagged image alone', async () => {
    expect((await docker.getImage(planted).inspect()).RepoTags ?? []).toEqual([]);
    const first = await buildImage(docker, { tag: TAG, context: dockerfile('echo first > /first') }, ctx);
    const second = await buildImage(docker, { tag: TAG, context: dockerfile('echo first > /first'), nocache: true }, ctx);
    expect(second.id).not.toBe(first.id);
    expect(await present(first.id)).toBe(false);
    expect(await present(second.id)).toBe(true);
    expect(await present(planted)).toBe(true);
  });

  it('a failed build removes the steps it made (not the cached ones, not the base), and leaves another run\'s image alone', async () => {
    const before = await dangling();
    await expect(buildImage(docker, { tag: `${TAG}-failed`, context: dockerfile('echo first > /first', 'echo made > /made', 'exit 3') }, ctx)).rejects.toThrow(/returned a non-zero code: 3|exit (code|status) 3/);
    expect(await dangling()).toEqual(before);
    expect(await present(planted)).toBe(true);
    expect(await present(base)).toBe(true);
    // The cached step is the tagged image's parent: it stays with it.
    expect(await present(TAG)).toBe(true);
  });
});
