// Images the registry tests publish: a stand-in for python:3.9-slim (no registry answers here) and an image without Python.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { followEvents } from '../../src/drivers/docker/events.js';
import { splitTag } from '../../src/drivers/docker/base.js';
import { LABEL_RUN } from '../../src/lifecycle/labels.js';
import { runOk } from '../../src/lifecycle/process.js';

/**
 * Publishes `ref` (REGISTRY/…/python:3.9-slim): the offline Debian base with a Python whose pip installs into its own
 * prefix, on PATH as python/python3/pip like the official image's. One flattened layer (docker export), so no layer is
 * shared with images this daemon already has and a pull downloads all of it. The local copy is removed after the push.
 */
export async function publishPythonStandIn(docker: Docker, offlineBase: string, ref: string, runId: string): Promise<void> {
  const c = await docker.createContainer({ Image: offlineBase, Cmd: ['python3', '-m', 'venv', '/usr/local/python'], Labels: { [LABEL_RUN]: runId } });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`python3 -m venv in ${offlineBase} exited ${StatusCode}`);
    const changes = [`LABEL ${LABEL_RUN}=${runId}`, 'ENV PATH=/usr/local/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'ENV LANG=C.UTF-8', 'CMD ["python3"]'];
    await importAndPush(docker, (await c.export()) as NodeJS.ReadableStream, ref, changes);
  } finally {
    await c.remove({ force: true });
  }
}

/** Publishes `ref` as a busybox-like image with no shell and no Python: one static file. */
export async function publishNoPython(docker: Docker, ref: string, runId: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'isobench-nopython-'));
  try {
    await writeFile(join(dir, 'hello.txt'), 'no python here\n');
    await runOk(['tar', '-C', dir, '-cf', join(dir, 'root.tar'), 'hello.txt'], { step: 'tar', timeoutMs: 30_000 });
    await importAndPush(docker, createReadStream(join(dir, 'root.tar')), ref, [`LABEL ${LABEL_RUN}=${runId}`, 'CMD ["/hello.txt"]']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function importAndPush(docker: Docker, tar: NodeJS.ReadableStream, ref: string, changes: string[]): Promise<void> {
  const { repo, tag } = splitTag(ref);
  await followEvents(await docker.importImage(tar, { repo, tag, changes }), () => undefined, `import ${ref}`);
  const image = docker.getImage(ref);
  try {
    await followEvents(await image.push({ authconfig: {} }), () => undefined, `push ${ref}`);
  } finally {
    await image.remove({ force: true });
  }
}

/** Removes every image labelled with this run (what the tests pulled or built), children before parents. */
export async function removeRunImages(docker: Docker, runId: string): Promise<void> {
  for (let round = 0; round < 4; round++) {
    const found = await docker.listImages({ filters: { label: [`${LABEL_RUN}=${runId}`] } });
    if (!found.length) return;
    for (const img of found) await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  }
}
