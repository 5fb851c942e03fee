// Ownership: which process is live (pid + start time), inherited labels, and the cross-process lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isAlive, liveManifest } from '../../src/lifecycle/manifest.js';
import { processStartTime, statFields, parentPid, isNodeProcess } from '../../src/lifecycle/proc.js';
import { inherited, runIdOf } from '../../src/lifecycle/leftovers.js';
import { acquireLock, lockPath } from '../../src/lifecycle/lock.js';
import { LABEL_OWNER, LABEL_RUN, imageLabels, labels } from '../../src/lifecycle/labels.js';

let cache: string;
const saved = process.env.ISOBENCH_CACHE;
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'isobench-unit-'));
  process.env.ISOBENCH_CACHE = cache;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.ISOBENCH_CACHE;
  else process.env.ISOBENCH_CACHE = saved;
  await rm(cache, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = execa('node', ['-e', '']);
  await child;
  return child.pid!;
}

describe('/proc/PID/stat', () => {
  it('reads fields after a command name with spaces and parentheses', () => {
    const line = '42 (a (b) c) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 0 0';
    expect(statFields(line)[1]).toBe('7');
    expect(statFields(line)[19]).toBe('123456');
  });
  it('knows this process: a start time, a node parent test runner or not, and node itself', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(parentPid(process.pid)).toBeGreaterThan(0);
    expect(isNodeProcess(process.pid)).toBe(true);
  });
});

describe('a live manifest', () => {
  it('is alive for this process, dead for an exited pid, dead for a reused pid (other start time)', async () => {
    const me = liveManifest('r-me');
    expect(me.startTime).toBe(processStartTime(process.pid));
    expect(isAlive(me)).toBe(true);
    expect(isAlive({ pid: await deadPid(), hostname: hostname(), startTime: '1' })).toBe(false);
    expect(isAlive({ ...me, startTime: String(Number(me.startTime) + 1) })).toBe(false);
  });
});

describe('labels', () => {
  it('images carry no run or owner label; containers carry both', () => {
    expect(Object.keys(imageLabels())).not.toContain(LABEL_RUN);
    expect(Object.keys(imageLabels())).not.toContain(LABEL_OWNER);
    expect(labels('r1')).toMatchObject({ [LABEL_RUN]: 'r1', [LABEL_OWNER]: 'r1' });
  });
  it('an owner label equal to the image\'s is inherited, not set on create', () => {
    expect(inherited({ [LABEL_OWNER]: 'r1' }, { [LABEL_OWNER]: 'r1' })).toBe(true);
    expect(inherited({ [LABEL_OWNER]: 'r2' }, { [LABEL_OWNER]: 'r1' })).toBe(false);
    expect(inherited({ [LABEL_OWNER]: 'r2' }, null)).toBe(false);
  });
  it('run ids of work dirs and QEMU names, with a purpose prefix', () => {
    expect(runIdOf('isobench-test-20261129-095000-abcdef-Xy12Zq')).toBe('test-20261129-095000-abcdef');
    expect(runIdOf('isobench-20261129-095000-abcdef')).toBe('20261129-095000-abcdef');
    expect(runIdOf('isobench-test-Xy12Zq')).toBeUndefined();
  });
});

describe('acquireLock', () => {
  it('is reentrant in one process and gone after the last release', async () => {
    const a = await acquireLock('t-reentrant', 'r1');
    const b = await acquireLock('t-reentrant', 'r1');
    await a();
    await a(); // idempotent
    expect(JSON.parse(await readFile(lockPath('t-reentrant'), 'utf8'))).toMatchObject({ runId: 'r1', pid: process.pid });
    await b();
    await expect(readFile(lockPath('t-reentrant'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
  it('takes over a lock whose owner died', async () => {
    await mkdir(join(cache, 'locks'), { recursive: true });
    await writeFile(lockPath('t-dead'), JSON.stringify({ runId: 'old', pid: await deadPid(), hostname: hostname(), startTime: '1' }));
    const release = await acquireLock('t-dead', 'r2');
    expect(JSON.parse(await readFile(lockPath('t-dead'), 'utf8'))).toMatchObject({ runId: 'r2' });
    await release();
  });
  it('waits for a live owner in another process, says who, and stops waiting on abort', async () => {
    // Another live process holds it: a child node that writes the lock file naming itself, then sleeps.
    const holder = execa('node', ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((r) => setTimeout(r, 200));
    await mkdir(join(cache, 'locks'), { recursive: true });
    await writeFile(lockPath('t-live'), JSON.stringify({ runId: 'other', pid: holder.pid, hostname: hostname(), startTime: processStartTime(holder.pid!) }));
    const seen: string[] = [];
    const ac = new AbortController();
    const waiting = acquireLock('t-live', 'r3', { signal: ac.signal, pollMs: 50, onWait: (o) => seen.push(o.runId) });
    await new Promise((r) => setTimeout(r, 300));
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(seen).toEqual(['other']);
    // Once the holder is gone the lock is taken over.
    holder.kill();
    await holder.catch(() => undefined);
    const release = await acquireLock('t-live', 'r3', { pollMs: 50 });
    await release();
  });
});
