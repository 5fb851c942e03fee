// The cloud image path for real, without the internet: a 127.0.0.1 HTTP server serves small qcow2
// files; download, cache, checksum refusal, abort and timeout are real; so are the seed ISO and QEMU
// taking the disk-boot argv. Booting a real cloud image (and cloud-init in it) cannot be done here.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runOk } from '../../src/lifecycle/process.js';
import { nocloudSeed } from '../../src/drivers/vm/cloud-init.js';
import { cachedCloudImage, cloudImagePath } from '../../src/drivers/vm/cloud-image.js';
import { vmDriver } from '../../src/drivers/vm/index.js';
import { findQemuProcesses } from '../../src/drivers/vm/orphans.js';
import { findSeedTool, writeSeedIso } from '../../src/drivers/vm/seed-iso.js';
import { configSchema } from '../../src/config/schema.js';
import { testContext } from '../helpers/context.js';

const IMAGE = '/images/debian-12-genericcloud-amd64.qcow2';
const OTHER = '/images/other.qcow2';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: Server;
let base: string;
let tmp: string;
let cache: string;
const files = new Map<string, Buffer>();
const hits = new Map<string, number>();
/** Resolves when /slow has sent its first bytes. */
let slowStarted: () => void = () => undefined;

async function qcow2(name: string, size: string): Promise<Buffer> {
  const path = join(tmp, name);
  await runOk(['qemu-img', 'create', '-q', '-f', 'qcow2', path, size], { step: 'qemu-img create', timeoutMs: 30_000 });
  return readFile(path);
}

function cloudConfig(path: string, sha: string, vm: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return { ...top, environments: { vm: { image: 'cloud', accel: 'tcg', cloud: { url: `${base}${path}`, sha256: sha }, ...vm } } } as never;
}

/** The cache's cloud folder, without anything else (no .part files). */
const cached = async () => (await readdir(join(cache, 'vm', 'cloud')).catch(() => [] as string[])).sort();

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'isobench-cloud-test-'));
  cache = join(tmp, 'cache');
  process.env.ISOBENCH_CACHE = cache;
  files.set(IMAGE, await qcow2('a.qcow2', '64M'));
  files.set(OTHER, await qcow2('b.qcow2', '96M'));
  files.set('/raw.img', randomBytes(4096));
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/slow') {
      res.writeHead(200, { 'content-length': String(16 * 2 ** 20) });
      res.write(Buffer.alloc(64 * 1024), () => slowStarted());
      return; // never ends: the client aborts or times out
    }
    const body = files.get(path);
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': String(body.length) });
    // two chunks: the hash is computed over a stream, not one buffer
    res.write(body.subarray(0, body.length >> 1));
    res.end(body.subarray(body.length >> 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  delete process.env.ISOBENCH_CACHE;
  await rm(tmp, { recursive: true, force: true });
});

describe('cloud image download (127.0.0.1 server)', () => {
  it('downloads once into <cache>/vm/cloud/<sha256>.qcow2, verified; a second call does not fetch again', async () => {
    const sha = sha256(files.get(IMAGE)!);
    const ctx = await testContext(cloudConfig(IMAGE, sha));
    try {
      const first = await cachedCloudImage(ctx);
      expect(first.disk).toBe(join(cache, 'vm', 'cloud', `${sha}.qcow2`));
      expect(first.downloaded?.bytes).toBe(files.get(IMAGE)!.length);
      expect(first.virtualBytes).toBe(64 * 2 ** 20);
      expect(sha256(await readFile(first.disk))).toBe(sha);
      expect(hits.get(IMAGE)).toBe(1);
      const second = await cachedCloudImage(ctx);
      expect(second).toEqual({ disk: first.disk, virtualBytes: 64 * 2 ** 20, downloaded: undefined });
      expect(hits.get(IMAGE)).toBe(1);
      expect(await cached()).toEqual([`${sha}.qcow2`]);
    } finally {
      await ctx.cleanup.runAll();
    }
  });

  it('refuses a file whose sha256 differs, deletes it, and names both digests and the fix', async () => {
    const wrong = 'f'.repeat(64);
    const ctx = await testContext(cloudConfig(OTHER, wrong));
    const before = await cached();
    const err = await cachedCloudImage(ctx).then(() => undefined, (e: Error) => e);
    await ctx.cleanup.runAll();
    expect(err?.message).toMatch(/sha256 mismatch/);
    expect(err?.message).toContain(`expected ${wrong}`);
    expect(err?.message).toContain(sha256(files.get(OTHER)!));
    expect(err?.message).toMatch(/set environments\.vm\.cloud\.sha256 to [0-9a-f]{64}/);
    expect(existsSync(cloudImagePath({ url: `${base}${OTHER}`, sha256: wrong, format: 'qcow2' }, cache))).toBe(false);
    expect(await cached()).toEqual(before);
  });

  it('stops on abort (SIGINT), leaving no partial file', async () => {
    const ac = new AbortController();
    const ctx = { ...(await testContext(cloudConfig('/slow', 'a'.repeat(64)))), signal: ac.signal };
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const pending = cachedCloudImage(ctx).then(() => undefined, (e: Error) => e);
    await started;
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    const err = await pending;
    await ctx.cleanup.runAll();
    expect(err?.message).toMatch(/download http:\/\/127\.0\.0\.1:\d+\/slow: aborted after \d+ bytes/);
    expect((await cached()).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('gives up after timeouts.stepSec, naming the setting, leaving no partial file', async () => {
    const ctx = await testContext(cloudConfig('/slow', 'a'.repeat(64), {}, { timeouts: { stepSec: 1 } }));
    const t0 = performance.now();
    const err = await cachedCloudImage(ctx).then(() => undefined, (e: Error) => e);
    await ctx.cleanup.runAll();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(err?.message).toMatch(/timed out after 1 s \(\d+ bytes received\); raise timeouts\.stepSec/);
    expect((await cached()).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('says what the server answered for a wrong URL, and what qemu-img reads for a wrong format', async () => {
    const ctx = await testContext(cloudConfig('/missing.qcow2', 'a'.repeat(64)));
    await expect(cachedCloudImage(ctx)).rejects.toThrow(/answered 404 Not Found; check the URL/);
    const raw = files.get('/raw.img')!;
    const ctx2 = await testContext(cloudConfig('/raw.img', sha256(raw)));
    await expect(cachedCloudImage(ctx2)).rejects.toThrow(/environments\.vm\.cloud\.format is qcow2 but qemu-img reads .* as raw: set format: raw/);
    await ctx.cleanup.runAll();
    await ctx2.cleanup.runAll();
  });
});

describe('seed ISO (real tool)', async () => {
  const tool = await findSeedTool(true);

  it('carries user-data, meta-data and the wheelhouse, labelled cidata, long wheel names intact', async () => {
    expect(tool, 'no seed tool: apt-get install genisoimage (.ci/vm.sh does)').toBeTruthy();
    const dir = join(tmp, 'seed-test');
    const wheels = join(tmp, 'wheels');
    const wheel = 'charset_normalizer-3.4.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';
    await mkdir(wheels, { recursive: true });
    await writeFile(join(wheels, wheel), 'not really a wheel');
    const pip = configSchema.parse({}).pip;
    const seed = nocloudSeed({ instanceId: 'iid-t', hostname: 'isobench-guest', packages: ['requests'], pip, wheelsInSeed: true });
    const iso = await writeSeedIso(dir, seed, { tool: tool!, wheelhouse: wheels }, { signal: new AbortController().signal });
    const pvd = (await readFile(iso)).subarray(16 * 2048, 17 * 2048);
    expect(pvd.subarray(1, 6).toString()).toBe('CD001');
    expect(pvd.subarray(40, 72).toString().trim()).toBe('cidata');
    const list = tool === 'xorriso' ? ['xorriso', '-indev', iso, '-find', '/'] : ['isoinfo', '-R', '-f', '-i', iso];
    const r = await run(list, { step: 'list seed ISO', timeoutMs: 30_000 });
    expect(r.stdout).toContain('user-data');
    expect(r.stdout).toContain('meta-data');
    expect(r.stdout).toContain(`wheels/${wheel}`);
  });
});

describe('user-data (cloud-init\'s own check)', async () => {
  const cloudInit = (await run(['cloud-init', '--version'], { step: 'cloud-init --version', timeoutMs: 30_000 })).exitCode === 0;

  it('passes `cloud-init schema`, with and without the wheelhouse', async () => {
    expect(cloudInit, 'cloud-init missing: apt-get install cloud-init (.ci/vm.sh does)').toBe(true);
    const pip = configSchema.parse({}).pip;
    for (const wheelsInSeed of [false, true]) {
      const file = join(tmp, `user-data-${wheelsInSeed}`);
      await writeFile(file, nocloudSeed({ instanceId: 'iid-t', hostname: 'isobench-guest', packages: ['requests'], pip, wheelsInSeed })['user-data']);
      const r = await run(['cloud-init', 'schema', '--config-file', file], { step: 'cloud-init schema', timeoutMs: 60_000 });
      expect(r.stdout + r.stderr).toMatch(/Valid cloud-config/);
    }
  });
});

describe('vm driver with image: cloud (real QEMU, no bootable image)', async () => {
  const tool = await findSeedTool(false);

  it('preflight names the image; create downloads once then uses the cache; QEMU takes the disk-boot argv', async () => {
    expect(tool, 'no seed tool: apt-get install genisoimage (.ci/vm.sh does)').toBeTruthy();
    const sha = sha256(files.get(OTHER)!);
    const ctx = await testContext(cloudConfig(OTHER, sha, { bootTimeoutSec: 3 }));
    const fetched = hits.get(OTHER) ?? 0; // the mismatch test fetched it too
    const pre = await vmDriver.preflight(ctx);
    expect(pre, `${pre.reason}; ${pre.fix}`).toMatchObject({ ok: true });
    expect(pre.facts).toMatchObject({ 'vm.image': 'cloud other.qcow2', 'vm.image.cached': `no (create downloads ${base}${OTHER})`, 'vm.seedTool': tool });

    const [spec] = vmDriver.specs(ctx.config);
    expect(spec!.label).toMatch(/^cloud other\.qcow2: full OS, its own init, firmware \+ boot loader from its disk \(QEMU, \d+ MiB, \d+ vCPU\)$/);
    const env = await vmDriver.create(spec!, ctx);
    expect(ctx.notes.join('\n')).toMatch(/VM cloud image downloaded from http:\/\/127\.0\.0\.1:\d+\/images\/other\.qcow2 \(.* MiB in .* s, sha256 verified\)/);
    expect(ctx.notes.join('\n')).toMatch(/no direct kernel boot/);
    expect(hits.get(OTHER)).toBe(fetched + 1);
    expect((await vmDriver.preflight(ctx)).facts?.['vm.image.cached']).toBe('yes');

    const ctx2 = await testContext(cloudConfig(OTHER, sha));
    await vmDriver.create(spec!, ctx2);
    expect(ctx2.notes.join('\n')).toMatch(/VM cloud image .* from the cache/);
    expect(hits.get(OTHER)).toBe(fetched + 1);
    expect(await ctx2.cleanup.runAll()).toEqual([]);

    // A blank disk never boots: QEMU must run (argv accepted) until the readiness deadline.
    const err = await vmDriver.start(env, ctx).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/the TCG guest did not report ready within 3 s/);
    const argv = ctx.lines.find((l) => l.startsWith('debug: vm: qemu-system-x86_64'))!;
    expect(argv).not.toContain('-kernel');
    expect(argv).toMatch(/-drive file=\S+\/overlay\.qcow2,format=qcow2,if=virtio -drive file=\S+\/seed\.iso,format=raw,if=virtio,readonly=on/);
    expect(await ctx.cleanup.runAll()).toEqual([]);
    expect(await findQemuProcesses(`isobench-${ctx.runId}-`)).toEqual([]);
  }, 120_000);
});
